import { runTests } from '../dist/api.js';
import { Sandbox } from '../dist/sandbox/sandbox.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const CODE = 'function sumTo(n) { let t = 0; for (let i = 1; i <= n; i++) t += i; return t; }';
const expected = (i) => (i * (i + 1)) / 2;

/**
 * Per-case cost of the two test shapes on the same 50 checks: one `assert` statement per case,
 * and one vitest-style `test()` per case (the whole file runs in each case's context, then that
 * test with its hooks). Plain runs, reused sandbox, median of 7 rounds.
 */
export async function benchTestShapes({ cases = 50, rounds = 7 } = {}) {
  const shapes = {
    'assert statements': Array.from({ length: cases }, (_, i) => `assert.strictEqual(sumTo(${i}), ${expected(i)});`).join('\n'),
    'vitest test() + beforeEach': [
      "import { beforeEach, describe, expect, test } from 'vitest';",
      "describe('sumTo', () => {",
      '  let calls = 0;',
      '  beforeEach(() => { calls++; });',
      ...Array.from({ length: cases }, (_, i) => `  test('n=${i}', () => { expect(sumTo(${i})).toBe(${expected(i)}); });`),
      '});',
    ].join('\n'),
  };
  const sandbox = new Sandbox();
  console.log(`\n## Test shapes: plain per-case time, ${cases} cases, median of ${rounds} rounds`);
  try {
    for (const [name, tests] of Object.entries(shapes)) {
      const perCase = [];
      for (let round = 0; round < rounds; round++) {
        const start = performance.now();
        const run = await runTests({ code: CODE, tests, sandbox });
        if (run.failed > 0) throw new Error(`bench test-shapes: ${name} failed`);
        perCase.push((performance.now() - start) / run.cases.length);
      }
      console.log(`${name.padEnd(28)} ${median(perCase).toFixed(2)} ms/case`);
    }
  } finally {
    sandbox.dispose();
  }
}
