/**
 * `x-http -w/--write-out <format>`: curl's summary line, printed on stdout
 * after the transfer. `%{name}` is a variable, `%header{name}` a response
 * field, `%%` a percent sign; `\n`, `\r`, `\t` and `\\` are escapes. An
 * unknown variable is a usage error (curl prints nothing for it and warns):
 * a typo in a script's format should fail loudly, not print an empty value.
 */
import type { HeaderList } from '@x/headers';
import { isToken, type Parsed, parsedInvalid, parsedOk } from '@x/headers';

/** What the format can show about one run. */
export interface TransferSummary {
  /** The final response's status; 0 when there was none (printed 000, as curl does). */
  readonly status: number;
  readonly headers: HeaderList | undefined;
  /** Body bytes written to stdout or the -o file (after decoding). */
  readonly sizeDownload: number;
  /** Bytes of the final response's status line and fields, as -i prints them. */
  readonly sizeHeader: number;
  /** Milliseconds from the start of the exchange to the end of the body, by the CLI's clock. */
  readonly elapsed: number;
  readonly urlEffective: string;
  readonly redirects: number;
  /** The method of the last request sent (a 303 turns POST into GET). */
  readonly method: string;
  readonly exitCode: number;
}

const VARIABLES: Readonly<Record<string, (summary: TransferSummary) => string>> = {
  http_code: (summary) => String(summary.status).padStart(3, '0'),
  response_code: (summary) => String(summary.status).padStart(3, '0'),
  size_download: (summary) => String(summary.sizeDownload),
  size_header: (summary) => String(summary.sizeHeader),
  time_total: (summary) => (summary.elapsed / 1000).toFixed(6),
  url_effective: (summary) => summary.urlEffective,
  num_redirects: (summary) => String(summary.redirects),
  content_type: (summary) => summary.headers?.get('content-type') ?? '',
  exitcode: (summary) => String(summary.exitCode),
  method: (summary) => summary.method,
};

export type WriteOutPiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'header'; readonly name: string };

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };

/** The format as pieces; an unknown variable or a field name that is not a token is invalid. */
export function parseWriteOut(format: string): Parsed<readonly WriteOutPiece[]> {
  const pieces: WriteOutPiece[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let index = 0; index < format.length; index++) {
    const character = format[index] as string;
    const next = format[index + 1];
    if (character === '\\' && next !== undefined && Object.hasOwn(ESCAPES, next)) {
      text += ESCAPES[next];
      index++;
    } else if (character === '%' && next === '%') {
      text += '%';
      index++;
    } else if (character === '%' && (next === '{' || format.startsWith('header{', index + 1))) {
      const open = format.indexOf('{', index);
      const close = format.indexOf('}', open);
      if (close === -1) return parsedInvalid(`-w: ${format.slice(index)} has no closing }`);
      const name = format.slice(open + 1, close);
      flush();
      if (next === '{') {
        if (!Object.hasOwn(VARIABLES, name))
          return parsedInvalid(
            `-w: unknown variable %{${name}} (known: ${Object.keys(VARIABLES).join(', ')})`,
          );
        pieces.push({ kind: 'variable', name });
      } else {
        if (!isToken(name)) return parsedInvalid(`-w: %header{${name}} needs a field name`);
        pieces.push({ kind: 'header', name });
      }
      index = close;
    } else {
      text += character;
    }
  }
  flush();
  return parsedOk(pieces);
}

/** The format filled in; a field the response lacks prints nothing, several values are joined with ", ". */
export function renderWriteOut(pieces: readonly WriteOutPiece[], summary: TransferSummary): string {
  let output = '';
  for (const piece of pieces) {
    if (piece.kind === 'text') output += piece.text;
    else if (piece.kind === 'variable')
      output += (VARIABLES[piece.name] as (s: TransferSummary) => string)(summary);
    else output += summary.headers?.getAll(piece.name).join(', ') ?? '';
  }
  return output;
}
