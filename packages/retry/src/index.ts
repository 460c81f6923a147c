export { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type Outcome,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
export { type RetryOptions, type RetryRecord, retries, withRetries } from './with-retries.js';
