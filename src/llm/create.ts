// Model spec -> provider -> retries -> response cache: the one way the rest of ldb gets a Model.
import { defaultCacheDir, ResponseCache, withResponseCache } from './cache.js';
import { createAnthropicModel } from './anthropic.js';
import { createExecModel } from './exec.js';
import type { Model } from './model.js';
import { createOpenAIChatModel } from './openai.js';
import { loadPrices, type PriceTable } from './pricing.js';
import type { Fetch, Sleep } from './retry.js';
import { parseModelSpec, type Env, type ModelConfig } from './spec.js';

export interface CreateModelOptions {
  /** Where keys, base URLs, LDB_MODEL, LDB_CACHE_DIR and LDB_PRICES are read. Default process.env. */
  env?: Env;
  /** Cache directory; default LDB_CACHE_DIR, else `${XDG_CACHE_HOME ?? ~/.cache}/ldb/responses`. */
  cacheDir?: string;
  /** false turns the response cache off (the CLI's --no-cache). Default true. */
  cache?: boolean;
  /** Per request attempt (HTTP) or per command run (exec). Default 120 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors. Default 4. */
  maxRetries?: number;
  /** First backoff ceiling, doubled per retry (full jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Prices (USD per 1M tokens) on top of the built-in table and LDB_PRICES. */
  prices?: PriceTable;
  /** Replaces the backoff sleep (tests). */
  sleep?: Sleep;
  /** Replaces global fetch (tests, proxies). */
  fetch?: Fetch;
}

/** Throws ModelError (code 'config') when the spec or the environment is unusable; no request is made here. */
export function createModel(spec: string, options: CreateModelOptions = {}): Model {
  const env = options.env ?? process.env;
  const config = parseModelSpec(spec, env);
  const provider = createProvider(config, options, env);
  if (options.cache === false) return provider;
  const cache = new ResponseCache(options.cacheDir ?? defaultCacheDir(env));
  return withResponseCache(provider, cache, {
    modelId: config.id,
    endpoint: config.protocol === 'exec' ? undefined : config.baseUrl,
  });
}

function createProvider(config: ModelConfig, options: CreateModelOptions, env: Env): Model {
  if (config.protocol === 'exec') return createExecModel(config, { timeoutMs: options.timeoutMs });
  const http = {
    prices: loadPrices({ prices: options.prices, env }),
    maxRetries: options.maxRetries,
    baseDelayMs: options.baseDelayMs,
    timeoutMs: options.timeoutMs,
    sleep: options.sleep,
    fetch: options.fetch,
  };
  return config.protocol === 'anthropic' ? createAnthropicModel(config, http) : createOpenAIChatModel(config, http);
}
