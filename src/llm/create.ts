// Model spec -> provider -> retries -> response cache: the one way the rest of ldb gets a Model.
import { ModelError } from '../errors.js';
import { defaultCacheDir, ResponseCache, withResponseCache } from './cache.js';
import { createAnthropicModel } from './anthropic.js';
import { withContextWarning } from './context-check.js';
import { createExecModel } from './exec.js';
import type { Model } from './model.js';
import { createOpenAIChatModel } from './openai.js';
import type { Notify } from './parameter-memory.js';
import { loadPrices, type PriceTable } from './pricing.js';
import type { ProviderModel } from './provider-options.js';
import type { Sleep } from './retry-policy.js';
import { parseModelSpec, type Env, type ModelConfig } from './spec.js';
import type { Fetch } from './transport.js';

/**
 * Everything that shapes how ldb talks to a model, in one object: each command's flags map onto it
 * (`--max-tokens` -> maxTokens, `--reasoning-effort` -> reasoningEffort, `--api-key-env` ->
 * apiKeyEnv, `--request-deadline` -> requestDeadlineMs, `--context-length` -> contextLength,
 * `--request-timeout` -> timeoutMs, `--retries` -> maxRetries, `--no-cache` -> cache: false).
 */
export interface CreateModelOptions {
  /** Where keys, base URLs, LDB_MODEL, LDB_MAX_TOKENS, LDB_API_KEY, LDB_CACHE_DIR and LDB_PRICES are read. Default process.env. */
  env?: Env;
  /** Cache directory; default LDB_CACHE_DIR, else `${XDG_CACHE_HOME ?? ~/.cache}/ldb/responses`. */
  cacheDir?: string;
  /** false turns the response cache off (the CLI's --no-cache). Default true. */
  cache?: boolean;
  /** Per request attempt (HTTP) or per command run (exec). Default 120 s. */
  timeoutMs?: number;
  /** One request's attempts and backoff waits together (HTTP). Default 5 minutes. */
  requestDeadlineMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors. Default 4. */
  maxRetries?: number;
  /** First backoff ceiling, doubled per retry (full jitter). Default 500 ms. */
  baseDelayMs?: number;
  /**
   * Output tokens per reply. Default LDB_MAX_TOKENS, else 2048 (25,000 once a model shows it
   * reasons), grown once when a reply is cut off; a value given here never grows.
   */
  maxTokens?: number;
  /** The provider's reasoning effort (OpenAI `reasoning_effort`, OpenRouter `reasoning.effort`, Anthropic `output_config.effort`). */
  reasoningEffort?: string;
  /** The environment variable holding the API key, instead of the provider's usual one (OPENAI_API_KEY, LDB_API_KEY ...). */
  apiKeyEnv?: string;
  /** The context window the server gives the model, in tokens: a larger prompt draws a warning. */
  contextLength?: number;
  /** Told once each thing worth knowing: a parameter the model refused, a reply cut off, a prompt too long. */
  onNotice?: Notify;
  /** Prices (USD per 1M tokens) on top of the built-in table and LDB_PRICES. */
  prices?: PriceTable;
  /** Replaces the backoff sleep (tests). */
  sleep?: Sleep;
  /** Replaces global fetch (tests, proxies). */
  fetch?: Fetch;
}

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

/** Throws ModelError (code 'config') when the spec or the environment is unusable; no request is made here. */
export function createModel(spec: string, options: CreateModelOptions = {}): Model {
  const env = options.env ?? process.env;
  const config = parseModelSpec(spec, env, { apiKeyEnv: options.apiKeyEnv });
  const settings = { ...options, maxTokens: options.maxTokens ?? maxTokensFromEnv(env), notify: noticesOnce(options.onNotice) };
  checkOptions(settings);
  const provider = createProvider(config, settings, env);
  let model: Model = provider;
  if (options.cache !== false) {
    const cache = new ResponseCache(options.cacheDir ?? defaultCacheDir(env));
    model = withResponseCache(provider, cache, {
      modelId: config.id,
      endpoint: config.protocol === 'exec' ? undefined : config.baseUrl,
      parameters: { maxTokens: settings.maxTokens, reasoningEffort: options.reasoningEffort },
      adjustments: 'adjustments' in provider ? () => provider.adjustments() : undefined,
    });
  }
  return options.contextLength === undefined ? model : withContextWarning(model, options.contextLength, settings.notify);
}

type Settings = CreateModelOptions & { notify: Notify };

function createProvider(config: ModelConfig, options: Settings, env: Env): Model | ProviderModel {
  if (config.protocol === 'exec') {
    return createExecModel(config, { timeoutMs: options.timeoutMs, maxTokens: options.maxTokens, reasoningEffort: options.reasoningEffort });
  }
  const provider = {
    prices: loadPrices({ prices: options.prices, env }),
    notify: options.notify,
    maxTokens: options.maxTokens,
    reasoningEffort: options.reasoningEffort,
    retry: {
      maxRetries: options.maxRetries,
      baseDelayMs: options.baseDelayMs,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.requestDeadlineMs,
      sleep: options.sleep,
      fetch: options.fetch,
    },
  };
  return config.protocol === 'anthropic' ? createAnthropicModel(config, provider) : createOpenAIChatModel(config, provider);
}

function maxTokensFromEnv(env: Env): number | undefined {
  const value = env.LDB_MAX_TOKENS?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ModelError(`LDB_MAX_TOKENS '${value}' is not a positive whole number: set it like LDB_MAX_TOKENS=8192`, {
      code: 'config',
      hint: 'set LDB_MAX_TOKENS=8192',
    });
  }
  return Number(value);
}

function checkOptions(options: Settings): void {
  const positive: Array<[string, number | undefined]> = [
    ['maxTokens', options.maxTokens],
    ['contextLength', options.contextLength],
    ['requestDeadlineMs', options.requestDeadlineMs],
  ];
  for (const [name, value] of positive) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new ModelError(`createModel: ${name} must be a positive whole number, got ${value}`, { code: 'config' });
    }
  }
  const effort = options.reasoningEffort;
  if (effort !== undefined && !(REASONING_EFFORTS as readonly string[]).includes(effort)) {
    const hint = `use one of ${REASONING_EFFORTS.join(', ')}`;
    throw new ModelError(`reasoning effort '${effort}' is not one providers know: ${hint}`, { code: 'config', hint });
  }
}

/** Each distinct notice once per model, however many requests hit the same thing. */
function noticesOnce(notify: Notify | undefined): Notify {
  const seen = new Set<string>();
  return (message) => {
    if (!notify || seen.has(message)) return;
    seen.add(message);
    notify(message);
  };
}
