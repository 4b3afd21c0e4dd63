import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}bin/ldb.js`;

/** Runs the CLI in-process with captured output. */
async function ldb(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile: (path) => readFile(`${ROOT}${path}`, 'utf8'),
    isTTY: false,
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('ldb trace (in-process)', () => {
  it('lists every case, then traces the first failing one', async () => {
    const { code, stdout, stderr } = await ldb('trace', 'fixtures/js/off-by-one-sum.js', '--tests', 'fixtures/js/off-by-one-sum.test.js');
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('✓  1  assert.strictEqual(sumTo(0), 0);');
    expect(stdout).toMatch(/✗ {2}2 {2}assert\.strictEqual\(sumTo\(3\), 6\); +failed: expected 6, got 3/);
    expect(stdout).toContain('1 passed, 3 failed');
    expect(stdout).toContain('Trace of case 2: assert.strictEqual(sumTo(3), 6);');
    expect(stdout).toMatch(/#3 sumTo#2 loop {2}line 10 {2}→ true\n {4}│ for \(let i = 1; i < n; i\+\+\) \{\n {4}n = 3 {2}· {2}total = 0 {2}· {2}i = 1 \*/);
    expect(stdout).toMatch(/#8 sumTo#4 {2}line 13 {2}→ returns 3/);
  });

  it('traces the case given by --case, and exits 0 when everything passes', async () => {
    const { code, stdout } = await ldb('trace', 'fixtures/js/off-by-one-sum.js', '--test', 'assert.strictEqual(sumTo(0), 0)', '--case', '1');
    expect(code).toBe(0);
    expect(stdout).toContain('1 passed, 0 failed');
    expect(stdout).toContain('Trace of case 1');
  });

  it('prints a machine-readable report with --json', async () => {
    const { code, stdout } = await ldb('trace', 'fixtures/ts/top-scorer-undefined.ts', '--tests', 'fixtures/ts/top-scorer-undefined.test.js', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.cases.map((c: { outcome: { kind: string } }) => c.outcome.kind)).toEqual(['pass', 'pass', 'error', 'pass']);
    expect(report.trace.case).toBe(3); // 1-based, like the listing and --case
    expect(report.cases[2].case).toBe(3);
    expect(report.trace.outcome).toMatchObject({ kind: 'error', name: 'TypeError', loc: { file: 'fixtures/ts/top-scorer-undefined.ts', line: 21 } });
    expect(report.trace.events.length).toBeGreaterThan(0);
    expect(report.program.blocks.some((b: { id: string }) => b.id === 'topScorer#0')).toBe(true);
  });

  it('exits 2 with file, line and column on a syntax error', async () => {
    const { code, stderr } = await ldb('trace', 'test/e2e/data/syntax-error.js', '--test', 'f()');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ldb: test\/e2e\/data\/syntax-error\.js:3:\d+: /);
    expect(stderr).toContain('> 3 |');
  });

  it('exits 2 on usage errors with a pointer to --help', async () => {
    expect((await ldb('trace')).stderr).toContain('expected exactly one program file');
    expect((await ldb('trace', 'fixtures/js/off-by-one-sum.js')).stderr).toContain('no tests given');
    expect((await ldb('trace', 'nope.js', '--test', 'f()')).stderr).toContain('cannot read the program file nope.js: no such file');
    const bad = await ldb('trace', 'fixtures/js/off-by-one-sum.js', '--test', 'f()', '--time-limit', 'soon');
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining("--time-limit expects a positive whole number, got 'soon'") });
    expect((await ldb('frobnicate')).code).toBe(2);
  });

  it('explains every flag in --help', async () => {
    const { code, stdout } = await ldb('trace', '--help');
    expect(code).toBe(0);
    for (const flag of ['--tests', '--test', '--case', '--json', '--time-limit', '--memory-limit', '--max-events', '--no-color']) {
      expect(stdout).toContain(flag);
    }
    expect((await ldb('--help')).stdout).toContain('trace <file>');
  });
});

describe('bin/ldb.js (child process)', () => {
  const run = promisify(execFile);
  it('runs the built CLI in one process (the sandbox server alone gets --no-node-snapshot)', async () => {
    const result = await run(process.execPath, [BIN, 'trace', 'fixtures/js/fib-base-case.js', '--tests', 'fixtures/js/fib-base-case.test.js'], {
      cwd: ROOT,
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stdout).toContain('3 passed, 1 failed');
    expect(result.stdout).toContain('Trace of case 4');
  });

  it('prints the version', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--version'], { cwd: ROOT });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
