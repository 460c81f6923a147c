import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AcceptEntry,
  accept,
  formatAccept,
  HeaderList,
  InvalidHeaderError,
  mediaTypeQuality,
  parseAccept,
  preferredMediaType,
} from '../src/index.js';

const summary = (entries: readonly AcceptEntry[]) =>
  entries.map((entry) => {
    const parameters = [...entry.parameters].map(([name, value]) => `;${name}=${value}`).join('');
    return `${entry.type}/${entry.subtype}${parameters} ${entry.quality}`;
  });

describe('parseAccept', () => {
  it('sorts by quality, then specificity, then order (RFC 9110 §12.5.1 example)', () => {
    const parsed = parseAccept('text/*, text/plain, text/plain;format=flowed, */*');
    expect(summary(parsed.entries)).toEqual([
      'text/plain;format=flowed 1',
      'text/plain 1',
      'text/* 1',
      '*/* 1',
    ]);
    const weighted = parseAccept('audio/*; q=0.2, audio/basic');
    expect(summary(weighted.entries)).toEqual(['audio/basic 1', 'audio/* 0.2']);
  });

  it('reads mixed case, stray commas and quoted commas in parameters', () => {
    const parsed = parseAccept(' ,TEXT/HTML;Level="1,2" ;Q=0.7 ,, application/json ,');
    expect(summary(parsed.entries)).toEqual(['application/json 1', 'text/html;level=1,2 0.7']);
    expect(parsed.dropped).toEqual([]);
  });

  it('drops invalid ranges and qvalues, keeps the rest', () => {
    const parsed = parseAccept('*/html, text/html;q=.5, *; q=.2, image/png;q=2, a/b;q=0.1234, text/plain, x');
    expect(summary(parsed.entries)).toEqual(['text/plain 1']);
    expect(parsed.dropped.map((part) => part.text)).toEqual([
      '*/html',
      'text/html;q=.5',
      '*; q=.2',
      'image/png;q=2',
      'a/b;q=0.1234',
      'x',
    ]);
  });

  it('ignores parameters after q and reports them', () => {
    const parsed = parseAccept('text/html;q=0.5;ext=1');
    expect(summary(parsed.entries)).toEqual(['text/html 0.5']);
    expect(parsed.dropped[0]?.reason).toMatch(/after q/);
  });

  it('accept() is null when absent and combines lines', () => {
    expect(accept(new HeaderList())).toBeNull();
    const headers = new HeaderList([
      ['Accept', 'text/html;q=0.1'],
      ['Accept', 'application/json'],
    ]);
    expect(summary(accept(headers)?.entries ?? [])).toEqual(['application/json 1', 'text/html 0.1']);
  });
});

describe('negotiation', () => {
  // RFC 9110 §12.5.1's worked example.
  const example = parseAccept(
    'text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, text/plain;format=fixed;q=0.4, */*;q=0.5',
  );

  it('takes the quality of the most specific matching range', () => {
    expect(mediaTypeQuality(example, 'text/plain;format=flowed')).toBe(1);
    expect(mediaTypeQuality(example, 'text/plain')).toBe(0.7);
    expect(mediaTypeQuality(example, 'text/html')).toBe(0.3);
    expect(mediaTypeQuality(example, 'image/jpeg')).toBe(0.5);
    expect(mediaTypeQuality(example, 'text/plain;format=fixed')).toBe(0.4);
    expect(mediaTypeQuality(example, 'text/html;level=3')).toBe(0.3);
  });

  it('q=0 excludes, ties go to the first offer, absent Accept takes the first', () => {
    const parsed = parseAccept('application/json, text/html;q=0, */*;q=0.1');
    expect(preferredMediaType(parsed, ['text/html', 'text/csv', 'application/json'])).toBe(
      'application/json',
    );
    expect(preferredMediaType(parsed, ['text/html'])).toBeUndefined();
    expect(preferredMediaType(parseAccept('a/b, c/d'), ['c/d', 'a/b'])).toBe('c/d');
    expect(preferredMediaType(null, ['x/y', 'a/b'])).toBe('x/y');
    expect(mediaTypeQuality(parsed, 'not a type')).toBe(0);
  });

  it('compares charset case-insensitively', () => {
    expect(mediaTypeQuality(parseAccept('text/html;charset=UTF-8'), 'text/html; charset=utf-8')).toBe(1);
    expect(mediaTypeQuality(parseAccept('text/html;level=A'), 'text/html; level=a')).toBe(0);
  });
});

describe('formatAccept', () => {
  it('writes ranges in the order given with qualities', () => {
    expect(
      formatAccept([
        'application/json',
        { mediaRange: 'text/*', quality: 0.5 },
        { type: 'text', subtype: 'plain', parameters: { format: 'flowed' }, quality: 0.25 },
        { mediaRange: '*/*', quality: 0 },
      ]),
    ).toBe('application/json, text/*;q=0.5, text/plain; format=flowed;q=0.25, */*;q=0');
  });

  it('refuses what cannot be sent', () => {
    const bad = [
      [],
      ['*/html'],
      ['text'],
      ['text/html;q=0.5'],
      [{ mediaRange: 'a/b', quality: 1.5 }],
      [{ type: 'a', subtype: 'b', parameters: { Q: '1' } }],
      ['a/b\r\nX: y'],
    ];
    for (const entries of bad)
      expect(() => formatAccept(entries as never), JSON.stringify(entries)).toThrow(InvalidHeaderError);
  });

  it('round-trips: same entries, sorted by non-increasing quality', () => {
    const token = fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,8}$/);
    const entry = fc.record({
      type: token,
      subtype: fc.oneof(token, fc.constant('*')),
      parameters: fc.uniqueArray(
        fc.tuple(
          token.filter((name) => name !== 'q'),
          token,
        ),
        {
          selector: ([name]) => name,
          maxLength: 2,
        },
      ),
      quality: fc.integer({ min: 0, max: 1000 }).map((thousandths) => thousandths / 1000),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const parsed = parseAccept(formatAccept(entries));
        expect(parsed.dropped).toEqual([]);
        const expected = entries.map((value) => ({ ...value, parameters: new Map(value.parameters) }));
        const canonical = (list: readonly AcceptEntry[]) => summary(list).sort();
        expect(canonical(parsed.entries)).toEqual(canonical(expected));
        for (let i = 1; i < parsed.entries.length; i++) {
          expect(parsed.entries[i - 1]?.quality).toBeGreaterThanOrEqual(parsed.entries[i]?.quality ?? 0);
        }
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => void parseAccept(text)));
  });
});
