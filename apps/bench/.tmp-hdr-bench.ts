import { createRequire } from 'node:module';
import { parseAccept, parseCacheControl, parseHttpDate, parseMediaType } from '@x/headers';
import { CACHE_CONTROL_SAMPLES, CONTENT_TYPE_SAMPLES } from './src/micro/header-samples.js';

const require = createRequire(import.meta.url);
const undiciCC = (require('undici/lib/util/cache.js') as { parseCacheControlHeader(v: string): object })
  .parseCacheControlHeader;
const undiciMime = (require('undici/lib/web/fetch/data-url.js') as { parseMIMEType(v: string): unknown })
  .parseMIMEType;
function run(name: string, fn: () => unknown) {
  for (let i = 0; i < 50_000; i++) fn();
  const results: number[] = [];
  for (let r = 0; r < 5; r++) {
    const n = 200_000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    results.push(Number(process.hrtime.bigint() - t) / n);
  }
  results.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} ${results[2]!.toFixed(0)} ns/op (4 values)`);
}
const cc = CACHE_CONTROL_SAMPLES.map(([v]) => v);
const ct = CONTENT_TYPE_SAMPLES.map(([v]) => v);
run('undici cache-control', () => {
  for (const v of cc) undiciCC(v);
});
run('x parseCacheControl', () => {
  for (const v of cc) parseCacheControl(v);
});
run('undici parseMIMEType', () => {
  for (const v of ct) undiciMime(v);
});
run('x parseMediaType', () => {
  for (const v of ct) parseMediaType(v);
});
const dates = [
  'Sun, 06 Nov 1994 08:49:37 GMT',
  'Sunday, 06-Nov-94 08:49:37 GMT',
  'Sun Nov  6 08:49:37 1994',
  'Wed, 21 Oct 2015 07:28:00 GMT',
];
run('Date.parse', () => {
  for (const v of dates) Date.parse(v);
});
run('x parseHttpDate', () => {
  for (const v of dates) parseHttpDate(v);
});
const acc = [
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'application/json',
  '*/*',
  'text/*;q=0.3, text/plain;q=0.7',
];
run('x parseAccept', () => {
  for (const v of acc) parseAccept(v);
});
