import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../src/api.js';
import { loadProblems } from '../../src/cases/datasets.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

// The cases of one runTests call go to the sandbox server in one message (issue 10 item 8).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('batched cases', () => {
  it('runs every case in order on one server, each in its own context', async () => {
    const sandbox = new Sandbox();
    try {
      const code = 'let calls = 0;\nfunction double(n) { calls++; return n * 2; }';
      // `calls` is 1 in every case: a fresh context each time, though they all came in one message.
      const tests = Array.from({ length: 20 }, (_, i) => `assert.strictEqual(double(${i}) + calls, ${i === 7 ? 0 : 2 * i + 1});`);
      const run = await runTests({ code, tests: tests.join('\n'), sandbox });
      expect(run.cases.map((c) => c.outcome.kind)).toEqual(tests.map((_, i) => (i === 7 ? 'fail' : 'pass')));
      expect(run.cases[7]!.outcome).toMatchObject({ expected: '0', actual: '15' });
      const stats = await sandbox.stats();
      expect(stats.server?.runs).toBe(20);
    } finally {
      sandbox.dispose();
    }
  });

  it('a case that kills the server mid-batch ends alone: the cases after it run on a new server', async () => {
    const bomb = await readFile(`${ROOT}fixtures/hostile/bombs/memory-map.js`, 'utf8');
    const code = `${bomb}\nfunction add(a, b) { return a + b; }`;
    const tests = ['assert.strictEqual(add(1, 1), 2);', 'assert.ok(index());', 'assert.strictEqual(add(2, 2), 4);', 'assert.strictEqual(add(2, 2), 5);'];
    const run = await runTests({ code, tests: tests.join('\n'), limits: { timeMs: 4000, memoryMb: 16 } });
    const kinds = run.cases.map((c) => c.outcome.kind);
    expect(kinds[0]).toBe('pass');
    // memory when V8 aborts the server in time; timeout when a loaded machine is slower than the limit
    expect(['memory', 'timeout']).toContain(kinds[1]);
    expect(kinds.slice(2)).toEqual(['pass', 'fail']);
  });

  it('traces every case of a batch, long runs included (their tail in a second pass)', async () => {
    const code = 'function sumTo(n) {\n  let total = 0;\n  for (let i = 1; i < n; i++) total += i;\n  return total;\n}';
    const tests = ['assert.strictEqual(sumTo(3), 6);', 'assert.strictEqual(sumTo(2000), 2001000);', 'assert.strictEqual(sumTo(0), 0);'];
    const run = await runTests({ code, tests: tests.join('\n'), trace: true, limits: { maxEvents: 50 } });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['fail', 'fail', 'pass']);
    const long = run.cases[1]!.trace!;
    expect(long.truncated).toBe(true);
    expect(long.events).toHaveLength(50);
    expect(long.events.at(-1)!.value).toBe('1999000');
    expect(run.cases[0]!.trace!.truncated).toBe(false);
  });

  it('a run whose timeout retires the server does not fail the cases after it (they run on a new server)', async () => {
    // HumanEvalPack JavaScript/25's buggy factorize never ends; its timeouts make the server retire
    // itself (the isolate may still hold a thread). Each case must end as its own timeout or memory
    // blow-up, never as "the sandbox process stopped unexpectedly".
    const problem = (await loadProblems('humanevalpack-js')).find((p) => p.id === 'JavaScript/25')!;
    const run = await runTests({ code: problem.programs.buggy!, tests: problem.hiddenTests, limits: { timeMs: 500 } });
    expect(run.cases.length).toBeGreaterThan(2);
    for (const c of run.cases) expect(['timeout', 'memory']).toContain(c.outcome.kind);
  });
});
