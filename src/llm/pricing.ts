import type { Completion } from './model.js';
// What a call cost, from a small price table the user can extend or override.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ModelError } from '../errors.js';
import type { Env } from './spec.js';

/** USD per one million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Prompt tokens served from the provider's prompt cache; default: the input price (no discount known). */
  cachedInput?: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

/**
 * List prices, standard tier, USD per 1M tokens, compiled 2026-12-02. They change: override them
 * with LDB_PRICES or the `prices` option.
 * - OpenAI: https://platform.openai.com/docs/pricing ("Standard", input / cached input / output;
 *   GPT-5.4 and 5.5 rows as that page listed them in June 2026, the older rows unchanged since
 *   their launch pages). Chat Completions counts cached tokens inside prompt_tokens.
 * - Anthropic: https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing": base
 *   input / cache hits / output). 5-minute cache writes cost 1.25x input (same page).
 */
export const DEFAULT_PRICES: PriceTable = {
  // OpenAI
  'gpt-5.5': { input: 5, cachedInput: 0.5, output: 30 },
  'gpt-5.4': { input: 2.5, cachedInput: 0.25, output: 15 },
  'gpt-5.4-mini': { input: 0.75, cachedInput: 0.075, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, cachedInput: 0.02, output: 1.25 },
  'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-chat': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  // Anthropic
  'claude-opus-5': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-8': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-7': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-6': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, output: 25 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-opus-4-0': { input: 15, cachedInput: 1.5, output: 75 },
  'claude-sonnet-5': { input: 2, cachedInput: 0.2, output: 10 },
  'claude-sonnet-4-6': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-sonnet-4-0': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, output: 4 },
  'claude-3-haiku': { input: 0.25, cachedInput: 0.03, output: 1.25 },
};

/** Anthropic bills 5-minute cache writes at 1.25x the input price (pricing page, "Prompt caching"). */
const CACHE_WRITE_FACTOR = 1.25;

/**
 * The price for a model name: an exact entry, or an entry the name extends by a dated snapshot
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) or `-latest`; OpenRouter's `openai/` and
 * `anthropic/` names (with dots in Claude versions) too. A plain prefix would price
 * `claude-opus-4-9` as `claude-opus-4` or `gpt-5.9` as `gpt-5`; an unknown cost is better than a wrong one.
 */
export function findPrice(model: string, table: PriceTable): Price | undefined {
  for (const name of candidateNames(model)) {
    const exact = table[name];
    if (exact) return exact;
    let best: string | undefined;
    for (const entry of Object.keys(table)) {
      if (!name.startsWith(entry) || !isSnapshotSuffix(name.slice(entry.length))) continue;
      if (best === undefined || entry.length > best.length) best = entry;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

function candidateNames(model: string): string[] {
  const routed = /^(openai|anthropic)\/(.+)$/.exec(model);
  if (!routed) return [model];
  const name = routed[2] ?? '';
  return [model, routed[1] === 'anthropic' ? name.replace(/(\d)\.(\d)/g, '$1-$2') : name];
}

function isSnapshotSuffix(rest: string): boolean {
  return /^-(\d{4}(-\d{2}-\d{2}|\d{4})?|latest)$/.test(rest);
}

/** Token counts of one reply as the price needs them. */
export interface BilledTokens {
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the prompt cache. */
  cachedPromptTokens?: number;
  /** Of promptTokens, written to the prompt cache (Anthropic). */
  cacheWriteTokens?: number;
}

export function costOf(model: string, tokens: BilledTokens, table: PriceTable): number | null {
  const price = findPrice(model, table);
  if (!price) return null;
  const cached = Math.min(tokens.cachedPromptTokens ?? 0, tokens.promptTokens);
  const written = Math.min(tokens.cacheWriteTokens ?? 0, tokens.promptTokens - cached);
  const plain = tokens.promptTokens - cached - written;
  const input = plain * price.input + cached * (price.cachedInput ?? price.input) + written * price.input * CACHE_WRITE_FACTOR;
  return (input + tokens.completionTokens * price.output) / 1_000_000;
}

/** The defaults, then the JSON file named by LDB_PRICES, then the `prices` option; later entries win. */
export function loadPrices(options: { prices?: PriceTable; env?: Env } = {}): PriceTable {
  const file = options.env?.LDB_PRICES?.trim();
  return { ...DEFAULT_PRICES, ...(file ? readPriceFile(file) : {}), ...(options.prices ?? {}) };
}

const PRICE_FILE_FORM = '{"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>, "cachedInput"?: <USD per 1M tokens>}}';

function readPriceFile(file: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ModelError(`LDB_PRICES names '${file}', which cannot be read (${code}): fix the path or unset LDB_PRICES`, {
      code: 'config',
      hint: 'fix the path or unset LDB_PRICES',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const table = asPriceTable(data);
  if (!table) {
    throw new ModelError(`LDB_PRICES file '${file}' is not a price table: write ${PRICE_FILE_FORM}`, {
      code: 'config',
      hint: `write ${PRICE_FILE_FORM}`,
    });
  }
  return table;
}

const priceFileSchema = z.record(
  z.string(),
  z.object({ input: z.number().finite().nonnegative(), output: z.number().finite().nonnegative(), cachedInput: z.number().finite().nonnegative().optional() }),
);

function asPriceTable(data: unknown): PriceTable | undefined {
  const parsed = priceFileSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** What a provider's reply comes down to, before it is priced. */
export interface ProviderReply extends BilledTokens {
  text: string;
  model: string;
}

/** A provider's reply as a Completion, priced by the model it was asked of. */
export function pricedCompletion(modelName: string, reply: ProviderReply, prices: PriceTable): Completion {
  return {
    text: reply.text,
    model: reply.model,
    usage: {
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      ...(reply.cachedPromptTokens ? { cachedPromptTokens: reply.cachedPromptTokens } : {}),
      costUsd: costOf(modelName, reply, prices),
      cached: false,
    },
  };
}
