import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../src/api.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

// The sandbox server (src/sandbox/process.ts, server.ts): a child process that owns the isolates.

const ADD = 'function add(a, b) { return a + b; }';
const sandboxes: Sandbox[] = [];
const fresh = (): Sandbox => {
  const sandbox = new Sandbox();
  sandboxes.push(sandbox);
  return sandbox;
};
afterAll(() => sandboxes.forEach((s) => s.dispose()));

describe('the sandbox server', () => {
  it('queues concurrent runs on one Sandbox and answers each one', async () => {
    const sandbox = fresh();
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => runTests({ code: ADD, tests: `assert.strictEqual(add(${n}, 1), ${n === 3 ? 0 : n + 1})`, sandbox, trace: n % 2 === 0 })),
    );
    expect(runs.map((run) => run.cases[0]!.outcome.kind)).toEqual(['pass', 'pass', 'fail', 'pass', 'pass']);
  });

  it('gives each concurrent Sandbox its own server process', async () => {
    const [a, b] = [fresh(), fresh()];
    await Promise.all([a, b].map((sandbox) => runTests({ code: ADD, tests: 'assert.strictEqual(add(1, 1), 2)', sandbox })));
    const [statsA, statsB] = await Promise.all([a.stats(), b.stats()]);
    expect(statsA.server?.pid).toBeGreaterThan(0);
    expect(statsA.server?.pid).not.toBe(statsB.server?.pid);
  });

  it('takes a disposed Sandbox’s server back and lends it to the next one', async () => {
    const first = fresh();
    await runTests({ code: ADD, tests: 'assert.strictEqual(add(1, 1), 2)', sandbox: first });
    const pid = (await first.stats()).server?.pid;
    first.dispose();
    const spawned = (await first.stats()).processes.spawned;
    const second = fresh();
    await runTests({ code: ADD, tests: 'assert.strictEqual(add(2, 2), 4)', sandbox: second });
    const stats = await second.stats();
    expect(stats.processes.spawned).toBe(spawned);
    expect(stats.server?.pid).toBe(pid);
    expect(stats.server?.liveIsolates).toBe(1);
  });

  it('survives its server dying of a fatal out-of-memory: memory, a partial trace, then a new server', async () => {
    const sandbox = fresh();
    await runTests({ code: ADD, tests: 'assert.strictEqual(add(1, 1), 2)', sandbox });
    const before = await sandbox.stats();
    const code = 'function grow() {\n  const m = new Map();\n  for (let i = 0; ; i++) m.set(i, { i });\n}';
    const run = await runTests({ code, tests: 'grow(); assert.ok(true);', sandbox, trace: true, limits: { memoryMb: 16, timeMs: 5000 } });
    expect(run.cases[0]!.outcome).toEqual({ kind: 'memory', limitMb: 16 });
    expect(run.cases[0]!.trace!.events.length).toBeGreaterThan(0);
    const next = await runTests({ code: ADD, tests: 'assert.strictEqual(add(2, 3), 5)', sandbox });
    expect(next.cases[0]!.outcome.kind).toBe('pass');
    const after = await sandbox.stats();
    expect(after.server?.pid).not.toBe(before.server?.pid);
    expect(after.processes.spawned).toBeGreaterThan(before.processes.spawned);
  });

  it('keeps nothing of one case in the next: globals, prototypes and timers are per context', async () => {
    const sandbox = fresh();
    const code = 'function mark() { globalThis.leftover = 1; Array.prototype.leak = 2; setTimeout(() => { throw new Error("late"); }, 1); return 1; }\nfunction look() { return [typeof leftover, typeof [].leak].join(); }';
    const run = await runTests({ code, tests: 'assert.strictEqual(mark(), 1);\nassert.strictEqual(look(), "undefined,undefined");', sandbox });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'pass']);
  });
});
