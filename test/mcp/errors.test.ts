import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, SUM, type Connected } from './helpers.js';

let ldb: Connected;
beforeAll(async () => {
  ldb = await connect({ maxConcurrency: 2, limits: { memoryMb: 16 } });
});
afterAll(async () => {
  await ldb.close();
});

describe('ldb mcp: every error is a tool error with a clear message, and the server carries on', () => {
  it('a syntax error in the program gives file, line, column and the code frame', async () => {
    const answer = await ldb.call('run_tests', { program: 'function f(n) {\n  return n +;\n}\n', filename: 'f.js', tests: 'assert.strictEqual(f(1), 1)' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/^f\.js:2:\d+: Unexpected token/);
    expect(answer.text).toContain('> 2 |   return n +;');
  });

  it('a syntax error in the tests or in a where expression, likewise', async () => {
    const tests = await ldb.call('run_tests', { ...SUM, testsPath: undefined, tests: 'assert.strictEqual(sumTo(1), 1' });
    expect(tests).toMatchObject({ isError: true });
    expect(tests.text).toMatch(/^tests\.js:1:\d+: /);
    const where = await ldb.call('query_trace', { ...SUM, test: 1, where: 'total >' });
    expect(where.isError).toBe(true);
    expect(where.text).toMatch(/^where:1:8: the where expression does not parse: Unexpected token/);
    expect(where.text).toContain('> 1 | total >');
  });

  it('paths outside the root are refused, symbolic links that lead out too', async () => {
    const up = await ldb.call('run_tests', { programPath: '../outside.js', tests: 'assert.ok(true)' });
    expect(up).toMatchObject({ isError: true });
    expect(up.text).toMatch(/^programPath '\.\.\/outside\.js' is outside the server's root /);
    const absolute = await ldb.call('run_tests', { programPath: '/etc/passwd', tests: 'assert.ok(true)' });
    expect(absolute.text).toContain("programPath '/etc/passwd' is outside the server's root");
    const dir = await mkdtemp(join(tmpdir(), 'ldb-mcp-root-'));
    try {
      await symlink('/etc/hostname', join(dir, 'link.js'));
      await writeFile(join(dir, 'ok.js'), 'function one() { return 1; }\n');
      const inTmp = await connect({ root: dir });
      try {
        const linked = await inTmp.call('run_tests', { programPath: 'link.js', tests: 'assert.ok(true)' });
        expect(linked.text).toContain("programPath 'link.js' leads outside the server's root");
        const fine = await inTmp.call('run_tests', { programPath: 'ok.js', tests: 'assert.strictEqual(one(), 1)' });
        expect(fine.data).toMatchObject({ passed: 1 });
      } finally {
        await inTmp.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('missing, doubled or unreadable inputs say what to give', async () => {
    expect((await ldb.call('run_tests', { testsPath: SUM.testsPath })).text).toMatch(/^no program given: pass program \(the text\) or programPath/);
    expect((await ldb.call('run_tests', { ...SUM, program: 'x' })).text).toBe('give either program or programPath, not both');
    expect((await ldb.call('run_tests', { programPath: 'fixtures/js/nope.js', tests: 'assert.ok(1)' })).text).toBe('cannot read the program file fixtures/js/nope.js: no such file');
    expect((await ldb.call('run_tests', { programPath: 'fixtures', tests: 'assert.ok(1)' })).text).toBe('cannot read the program file fixtures: it is a directory');
    expect((await ldb.call('run_tests', { programPath: SUM.programPath, tests: 'sumTo(1)' })).text).toMatch(/tests\.js: .*never runs an assertion/);
    expect((await ldb.call('trace_test', { programPath: SUM.programPath, test: 2 })).text).toMatch(/^test 2 is a case index: give the tests/);
    expect((await ldb.call('trace_test', { ...SUM, test: 9 })).text).toBe('there is no test case 9: the tests have 4 case(s), numbered from 0');
    expect((await ldb.call('trace_test', { ...SUM, test: 1, from: 99 })).text).toBe('from 99 is past the end of the run: it has 8 steps');
    expect((await ldb.call('query_trace', { ...SUM, test: 1 })).text).toMatch(/^query_trace needs something to look for/);
    expect((await ldb.call('query_trace', { ...SUM, test: 1, block: 'sumTo#99' })).text).toMatch(/^there is no block 'sumTo#99'; the program's blocks are: .*sumTo#0, sumTo#1, /);
  });

  it('a missing entry point names what the program defines', async () => {
    const answer = await ldb.call('run_tests', { ...SUM, entryPoint: 'sumto' });
    expect(answer).toMatchObject({ isError: true });
    expect(answer.text).toContain("the entry point 'sumto' is not defined; the functions it defines are: sumTo (did you mean 'sumTo'?)");
  });

  it('arguments that do not fit the schema, and unknown tools', async () => {
    const bad = await ldb.call('run_tests', { ...SUM, timeLimitMs: -5 });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/Invalid arguments for tool run_tests/);
    expect(bad.text).toContain('timeLimitMs');
    await expect(ldb.client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/Tool no_such_tool not found/);
    // Without a model there is no fix tool at all.
    await expect(ldb.call('fix', { ...SUM })).rejects.toThrow(/Tool fix not found/);
  });

  it('hostile programs get the sandbox treatment, and the next call still works', async () => {
    const hostile = (name: string) => `fixtures/hostile/${name}`;
    const loop = await ldb.call('run_tests', { programPath: hostile('bombs/infinite-loop.js'), tests: 'assert.strictEqual(spin(1), 0)', timeLimitMs: 500 });
    expect((loop.data.cases as unknown[])[0]).toMatchObject({ outcome: { kind: 'timeout', limitMs: 500 } });
    const memory = await ldb.call('run_tests', { programPath: hostile('bombs/memory-arrays.js'), tests: 'hoard(); assert.ok(true);', timeLimitMs: 4000 });
    expect((memory.data.cases as unknown[])[0]).toMatchObject({ outcome: { kind: 'memory', limitMb: 16 } });
    const escape = await ldb.call('run_tests', {
      programPath: hostile('escape/require-modules.js'),
      tests: "assert.deepStrictEqual(new Set(names()), new Set(['MODULE_NOT_FOUND']))",
    });
    expect(escape.data).toMatchObject({ passed: 1 });
    const traced = await ldb.call('trace_test', { programPath: hostile('bombs/infinite-loop.js'), test: 'assert.strictEqual(spin(1), 0)', timeLimitMs: 500, maxSteps: 2 });
    expect(traced.data).toMatchObject({ outcome: { kind: 'timeout' } });
    expect((traced.data.steps as unknown[]).length).toBe(2);
    const after = await ldb.call('run_tests', SUM);
    expect(after.data).toMatchObject({ passed: 1, failed: 3 });
  });

  it('calls run concurrently, bounded by the pool, each with its own answer', async () => {
    const slow = { programPath: 'fixtures/hostile/bombs/infinite-loop.js', tests: 'assert.strictEqual(spin(1), 0)', timeLimitMs: 800 };
    const calls = await Promise.all([
      ldb.call('run_tests', slow),
      ldb.call('run_tests', SUM),
      ldb.call('trace_test', { ...SUM, test: 1 }),
      ldb.call('query_trace', { ...SUM, test: 3, variable: 'total', block: 'sumTo#4' }),
      ldb.call('check_patch', { programPath: 'fixtures/js/off-by-one-sum.fixed.js', testsPath: SUM.testsPath }),
    ]);
    expect(calls.map((c) => c.isError)).toEqual([false, false, false, false, false]);
    expect((calls[0]!.data.cases as unknown[])[0]).toMatchObject({ outcome: { kind: 'timeout' } });
    expect(calls[1]!.data).toMatchObject({ passed: 1, failed: 3 });
    expect(calls[2]!.data).toMatchObject({ totalSteps: 8 });
    expect(calls[3]!.data).toMatchObject({ matches: [{ value: '45' }] });
    expect(calls[4]!.data).toMatchObject({ passed: 4 });
  });
});

