import { type Stat, stat } from './measure.js';
import type { ContenderOutcome, ScenarioOutcome } from './outcome.js';

/** The numbers the report prints for one contender in one scenario. */
export interface ContenderSummary {
  readonly name: string;
  readonly description: string;
  readonly ceiling: boolean;
  /** Per turn: requests (or operations) per second, or body bytes per second for byte scenarios. */
  readonly rate: Stat | null;
  /** Per turn: client CPU microseconds (user + system) per request or operation, or per MiB of body for byte scenarios. */
  readonly cpuMicrosPerOperation: Stat | null;
  readonly peakRssBytes: Stat | null;
  /** Per turn: RSS of the contender's process once set up, before any request (Node, loader, modules). */
  readonly idleRssBytes: Stat | null;
  /** Per turn: peak RSS minus the RSS just before the measured turn (what the transfer itself cost). */
  readonly rssGrowthBytes: Stat | null;
  /** Per turn: what the turn left reachable after a full collection (isolated scenarios only). */
  readonly retainedBytes: Stat | null;
  /** Per turn: retained bytes over the requests completed (bytes per stored entry in cache-memory). */
  readonly retainedBytesPerOperation: Stat | null;
  /** Median rate over the baseline's median rate (1 = as fast as undici request). */
  readonly vsBaseline: number | null;
  /** Median CPU per operation over the baseline's (below 1 = cheaper than undici request). */
  readonly cpuVsBaseline: number | null;
  /** Median rate over the ceiling's median rate. */
  readonly ofCeiling: number | null;
  readonly completed: number;
  readonly failed: number;
  readonly error?: string | undefined;
}

export interface ScenarioSummary {
  readonly contenders: ContenderSummary[];
  /** Highest share of one core the server used in any turn: near 1 would mean the server was the limit. */
  readonly serverCoreShare: number | null;
}

export function summariseScenario(scenario: ScenarioOutcome): ScenarioSummary {
  const rateOf = (outcome: ContenderOutcome) =>
    stat(
      outcome.samples.map((sample) =>
        sample.elapsedMs > 0
          ? ((scenario.unit === 'bytes' ? sample.bodyBytes : sample.completed) / sample.elapsedMs) * 1000
          : 0,
      ),
    );
  const baselineOutcome = scenario.contenders.find((outcome) => outcome.name === scenario.baseline);
  const ceilingOutcome = scenario.contenders.find((outcome) => outcome.ceiling);
  const cpuOf = (outcome: ContenderOutcome) =>
    stat(
      outcome.samples
        .filter((sample) => sample.completed > 0 && (scenario.unit !== 'bytes' || sample.bodyBytes > 0))
        .map((sample) =>
          scenario.unit === 'bytes'
            ? sample.cpuMicros / (sample.bodyBytes / (1024 * 1024))
            : sample.cpuMicros / sample.completed,
        ),
    );
  const baselineRate = baselineOutcome ? rateOf(baselineOutcome)?.median : undefined;
  const baselineCpu = baselineOutcome ? cpuOf(baselineOutcome)?.median : undefined;
  const ceilingRate = ceilingOutcome ? rateOf(ceilingOutcome)?.median : undefined;
  let serverCoreShare: number | null = null;
  const contenders = scenario.contenders.map((outcome): ContenderSummary => {
    const rate = rateOf(outcome);
    const cpu = cpuOf(outcome);
    for (const sample of outcome.samples) {
      if (sample.serverCpuMicros === undefined || sample.elapsedMs <= 0) continue;
      const share = sample.serverCpuMicros / (sample.elapsedMs * 1000);
      serverCoreShare = Math.max(serverCoreShare ?? 0, share);
    }
    const ratio = (reference: number | undefined) =>
      rate !== null && reference !== undefined && reference > 0 ? rate.median / reference : null;
    return {
      name: outcome.name,
      description: outcome.description,
      ceiling: outcome.ceiling,
      rate,
      cpuMicrosPerOperation: cpu,
      peakRssBytes: stat(
        outcome.samples.flatMap((sample) => (sample.peakRssBytes === undefined ? [] : [sample.peakRssBytes])),
      ),
      idleRssBytes: stat(
        outcome.samples.flatMap((sample) => (sample.idleRssBytes === undefined ? [] : [sample.idleRssBytes])),
      ),
      rssGrowthBytes: stat(
        outcome.samples.flatMap((sample) =>
          sample.peakRssBytes === undefined || sample.rssBeforeBytes === undefined
            ? []
            : [Math.max(0, sample.peakRssBytes - sample.rssBeforeBytes)],
        ),
      ),
      retainedBytes: stat(
        outcome.samples.flatMap((sample) =>
          sample.retainedBytes === undefined ? [] : [sample.retainedBytes],
        ),
      ),
      retainedBytesPerOperation: stat(
        outcome.samples.flatMap((sample) =>
          sample.retainedBytes === undefined || sample.completed === 0
            ? []
            : [sample.retainedBytes / sample.completed],
        ),
      ),
      vsBaseline: ratio(baselineRate),
      cpuVsBaseline:
        cpu !== null && baselineCpu !== undefined && baselineCpu > 0 ? cpu.median / baselineCpu : null,
      ofCeiling: outcome.ceiling ? null : ratio(ceilingRate),
      completed: outcome.samples.reduce((sum, sample) => sum + sample.completed, 0),
      failed: outcome.samples.reduce((sum, sample) => sum + sample.failed, 0),
      error: outcome.error,
    };
  });
  return { contenders, serverCoreShare };
}
