import { poolFor, VARIANTS, type Variant } from './workload.js';

export interface VariantCount {
  readonly variant: Variant;
  /** Instructions one request costs. */
  readonly perRequest: number;
}

/**
 * One request's instructions from two runs that differ only in the number
 * of measured requests: start-up, module loading, warm-up and exit cancel
 * out. A longer run that counted fewer is a broken measurement, not a cost.
 */
export function perRequest(shortRun: number, longRun: number, extraRequests: number): number {
  if (!(extraRequests > 0)) throw new Error('the runs must differ by at least one request');
  if (longRun <= shortRun) {
    throw new Error(
      `the longer run counted ${longRun} instructions, the shorter ${shortRun}: not comparable`,
    );
  }
  return (longRun - shortRun) / extraRequests;
}

/**
 * The Markdown report: each variant against the bare pool, and what each
 * default layer adds (the full client minus the client without that layer).
 */
export function variantTable(
  counts: readonly VariantCount[],
  run: { readonly requests: number; readonly warmUp: number; readonly date: Date; readonly node: string },
): string {
  const of = (variant: Variant) => counts.find((count) => count.variant === variant)?.perRequest;
  const client = of('x-client');
  const lines = [
    `_Instructions per request over an in-memory origin (valgrind callgrind, V8 single-threaded), ` +
      `${run.date.toISOString()}, Node ${run.node}; ${run.warmUp} warm-up requests, then runs of ` +
      `${run.requests} and ${2 * run.requests} requests, differenced. Each variant against the bare ` +
      'pool sending the same request._',
    '',
    '| variant | instructions / request | vs bare pool | what it is |',
    '| --- | ---: | ---: | --- |',
    ...counts.map((count) => {
      const pool = of(poolFor(count.variant));
      const ratio = pool === undefined ? '—' : `${(count.perRequest / pool).toFixed(2)}×`;
      return `| ${count.variant} | ${Math.round(count.perRequest).toLocaleString('en-US')} | ${ratio} | ${VARIANTS[count.variant]} |`;
    }),
  ];
  if (client !== undefined) {
    const layers: [string, Variant][] = [
      ['redirect', 'x-client-no-redirect'],
      ['retry', 'x-client-no-retry'],
      ['decode (with its Accept-Encoding field)', 'x-client-no-decode'],
    ];
    const priced = layers.flatMap(([layer, without]) => {
      const rest = of(without);
      return rest === undefined ? [] : [`${layer} ${Math.round(client - rest).toLocaleString('en-US')}`];
    });
    if (priced.length > 0) lines.push('', `What each default layer adds to x-client: ${priced.join(', ')}.`);
  }
  return `${lines.join('\n')}\n`;
}
