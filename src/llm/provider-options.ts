// What every HTTP provider is built with, besides its config from spec.ts.
import type { Model } from './model.js';
import type { Notify } from './parameter-memory.js';
import type { PriceTable } from './pricing.js';
import type { RetryOptions } from './retry-policy.js';

export interface ProviderOptions {
  retry: RetryOptions;
  prices: PriceTable;
  notify: Notify;
  /** The user's output budget (--max-tokens); undefined: ldb's default, which may grow once. */
  maxTokens?: number;
  /** Sent as the provider's reasoning-effort parameter (--reasoning-effort). */
  reasoningEffort?: string;
}

/** A provider's Model, which also tells what it learned the model refuses (for the cache's metadata). */
export interface ProviderModel extends Model {
  adjustments(): string[];
}
