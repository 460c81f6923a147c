import { describe, expect, it } from 'vitest';
import { proxyFromEnvironment } from '../src/index.js';

describe('proxyFromEnvironment', () => {
  it('reads nothing from an empty environment', () => {
    expect(proxyFromEnvironment({})).toEqual({});
  });

  it('reads each scheme’s variable, upper or lower case', () => {
    expect(
      proxyFromEnvironment({ HTTP_PROXY: 'http://a:1', HTTPS_PROXY: 'http://b:2', NO_PROXY: 'x.test' }),
    ).toEqual({ http: 'http://a:1', https: 'http://b:2', noProxy: 'x.test' });
    expect(
      proxyFromEnvironment({ http_proxy: 'http://a:1', https_proxy: 'http://b:2', no_proxy: 'y.test' }),
    ).toEqual({ http: 'http://a:1', https: 'http://b:2', noProxy: 'y.test' });
  });

  it('prefers lower case over upper case', () => {
    const env = {
      http_proxy: 'http://lower:1',
      HTTP_PROXY: 'http://upper:1',
      https_proxy: 'http://lower:2',
      HTTPS_PROXY: 'http://upper:2',
      no_proxy: 'lower.test',
      NO_PROXY: 'upper.test',
    };
    expect(proxyFromEnvironment(env)).toEqual({
      http: 'http://lower:1',
      https: 'http://lower:2',
      noProxy: 'lower.test',
    });
  });

  it('falls back to ALL_PROXY for a scheme without its own variable', () => {
    expect(proxyFromEnvironment({ ALL_PROXY: 'http://all:3', https_proxy: 'http://s:2' })).toEqual({
      http: 'http://all:3',
      https: 'http://s:2',
    });
    expect(
      proxyFromEnvironment({ all_proxy: 'http://lower-all:3', ALL_PROXY: 'http://upper-all:3' }).http,
    ).toBe('http://lower-all:3');
  });

  it('ignores HTTP_PROXY in upper case inside a CGI request (httpoxy), but not http_proxy', () => {
    expect(proxyFromEnvironment({ REQUEST_METHOD: 'GET', HTTP_PROXY: 'http://attacker:1' })).toEqual({});
    expect(proxyFromEnvironment({ REQUEST_METHOD: 'GET', http_proxy: 'http://mine:1' }).http).toBe(
      'http://mine:1',
    );
    expect(proxyFromEnvironment({ REQUEST_METHOD: 'GET', HTTPS_PROXY: 'http://s:1' }).https).toBe(
      'http://s:1',
    );
  });

  it('treats empty values as unset, so a lower-case empty value does not hide the upper-case one', () => {
    expect(proxyFromEnvironment({ https_proxy: '', HTTPS_PROXY: 'http://b:2', no_proxy: '  ' })).toEqual({
      https: 'http://b:2',
    });
  });

  it('reads own properties only', () => {
    const inherited = Object.create({ HTTPS_PROXY: 'http://polluted:1' }) as Record<string, string>;
    expect(proxyFromEnvironment(inherited)).toEqual({});
  });
});
