import { createRequire } from 'node:module';
import { estimateTokens } from '../llm/model.js';
import { PieceCounter, type Encoder, type Ranks } from './token-pieces.js';

type TiktokenModule = typeof import('js-tiktoken/lite');

/** The encoding of current OpenAI models; other vendors' counts differ by a few percent, which a budget tolerates. */
export const TOKENIZER_ENCODING = 'o200k_base';

// undefined: not tried yet; null: tried and failed (counted by characters from then on).
let counter: PieceCounter | null | undefined;

/**
 * How many tokens `text` costs a model: exactly what the o200k tokenizer gives, counted piece by
 * piece with a cache (see token-pieces.ts; fitting a trace to its budget counts thousands of
 * lines). The rank table takes about a second to load, so it is loaded on the first call rather
 * than at import time (most ldb commands never count tokens).
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const loaded = loadCounter();
  return loaded ? loaded.count(text) : estimateTokens(text);
}

/** Which counter countTokens uses: the real tokenizer, or the LLM layer's characters/4 estimate when it could not load. */
export function tokenizerName(): string {
  return loadCounter() ? TOKENIZER_ENCODING : 'chars/4';
}

function loadCounter(): PieceCounter | null {
  if (counter !== undefined) return counter;
  try {
    // require keeps countTokens synchronous; the package ships CommonJS builds of both parts.
    const require = createRequire(import.meta.url);
    const { Tiktoken } = require('js-tiktoken/lite') as TiktokenModule;
    const loaded = require(`js-tiktoken/ranks/${TOKENIZER_ENCODING}`) as Ranks | { default: Ranks };
    const ranks = 'default' in loaded ? loaded.default : loaded;
    const encoder: Encoder = new Tiktoken(ranks);
    counter = new PieceCounter(encoder, ranks.pat_str);
  } catch {
    counter = null;
  }
  return counter;
}
