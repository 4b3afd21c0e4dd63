import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, traceTest } from '../../src/api.js';
import { InputError } from '../../src/errors.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

const MAX_OF = 'function maxOf(xs) {\n  let best = xs[0];\n  for (const x of xs) if (x > best) best = x;\n  return best;\n}\n';

describe('tests that import the program', () => {
  it('binds named, default and namespace imports to an ES-module program', async () => {
    const file = 'fixtures/modules/esm/loop.js';
    const tests = 'fixtures/modules/esm/loop.test.js';
    const run = await runTests({ code: read(file), filename: file, tests: read(tests), testsFilename: tests, sandbox });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'pass', 'fail']);
    expect(run.cases[2]!.outcome).toMatchObject({ expected: '-1', actual: '0' });
  });

  it('binds require() to a CommonJS program', async () => {
    const file = 'fixtures/modules/cjs/loop.js';
    const tests = 'fixtures/modules/cjs/loop.test.js';
    const run = await runTests({ code: read(file), filename: file, tests: read(tests), testsFilename: tests, sandbox, trace: true });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'fail']);
    expect(run.cases[1]!.trace!.events.some((e) => e.block.startsWith('maxOf#'))).toBe(true);
  });

  it('binds imports to the top-level bindings of a program that exports nothing', async () => {
    const tests = [
      "import { maxOf } from './loop.js';",
      "import maxOf2 from './loop';",
      "const loop = require('./loop');",
      'console.assert(maxOf([1, 5, 2]) === 5);',
      'console.assert(maxOf2([7]) === 7);',
      'console.assert(loop.maxOf([-1, -4]) === -1);',
    ].join('\n');
    const run = await runTests({ code: MAX_OF, filename: 'loop.js', tests, testsFilename: 'loop.test.js', sandbox });
    expect(run.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'pass', 'pass']);
  });

  it('reads `exports.x =` and a TypeScript program imported with a .js extension', async () => {
    const code = 'function maxOf(xs: number[]): number {\n  return Math.max(...xs);\n}\nexports.maxOf = maxOf;\n';
    const trace = await traceTest({ code, filename: 'src/loop.ts', test: "const { maxOf } = require('./loop.js');\nassert.equal(maxOf([2, 9]), 9);", sandbox });
    expect(trace.outcome.kind).toBe('pass');
  });
});

describe('imports that cannot be loaded are refused before anything runs', () => {
  const refused = (code: string, tests = 'assert(true);') =>
    runTests({ code, filename: 'dir/loop.js', tests, testsFilename: 'dir/loop.test.js', sandbox }).then(
      () => 'ran',
      (error: unknown) => (error instanceof InputError ? error.message : String(error)),
    );

  it('names an npm package the program imports, with its file and line', async () => {
    expect(await refused("const x = 1;\nimport _ from 'lodash';\n")).toMatch(
      /^dir\/loop\.js:2:1: the program imports 'lodash', which cannot be loaded: npm packages are not available/,
    );
    expect(await refused("const md5 = require('js-md5');\nfunction f() { return md5('') }")).toMatch(/^dir\/loop\.js:1:13: the program imports 'js-md5'/);
  });

  it('names an absolute path and a file outside the folder', async () => {
    expect(await refused("import { a } from '/etc/passwd';\n")).toMatch(/imports '\/etc\/passwd'.*not an absolute path/);
    expect(await refused("import { a } from '../secret.js';\n")).toMatch(/imports '\.\.\/secret\.js'.*outside the program's folder/);
    expect(await refused("import { clamp } from './util';\n")).toMatch(/imports '\.\/util'.*local modules are not loaded/);
  });

  it('names a file the test imports that is not the program', async () => {
    expect(await refused(MAX_OF, "import { x } from './other.js';\nassert(x);")).toMatch(
      /^dir\/loop\.test\.js:1:1: the test imports '\.\/other\.js'.*may import the program under test/,
    );
  });

  it('leaves a require inside a function to run time (it may never be called)', async () => {
    const run = await runTests({ code: "function f(s) {\n  if (!s) return null;\n  return require('js-md5')(s);\n}", tests: 'assert.equal(f(""), null);', sandbox });
    expect(run.passed).toBe(1);
  });

  it('keeps assert and node:assert', async () => {
    expect(await refused(MAX_OF, "import assert from 'node:assert';\nconst a2 = require('assert');\nassert.equal(maxOf([1]), 1);")).toBe('ran');
  });
});

describe('the CLI with tests that import the program', () => {
  it('traces the ES-module fixture to the failing case', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [`${ROOT}bin/ldb.js`, 'trace', 'fixtures/modules/esm/loop.js', '--tests', 'fixtures/modules/esm/loop.test.js'],
      { cwd: ROOT },
    ).catch((error: { stdout: string; code: number }) => error);
    expect(stdout).toContain('2 passed, 1 failed');
    expect(stdout).toContain('failed: expected -1, got 0');
    expect(stdout).toMatch(/maxOf#3 branch {2}line 5 {2}→ false/);
  });
});

describe('the model travels with the run', () => {
  it('is on a traced TestRun and its traces, and not in a trace JSON', async () => {
    const run = await runTests({ code: MAX_OF, filename: 'loop.js', tests: 'assert.equal(maxOf([2, 1]), 2);', trace: true, sandbox });
    expect(run.model?.functions.map((f) => f.name)).toEqual(['(top)', 'maxOf']);
    expect(run.cases[0]!.trace!.model).toBe(run.model);
    expect(JSON.stringify(run.cases[0]!.trace)).not.toContain('"functions"');
  });
});
