/**
 * A contender in a computation-only scenario (parsing canned bytes or header
 * values). `prepare` does every allocation and lookup that a real user would
 * do once; the returned function is the unit of work that is timed, and
 * returns a number derived from its output so the harness can check every
 * call produced the right answer (and the work cannot be optimised away).
 */
export interface MicroContender {
  readonly name: string;
  readonly description: string;
  prepare(): () => number;
}
