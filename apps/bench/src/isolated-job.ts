import type { SetupOptions } from './contender.js';
import type { Sample } from './measure.js';
import type { Plan, Workload } from './scenario.js';

/**
 * What the harness hands an isolated contender process over IPC: everything
 * the turn needs, as plain data, so the child loads no scenario module (and
 * nothing those import) to rebuild it. The origin travels as a string: a URL
 * does not survive structured serialisation.
 */
export interface IsolatedJob {
  readonly type: 'job';
  readonly contender: string;
  readonly origin: string;
  readonly setup: Omit<SetupOptions, 'origin'>;
  readonly workload: Workload;
  readonly plan: Plan;
  readonly inFlight: number;
  readonly hangTimeoutMs: number;
}

/**
 * Messages from an isolated turn: `ready` once its listener is in place (a
 * message sent before that could be emitted to nobody and lost), then one
 * `sample`.
 */
export type IsolatedMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'sample'; readonly sample: Sample };

export function isIsolatedJob(message: unknown): message is IsolatedJob {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'job';
}

/** The sample of a `sample` message, else undefined. */
export function isolatedSample(message: unknown): Sample | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const candidate = message as { type?: unknown; sample?: unknown };
  return candidate.type === 'sample' && typeof candidate.sample === 'object' && candidate.sample !== null
    ? (candidate.sample as Sample)
    : undefined;
}

export function isReady(message: unknown): true | undefined {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready'
    ? true
    : undefined;
}
