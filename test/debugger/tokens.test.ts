import { describe, expect, it } from 'vitest';
import { countTokens, TOKENIZER_ENCODING, tokenizerName } from '../../src/debugger/tokens.js';

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
});
