import { describe, expect, it } from 'vitest';
import { findLinks, type Link, parseLink } from '../src/index.js';

function links(value: string, base?: string): Link[] {
  const result = parseLink(value, { base });
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('parseLink (RFC 8288)', () => {
  it('reads GitHub-style pagination and resolves against the base', () => {
    const value =
      '<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last"';
    const parsed = links(value);
    expect(parsed.map((link) => link.rel)).toEqual([['next'], ['last']]);
    expect(findLinks(parsed, 'NEXT')[0]?.url?.href).toBe('https://api.example.com/items?page=2');
    const relative = links('</items?page=3>; rel=next', 'https://api.example.com/items?page=2');
    expect(relative[0]?.url?.href).toBe('https://api.example.com/items?page=3');
    expect(relative[0]?.target).toBe('/items?page=3');
  });

  it('keeps commas and semicolons inside <...> and quoted strings', () => {
    const parsed = links(
      '<https://x.test/a,b;c>; rel="prev next"; title="a, b; c", <https://x.test/d>; rel=up',
    );
    expect(parsed).toHaveLength(2);
    expect(parsed[0]?.target).toBe('https://x.test/a,b;c');
    expect(parsed[0]?.rel).toEqual(['prev', 'next']);
    expect(parsed[0]?.title).toBe('a, b; c');
    expect(parsed[1]?.rel).toEqual(['up']);
  });

  it('lower-cases relation types and ignores a second rel (§3.3)', () => {
    const [link] = links('<a>; REL="Preload StyleSheet"; rel=ignored');
    expect(link?.rel).toEqual(['preload', 'stylesheet']);
    expect(link?.parameters).toEqual([
      ['rel', 'Preload StyleSheet'],
      ['rel', 'ignored'],
    ]);
  });

  it('prefers a decodable title* over title (§3.4.1, RFC 8187)', () => {
    const [link] = links('</>; rel=x; title="plain"; title*=UTF-8\'de\'n%c3%a4chstes%20Kapitel');
    expect(link?.title).toBe('nächstes Kapitel');
    const [fallback] = links('</>; rel=x; title="plain"; title*=KOI8-R\'\'%c1');
    expect(fallback?.title).toBe('plain');
  });

  it('reads anchor, type, media, repeated hreflang and value-less parameters', () => {
    const [link] = links(
      '<b>; rel=alternate; anchor="#s"; type="text/html"; hreflang=de; hreflang=fr; media=print; crossorigin',
    );
    expect(link?.anchor).toBe('#s');
    expect(link?.type).toBe('text/html');
    expect(link?.hreflang).toEqual(['de', 'fr']);
    expect(link?.media).toBe('print');
    expect(link?.parameters.at(-1)).toEqual(['crossorigin', '']);
  });

  it('tolerates empty elements and whitespace; url is null when the target does not resolve', () => {
    const parsed = links(' , <a>;rel=x ,, <b> ; rel = y ,');
    expect(parsed.map((link) => link.target)).toEqual(['a', 'b']);
    expect(parsed[0]?.url).toBeNull();
  });

  it('keeps the links before a malformed one (Appendix B.2), fails when none parse', () => {
    expect(links('<a>; rel=x, garbage, <c>; rel=z').map((link) => link.target)).toEqual(['a']);
    expect(parseLink('garbage').ok).toBe(false);
    expect(parseLink('<unclosed; rel=x').ok).toBe(false);
    expect(parseLink('<a>; rel="unclosed').ok).toBe(false);
    expect(parseLink(null)).toEqual({ ok: false, reason: 'Link is absent' });
    expect(links('')).toEqual([]);
  });
});
