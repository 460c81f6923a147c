import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  bearerAuthorization,
  type Challenge,
  findChallenge,
  formatAuthorization,
  getChallenges,
  HeaderList,
  InvalidHeaderError,
  parseChallenges,
} from '../src/index.js';

function challenges(value: string): Challenge[] {
  const result = parseChallenges(value);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function plain(list: Challenge[]): unknown {
  return list.map((challenge) => ({ ...challenge, parameters: Object.fromEntries(challenge.parameters) }));
}

describe('parseChallenges (RFC 9110 §11)', () => {
  it('reads the RFC 9110 §11.6.1 example: two challenges, commas in quotes, escaped quotes', () => {
    const value = 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"';
    expect(plain(challenges(value))).toEqual([
      {
        scheme: 'newauth',
        token68: null,
        parameters: { realm: 'apps', type: '1', title: 'Login to "apps"' },
      },
      { scheme: 'basic', token68: null, parameters: { realm: 'simple' } },
    ]);
  });

  it('reads token68 with padding, and a bare scheme', () => {
    expect(plain(challenges('Negotiate YII=, NTLM, Bearer'))).toEqual([
      { scheme: 'negotiate', token68: 'YII=', parameters: {} },
      { scheme: 'ntlm', token68: null, parameters: {} },
      { scheme: 'bearer', token68: null, parameters: {} },
    ]);
  });

  it('reads `Scheme name=` as token68, as the grammar says', () => {
    expect(challenges('Basic realm=')[0]?.token68).toBe('realm=');
  });

  it('keeps commas inside quoted values and lower-cases names and schemes', () => {
    const [bearer] = challenges('BEARER Realm="a, b", Error="invalid_token", error_description="x, y"');
    expect(bearer?.scheme).toBe('bearer');
    expect(bearer?.parameters.get('realm')).toBe('a, b');
    expect(bearer?.parameters.get('error_description')).toBe('x, y');
  });

  it('tolerates BWS around "=" and empty list elements', () => {
    const list = challenges(' , Digest realm = "r" , , nonce="n",qop="auth, auth-int" ,, Basic realm=x ,');
    expect(list.map((challenge) => challenge.scheme)).toEqual(['digest', 'basic']);
    expect(list[0]?.parameters.get('qop')).toBe('auth, auth-int');
  });

  it.each([
    ['Basic realm="unclosed', 'an unclosed quote'],
    ['Basic realm="a", realm="b"', 'a repeated parameter'],
    ['Basic realm="a", charset=', 'a parameter without a value'],
    ['Basic realm="a" charset=x', 'a missing comma'],
    ['="x"', 'no scheme'],
    ['Basic"x"', 'no space after the scheme'],
  ])('is not ok for %j (%s)', (value) => {
    expect(parseChallenges(value).ok).toBe(false);
  });

  it('getChallenges reads every line, skipping a malformed one', () => {
    const headers = new HeaderList([
      ['WWW-Authenticate', 'Negotiate'],
      ['www-authenticate', 'Broken realm="'],
      ['WWW-Authenticate', 'Basic realm="site", charset="UTF-8"'],
      ['Proxy-Authenticate', 'Basic realm="proxy"'],
    ]);
    const result = getChallenges(headers);
    expect(result.ok && result.value.map((challenge) => challenge.scheme)).toEqual(['negotiate', 'basic']);
    expect(result.ok && findChallenge(result.value, 'BASIC')?.parameters.get('charset')).toBe('UTF-8');
    const proxy = getChallenges(headers, 'proxy-authenticate');
    expect(proxy.ok && proxy.value[0]?.parameters.get('realm')).toBe('proxy');
    expect(getChallenges(new HeaderList())).toEqual({ ok: true, value: [] });
    expect(getChallenges(new HeaderList([['www-authenticate', '"']])).ok).toBe(false);
  });
});

describe('Authorization builders', () => {
  it('basicAuthorization encodes UTF-8 user-id:password (RFC 7617)', () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basicAuthorization('test', '123£')).toBe('Basic dGVzdDoxMjPCow==');
  });

  it('bearerAuthorization and formatAuthorization write token68 or auth-params', () => {
    expect(bearerAuthorization('mF_9.B5f-4.1JqM')).toBe('Bearer mF_9.B5f-4.1JqM');
    expect(formatAuthorization('Digest', { username: 'Mufasa', realm: 'a b', nc: '00000001' })).toBe(
      'Digest username=Mufasa, realm="a b", nc=00000001',
    );
  });

  it.each([
    ['a ":" in the Basic user-id', () => basicAuthorization('a:b', 'c')],
    ['CR LF in a Basic password', () => basicAuthorization('a', 'b\r\nX: y')],
    ['a bearer token with a space', () => bearerAuthorization('a b')],
    ['a bearer token with CR LF', () => bearerAuthorization('a\r\nX: y')],
    ['a scheme that is not a token', () => formatAuthorization('Bad Scheme', 'abc')],
    ['an auth-param with LF', () => formatAuthorization('Digest', { realm: 'a\nb' })],
    ['an auth-param beyond Latin-1', () => formatAuthorization('Digest', { realm: '€' })],
  ])('throws InvalidHeaderError for %s', (_name, build) => {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(InvalidHeaderError.is(caught)).toBe(true);
  });
});
