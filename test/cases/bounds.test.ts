import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../src/api.js';
import { splitTests } from '../../src/cases/split.js';
import { formatCaseList } from '../../src/cli/format-trace.js';
import { createStyle } from '../../src/cli/style.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

// Inputs that once made the host loop forever or go quadratic (issue 13, class 1).
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

describe('splitting and listing hostile test text', () => {
  it('finds the operator of a console.assert past an HTML-like comment holding an unclosed /*', async () => {
    for (const script of ['console.assert(add(1, 1) <!-- /*\n=== 2);', 'console.assert(add(1, 1) /* a */ <!-- /* b\n=== 3);', 'console.assert(add(1, 1)\n--> /*\n=== 2);']) {
      const [only] = splitTests(script);
      expect(only?.body).toContain("__ldb_cmp(add(1, 1)");
      const run = await runTests({ code: 'function add(a, b) { return a + b; }', tests: script, sandbox });
      expect(run.cases[0]?.outcome.kind).toBe(script.includes('=== 3') ? 'fail' : 'pass');
    }
  });

  it('collapses a test with a huge run of spaces to one line', () => {
    const source = `assert.equal(f(1),${' '.repeat(150_000)}2)\n   ;`;
    const testCase = { index: 0, source, line: 1, column: 0, body: source, async: false };
    const [line] = formatCaseList([{ case: testCase, outcome: { kind: 'pass' }, console: [], durationMs: 0, executionMs: 0 }], createStyle(false));
    expect(line).toContain('assert.equal(f(1),');
    expect(line?.length).toBeLessThan(100);
  });
});
