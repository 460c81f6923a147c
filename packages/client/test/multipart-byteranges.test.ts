import { HttpClientError } from '@x/core';
import { describe, expect, it } from 'vitest';
import { byterangesBoundary, type MultipartLimits, parseMultipartByteranges } from '../src/index.js';

const encoder = new TextEncoder();
const BOUNDARY = 'THIS_STRING_SEPARATES';

interface ParsedPart {
  start: number;
  end: number;
  completeLength: number | null;
  type: string | null;
  text: string;
}

function multipart(
  parts: { range: string; text: string }[],
  options: { preamble?: string; epilogue?: string; padding?: string } = {},
): string {
  let body = options.preamble === undefined ? '' : `${options.preamble}\r\n`;
  for (const part of parts) {
    body += `--${BOUNDARY}${options.padding ?? ''}\r\nContent-Type: text/plain\r\nContent-Range: bytes ${part.range}\r\n\r\n${part.text}\r\n`;
  }
  return `${body}--${BOUNDARY}--${options.epilogue ?? ''}`;
}

async function* chunks(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > previous) yield bytes.slice(previous, cut);
    previous = Math.max(previous, cut);
  }
}

async function parseAll(
  body: string | Uint8Array,
  cuts: readonly number[] = [],
  limits?: MultipartLimits,
): Promise<ParsedPart[]> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const parts: ParsedPart[] = [];
  for await (const part of parseMultipartByteranges(chunks(bytes, cuts), BOUNDARY, limits)) {
    const pieces: Uint8Array[] = [];
    for await (const piece of part.body) pieces.push(piece);
    parts.push({
      start: part.start,
      end: part.end,
      completeLength: part.completeLength,
      type: part.headers.get('content-type'),
      text: Buffer.concat(pieces).toString('latin1'),
    });
  }
  return parts;
}

async function failure(run: Promise<unknown>): Promise<HttpClientError> {
  try {
    await run;
  } catch (error) {
    if (HttpClientError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

// Part bodies that look like delimiters: CRLF, dashes, a boundary prefix.
const TRICKY = [
  { range: '0-9/100', text: '\r\n--THIS_S' },
  { range: '50-59/100', text: '--THIS_STR' },
  { range: '90-99/100', text: 'tail\r\n\r\n-x' },
];
const EXPECTED = TRICKY.map((part) => {
  const [range, total] = part.range.split('/');
  const [start, end] = (range as string).split('-').map(Number);
  return { start, end, completeLength: Number(total), type: 'text/plain', text: part.text };
});

describe('parseMultipartByteranges', () => {
  it('reads every part with its range and exact bytes', async () => {
    expect(await parseAll(multipart(TRICKY))).toEqual(EXPECTED);
  });

  it('gives the same parts for every split into two chunks', async () => {
    const body = multipart(TRICKY, { preamble: 'ignored preamble', padding: ' \t' });
    for (let cut = 0; cut <= body.length; cut++) {
      expect(await parseAll(body, [cut])).toEqual(EXPECTED);
    }
  });

  it('gives the same parts one byte at a time and for random splits', async () => {
    const body = multipart(TRICKY, { epilogue: '\r\nepilogue text' });
    expect(
      await parseAll(
        body,
        Array.from({ length: body.length }, (_, index) => index),
      ),
    ).toEqual(EXPECTED);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 6 }, () => Math.floor(random() * body.length)).sort((a, b) => a - b);
      expect(await parseAll(body, cuts)).toEqual(EXPECTED);
    }
  });

  it('keeps binary part bodies byte for byte', async () => {
    const payload = Uint8Array.from({ length: 256 }, (_, index) => index);
    const head = encoder.encode(`--${BOUNDARY}\r\nContent-Range: bytes 0-255/256\r\n\r\n`);
    const tail = encoder.encode(`\r\n--${BOUNDARY}--`);
    const body = Buffer.concat([head, payload, tail]);
    const parts = await parseAll(body, [head.length + 13, head.length + 200]);
    expect(Buffer.from(parts[0]?.text ?? '', 'latin1')).toEqual(Buffer.from(payload));
  });

  it('skips a part whose body is not read', async () => {
    const seen: number[] = [];
    for await (const part of parseMultipartByteranges(
      chunks(encoder.encode(multipart(TRICKY)), [3, 40]),
      BOUNDARY,
    )) {
      seen.push(part.start);
    }
    expect(seen).toEqual([0, 50, 90]);
  });

  it('stops reading the source when the consumer leaves early', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield encoder.encode(multipart(TRICKY).slice(0, 120));
        yield encoder.encode('never read');
      } finally {
        finished = true;
      }
    }
    for await (const part of parseMultipartByteranges(source(), BOUNDARY)) {
      expect(part.start).toBe(0);
      break;
    }
    expect(finished).toBe(true);
  });

  it('rejects a body cut before the close delimiter', async () => {
    const body = multipart(TRICKY);
    const error = await failure(parseAll(body.slice(0, body.length - 10)));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.rule).toBe('multipart-truncated');
  });

  it('rejects a part whose length disagrees with its Content-Range', async () => {
    const long = await failure(parseAll(multipart([{ range: '0-3/10', text: 'abcdef' }])));
    expect(long.rule).toBe('multipart-part-length');
    const short = await failure(parseAll(multipart([{ range: '0-8/10', text: 'abc' }])));
    expect(short.rule).toBe('multipart-part-length');
  });

  it('rejects parts without a valid bytes Content-Range', async () => {
    const missing = `--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nabc\r\n--${BOUNDARY}--`;
    expect((await failure(parseAll(missing))).rule).toBe('multipart-content-range');
    expect((await failure(parseAll(multipart([{ range: '9-3/10', text: '' }])))).rule).toBe(
      'multipart-content-range',
    );
    const folded = `--${BOUNDARY}\r\nContent-Range: bytes 0-2/3\r\n folded\r\n\r\nabc\r\n--${BOUNDARY}--`;
    expect((await failure(parseAll(folded))).rule).toBe('multipart-header');
  });

  it('rejects text after a boundary', async () => {
    const body = `--${BOUNDARY}junk\r\nContent-Range: bytes 0-2/3\r\n\r\nabc\r\n--${BOUNDARY}--`;
    expect((await failure(parseAll(body))).rule).toBe('multipart-delimiter');
  });

  it('bounds header sections, part counts and preambles', async () => {
    const bigHeader = `--${BOUNDARY}\r\nX-Big: ${'a'.repeat(200)}\r\nContent-Range: bytes 0-0/1\r\n\r\na\r\n--${BOUNDARY}--`;
    const headerError = await failure(parseAll(bigHeader, [], { maxPartHeaderBytes: 100 }));
    expect(headerError.code).toBe('LIMIT_EXCEEDED');
    expect(headerError.details.limit).toBe('maxPartHeaderBytes');
    const partsError = await failure(parseAll(multipart(TRICKY), [], { maxParts: 2 }));
    expect(partsError.details.limit).toBe('maxParts');
    const preambleError = await failure(
      parseAll(`${'p'.repeat(500)}\r\n${multipart(TRICKY)}`, [], { maxPreambleBytes: 100 }),
    );
    expect(preambleError.details.limit).toBe('maxPreambleBytes');
  });
});

describe('byterangesBoundary', () => {
  it('reads the boundary of multipart/byteranges, quoted or not', () => {
    expect(byterangesBoundary('multipart/byteranges; boundary=abc')).toBe('abc');
    expect(byterangesBoundary('Multipart/ByteRanges; boundary="a b:c"')).toBe('a b:c');
  });

  it('gives null for other types and invalid boundaries', () => {
    expect(byterangesBoundary('multipart/form-data; boundary=abc')).toBeNull();
    expect(byterangesBoundary('multipart/byteranges')).toBeNull();
    expect(byterangesBoundary(`multipart/byteranges; boundary=${'x'.repeat(71)}`)).toBeNull();
    expect(byterangesBoundary(null)).toBeNull();
  });
});
