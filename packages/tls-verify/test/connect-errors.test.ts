import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { closedError, connectTimeoutError, socketError } from '../src/connect-errors.js';
import { tlsFailure } from '../src/errors.js';
import { classifyHandshakeError, classifyVerifyError, decideVerdict } from '../src/verdict.js';

const where = { host: 'api.example.com', port: 443, servername: 'api.example.com' };
const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('connect-phase errors', () => {
  it('tells DNS from TCP failures before the handshake', () => {
    expect(socketError(where, withCode('ENOTFOUND'), false).code).toBe('DNS_FAILED');
    expect(socketError(where, withCode('EAI_AGAIN'), false).code).toBe('DNS_FAILED');
    expect(socketError(where, withCode('ECONNREFUSED'), false).code).toBe('CONNECT_FAILED');
    expect(socketError(where, withCode('EHOSTUNREACH'), false).details.code).toBe('EHOSTUNREACH');
  });

  it('makes every error after TCP connect a TLS_FAILED with a check', () => {
    const reset = socketError(where, withCode('ECONNRESET'), true);
    expect(reset.code).toBe('TLS_FAILED');
    expect(reset.details.check).toBe('handshake');
    expect(reset.message).toContain('closed the connection during the handshake');
    expect(socketError(where, withCode('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), true).details.check).toBe(
      'protocol-version',
    );
    expect(closedError(where, true).details.check).toBe('handshake');
    expect(closedError(where, false).code).toBe('CONNECT_FAILED');
  });

  it('names the stage of a connect timeout', () => {
    const error = connectTimeoutError(where, 'tls-handshake', 5_000);
    expect(error).toMatchObject({ code: 'TIMEOUT', phase: 'connect', requestSent: false });
    expect(error.details.stage).toBe('tls-handshake');
  });

  it('never claims a request was sent', () => {
    for (const error of [
      socketError(where, withCode('ENOTFOUND'), false),
      socketError(where, withCode('ECONNRESET'), true),
      closedError(where, true),
      tlsFailure('pin', 'no pin', where),
    ]) {
      expect(HttpClientError.is(error)).toBe(true);
      expect(error.requestSent).toBe(false);
    }
  });
});

describe('classification', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'expired'],
    ['CERT_NOT_YET_VALID', 'not-yet-valid'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'untrusted-root'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted-root'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted-root'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted-root'],
    ['CERT_SIGNATURE_FAILURE', 'chain'],
    ['INVALID_PURPOSE', 'chain'],
    [undefined, 'chain'],
  ])('verify error %s → %s', (code, check) => {
    expect(classifyVerifyError(code)).toBe(check);
  });

  it.each([
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'protocol-version'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'protocol-version'],
    ['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'protocol-version'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'handshake-alert'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'handshake-alert'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'handshake'],
    [undefined, 'handshake'],
  ])('handshake error %s → %s', (code, check) => {
    expect(classifyHandshakeError(code)).toBe(check);
  });

  it('refuses an unauthorized chain before looking at names or pins', () => {
    const verdict = decideVerdict({
      authorized: false,
      verifyErrorCode: 'CERT_HAS_EXPIRED',
      chain: [],
      reference: 'a.example',
      pins: [],
    });
    expect(verdict).toMatchObject({ ok: false, check: 'expired', reasonCode: 'CERT_HAS_EXPIRED' });
  });

  it('refuses an authorized connection without a certificate', () => {
    const verdict = decideVerdict({
      authorized: true,
      verifyErrorCode: undefined,
      chain: [],
      reference: 'a',
      pins: [],
    });
    expect(verdict).toMatchObject({ ok: false, check: 'handshake' });
  });
});
