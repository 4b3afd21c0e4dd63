import type { Completion } from './model.js';
// What a call cost, from a small price table the user can extend or override.
import { readFileSync } from 'node:fs';
import { ModelError } from '../errors.js';
import type { Env } from './spec.js';

/** USD per one million tokens. */
export interface Price {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

/**
 * List prices (standard tier, no batch or cached-input discounts) as published by OpenAI and
 * Anthropic, taken on 2026-03-21. They change: override them with LDB_PRICES or the `prices` option.
 */
export const DEFAULT_PRICES: PriceTable = {
  // OpenAI
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5.1': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // Anthropic
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
};

/**
 * The price for a model name: an exact entry, or an entry the name extends by a dated snapshot
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) or `-latest`. A plain prefix would price
 * `claude-opus-4-7` as `claude-opus-4` or `gpt-5.4` as `gpt-5`; an unknown cost is better than a wrong one.
 */
export function findPrice(model: string, table: PriceTable): Price | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (!model.startsWith(name) || !isSnapshotSuffix(model.slice(name.length))) continue;
    if (best === undefined || name.length > best.length) best = name;
  }
  return best === undefined ? undefined : table[best];
}

function isSnapshotSuffix(rest: string): boolean {
  return /^-(\d{4}(-\d{2}-\d{2}|\d{4})?|latest)$/.test(rest);
}

export function costOf(model: string, promptTokens: number, completionTokens: number, table: PriceTable): number | null {
  const price = findPrice(model, table);
  if (!price) return null;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

/** The defaults, then the JSON file named by LDB_PRICES, then the `prices` option; later entries win. */
export function loadPrices(options: { prices?: PriceTable; env?: Env } = {}): PriceTable {
  const file = options.env?.LDB_PRICES?.trim();
  return { ...DEFAULT_PRICES, ...(file ? readPriceFile(file) : {}), ...(options.prices ?? {}) };
}

const PRICE_FILE_FORM = '{"<model>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>}}';

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

function asPriceTable(data: unknown): PriceTable | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const table: Record<string, Price> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value !== 'object' || value === null) return undefined;
    const { input, output } = value as Record<string, unknown>;
    if (!isPrice(input) || !isPrice(output)) return undefined;
    table[name] = { input, output };
  }
  return table;
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** What a provider's reply comes down to, before it is priced. */
export interface ProviderReply {
  text: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

/** A provider's reply as a Completion, priced by the model it was asked of. */
export function pricedCompletion(modelName: string, reply: ProviderReply, prices: PriceTable): Completion {
  return {
    text: reply.text,
    model: reply.model,
    usage: {
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      costUsd: costOf(modelName, reply.promptTokens, reply.completionTokens, prices),
      cached: false,
    },
  };
}
