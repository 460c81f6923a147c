/**
 * The few DER (X.690) reading steps needed to pull the subjectAltName
 * extension and the SubjectPublicKeyInfo out of a certificate. Not a general
 * ASN.1 parser: it reads tag-length-value triples with bounds checks and
 * throws `DerError` on anything malformed, never reads past the buffer.
 */

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface DerElement {
  /** The identifier octet (single-byte tags only: all X.509 needs). */
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
  /** Offset of the identifier octet (start of the whole TLV). */
  readonly headerStart: number;
}

/** Reads one TLV at `offset`; `limit` is where the enclosing element ends. */
export function readElement(bytes: Uint8Array, offset: number, limit = bytes.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated element header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used in X.509');
  let lengthByte = bytes[offset + 1]!;
  let cursor = offset + 2;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    // Long form: DER forbids the indefinite form (0x80) and more than 4 length bytes fits no certificate.
    lengthByte &= 0x7f;
    if (lengthByte === 0 || lengthByte > 4) throw new DerError('unsupported length form');
    if (cursor + lengthByte > limit) throw new DerError('truncated length');
    length = 0;
    for (let index = 0; index < lengthByte; index++) length = length * 256 + bytes[cursor + index]!;
    cursor += lengthByte;
  }
  const end = cursor + length;
  if (end > limit) throw new DerError('element longer than its container');
  return { tag, start: cursor, end, headerStart: offset };
}

/** The children of a constructed element, in order. */
export function readChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('element is not constructed');
  const children: DerElement[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readElement(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element === undefined || element.tag !== tag) throw new DerError(`expected ${what}`);
  return element;
}
