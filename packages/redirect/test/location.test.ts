import { HeaderList } from '@x/headers';
import { describe, expect, it } from 'vitest';
import { redirectTarget, resolveLocation } from '../src/index.js';

const base = new URL('http://a.test/dir/page?q=1');

function target(value: string, current: URL = base): string {
  const result = resolveLocation(value, current);
  if (result.kind !== 'target') throw new Error(`expected a target, got ${JSON.stringify(result)}`);
  return result.url.href;
}

describe('resolveLocation', () => {
  it('resolves absolute, path-absolute, path-relative, query-only and dot-segment references', () => {
    expect(target('https://b.test/x')).toBe('https://b.test/x');
    expect(target('/root')).toBe('http://a.test/root');
    expect(target('sibling')).toBe('http://a.test/dir/sibling');
    expect(target('?q=2')).toBe('http://a.test/dir/page?q=2');
    expect(target('../up')).toBe('http://a.test/up');
  });

  it('resolves a protocol-relative reference with the current scheme', () => {
    expect(target('//b.test/p')).toBe('http://b.test/p');
    expect(target('//b.test/p', new URL('https://a.test/'))).toBe('https://b.test/p');
  });

  it('inherits the current fragment when the Location has none (RFC 9110 §10.2.2)', () => {
    const current = new URL('http://a.test/a#section');
    expect(target('/b', current)).toBe('http://a.test/b#section');
    expect(target('/b#other', current)).toBe('http://a.test/b#other');
    // An explicit empty fragment is a fragment: nothing is inherited.
    expect(target('/b#', current)).toBe('http://a.test/b#');
    expect(target('/b', new URL('http://a.test/a'))).toBe('http://a.test/b');
  });

  it('decodes raw UTF-8 octets the way browsers do, and leaves other Latin-1 alone', () => {
    // "/café" sent as UTF-8 bytes arrives as the Latin-1 string "/cafÃ©".
    expect(target('/caf\u00c3\u00a9')).toBe('http://a.test/caf%C3%A9');
    // A lone 0xE9 is not UTF-8: it is taken as the code point U+00E9.
    expect(target('/caf\u00e9')).toBe('http://a.test/caf%C3%A9');
  });

  it('reports a non-http(s) scheme as unsupported instead of a target', () => {
    for (const value of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'ftp://b.test/',
    ]) {
      const result = resolveLocation(value, base);
      expect(result.kind).toBe('unsupported');
    }
    expect(resolveLocation('file:///etc/passwd', base)).toEqual({ kind: 'unsupported', scheme: 'file' });
  });

  it('gives no target for an empty or unparseable Location', () => {
    expect(resolveLocation('', base).kind).toBe('none');
    expect(resolveLocation('   ', base).kind).toBe('none');
    expect(resolveLocation('http://[::1', base).kind).toBe('none');
    expect(resolveLocation('https://', base).kind).toBe('none');
  });
});

describe('redirectTarget', () => {
  it('reads the Location field of a header list', () => {
    const result = redirectTarget(new HeaderList({ Location: '/next' }), base);
    expect(result.kind === 'target' && result.url.href).toBe('http://a.test/next');
  });

  it('gives no target without a Location field', () => {
    expect(redirectTarget(new HeaderList(), base)).toEqual({ kind: 'none', reason: 'no Location field' });
  });

  it('accepts repeated identical Location lines and refuses conflicting ones', () => {
    const same = new HeaderList([
      ['Location', '/x'],
      ['Location', '/x'],
    ]);
    expect(redirectTarget(same, base).kind).toBe('target');
    const conflicting = new HeaderList([
      ['Location', '/x'],
      ['Location', 'http://evil.test/'],
    ]);
    expect(redirectTarget(conflicting, base).kind).toBe('none');
  });
});
