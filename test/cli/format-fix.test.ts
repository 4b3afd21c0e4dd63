import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../src/cli/format-fix.js';
import { createStyle } from '../../src/cli/style.js';

describe('ldb fix output: verdicts', () => {
  it('shows code the model found missing after the verdicts', () => {
    const text = formatEvent(
      {
        type: 'verdicts',
        index: 0,
        verdicts: [{ block: 'countVowels#4', correct: true, explanation: 'Remembers the vowel.' }],
        missing: [{ afterLine: 11, explanation: 'count is never increased.' }],
        notes: [],
      },
      createStyle(false),
      { maxIterations: 10 },
    );
    expect(text).toBe('  verdicts:\n    ✓ countVowels#4\n    + missing after line 11  count is never increased.\n');
  });
});
