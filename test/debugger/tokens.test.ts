import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PieceCounter, type Ranks } from '../../src/debugger/token-pieces.js';
import { countTokens, TOKENIZER_ENCODING, tokenizerName } from '../../src/debugger/tokens.js';

const require = createRequire(import.meta.url);
const { Tiktoken } = require('js-tiktoken/lite') as typeof import('js-tiktoken/lite');
const loaded = require(`js-tiktoken/ranks/${TOKENIZER_ENCODING}`) as Ranks | { default: Ranks };
const ranks = 'default' in loaded ? loaded.default : loaded;
const encoder = new Tiktoken(ranks);
const tokenizerCount = (text: string): number => encoder.encode(text, [], []).length;

describe('countTokens', () => {
  it('counts with the real o200k tokenizer', () => {
    expect(tokenizerName()).toBe(TOKENIZER_ENCODING);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    // Code is dense in tokens: a characters/4 guess would say 8 here.
    expect(countTokens('for (let i = 1; i < n; i++) {')).toBe(15);
  });

  it('treats special-token text in a program as plain text instead of throwing', () => {
    expect(countTokens('const s = "<|endoftext|>";')).toBeGreaterThan(5);
  });

  it('gives exactly the tokenizer count on awkward text: whitespace runs, newlines, digits, contractions, non-Latin, emoji', () => {
    const texts = [
      '   \n\n  \t x  y\r\n\r\n   ',
      "it's THEY'RE we'VE 1234567 3.14159 -0.5e-10",
      '  [1]  step 12  sumTo#3  i = 3, total = 6   (was 3)\n    … steps 4-97 omitted\n',
      'Ünïcödé 漢字かな 한국어 العربية 👩‍💻🎉 \u0000\u001b[31m',
      '<|endoftext|><|endofprompt|> after',
      ' '.repeat(300) + 'x' + '\n'.repeat(50) + '/'.repeat(70),
    ];
    for (const text of texts) expect(countTokens(text), JSON.stringify(text)).toBe(tokenizerCount(text));
  });

  it('gives exactly the tokenizer count on every HumanEvalPack prompt, solution and test, also when counted again from the cache', () => {
    const data = readFileSync(fileURLToPath(new URL('../../data/humanevalpack-js.jsonl', import.meta.url)), 'utf8');
    const counter = new PieceCounter(encoder, ranks.pat_str);
    const rows = data.split('\n').filter((line) => line.trim() !== '');
    for (const row of rows) {
      const fields = JSON.parse(row) as Record<string, unknown>;
      const texts = Object.values(fields).filter((v): v is string => typeof v === 'string');
      for (const text of [...texts, texts.join('\n')]) {
        const expected = tokenizerCount(text);
        expect(counter.count(text)).toBe(expected);
        expect(counter.count(text)).toBe(expected);
      }
    }
  });

  it('counts whole texts when a piece alone would split differently (a look-ahead that saw past it)', () => {
    // "a" followed by more text is a piece of its own; alone, the pattern does not match it at all.
    const oneTokenPerCharacter = { encode: (text: string) => [...text].map((_, i) => i) };
    const counter = new PieceCounter(oneTokenPerCharacter, 'a(?!$)|ab|b');
    expect(counter.count('ab')).toBe(2);
    expect(counter.count('bab')).toBe(3);
  });
});
