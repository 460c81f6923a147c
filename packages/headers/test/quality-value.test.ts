import { describe, expect, it } from 'vitest';
import { InvalidHeaderError } from '../src/index.js';
import { formatQuality, parseQualityThousandths } from '../src/quality-value.js';

describe('qvalue (RFC 9110 §12.4.2)', () => {
  it('reads the grammar exactly', () => {
    const good: [string, number][] = [
      ['0', 0],
      ['1', 1000],
      ['0.', 0],
      ['1.', 1000],
      ['0.5', 500],
      ['0.05', 50],
      ['0.123', 123],
      ['1.000', 1000],
      ['0.000', 0],
    ];
    for (const [text, thousandths] of good) expect(parseQualityThousandths(text), text).toBe(thousandths);
  });

  it('refuses what is outside it', () => {
    for (const text of ['', '.5', '2', '1.001', '0.1234', '01', '-0', '0,5', '0.5 ', 'one', '1.5']) {
      expect(parseQualityThousandths(text), text).toBe(-1);
    }
  });

  it('writes the shortest qvalue and refuses the rest', () => {
    expect(formatQuality('Accept', 1)).toBe('1');
    expect(formatQuality('Accept', 0)).toBe('0');
    expect(formatQuality('Accept', 0.5)).toBe('0.5');
    expect(formatQuality('Accept', 0.05)).toBe('0.05');
    expect(formatQuality('Accept', 0.123)).toBe('0.123');
    for (const bad of [-0.1, 1.1, 0.1234, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => formatQuality('Accept', bad)).toThrow(InvalidHeaderError);
    }
  });

  it('every thousandth round-trips', () => {
    for (let thousandths = 0; thousandths <= 1000; thousandths++) {
      expect(parseQualityThousandths(formatQuality('Accept', thousandths / 1000))).toBe(thousandths);
    }
  });
});
