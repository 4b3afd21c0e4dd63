import { createRequire } from 'node:module';
import { estimateTokens } from '../llm/model.js';

type TiktokenModule = typeof import('js-tiktoken/lite');
type Encoder = InstanceType<TiktokenModule['Tiktoken']>;
type Ranks = ConstructorParameters<TiktokenModule['Tiktoken']>[0];

/** The encoding of current OpenAI models; other vendors' counts differ by a few percent, which a budget tolerates. */
export const TOKENIZER_ENCODING = 'o200k_base';


// undefined: not tried yet; null: tried and failed (counted by characters from then on).
let encoder: Encoder | null | undefined;

/**
 * How many tokens `text` costs a model. The rank table takes about a second to load, so it is
 * loaded on the first call rather than at import time (most ldb commands never count tokens).
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const loaded = loadEncoder();
  // Empty lists for allowed and disallowed specials: a program containing "<|endoftext|>" is plain text to us.
  return loaded ? loaded.encode(text, [], []).length : estimateTokens(text);
}

/** Which counter countTokens uses: the real tokenizer, or the LLM layer's characters/4 estimate when it could not load. */
export function tokenizerName(): string {
  return loadEncoder() ? TOKENIZER_ENCODING : 'chars/4';
}

function loadEncoder(): Encoder | null {
  if (encoder !== undefined) return encoder;
  try {
    // require keeps countTokens synchronous; the package ships CommonJS builds of both parts.
    const require = createRequire(import.meta.url);
    const { Tiktoken } = require('js-tiktoken/lite') as TiktokenModule;
    const ranks = require(`js-tiktoken/ranks/${TOKENIZER_ENCODING}`) as Ranks | { default: Ranks };
    encoder = new Tiktoken('default' in ranks ? ranks.default : ranks);
  } catch {
    encoder = null;
  }
  return encoder;
}
