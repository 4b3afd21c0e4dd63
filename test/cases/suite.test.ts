import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../src/api.js';
import { splitTests } from '../../src/cases/split.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const sandbox = new Sandbox();
afterAll(() => sandbox.dispose());

const names = (script: string, filename = 'x.test.js') => splitTests(script, { filename }).map((c) => c.name);

describe('splitTests: test()/it() files', () => {
  it('makes one case per test, named by its describe titles, at the test\'s line', () => {
    const script = [
      "import { describe, it, expect } from 'vitest';",
      "describe('math', () => {",
      "  describe('add', () => {",
      "    it('adds', () => { expect(add(1, 2)).toBe(3); });",
      '  });',
      "  it(`subtracts`, async () => {",
      '    expect(sub(3, 1)).toBe(2);',
      '  });',
      '});',
      "test('top level', () => {});",
    ].join('\n');
    const cases = splitTests(script, { filename: 'm.test.js' });
    expect(cases.map((c) => [c.name, c.line, c.column, c.async, c.linesMatchFile])).toEqual([
      ['math > add > adds', 4, 4, true, true],
      ['math > subtracts', 6, 2, true, true],
      ['top level', 10, 0, true, true],
    ]);
    expect(cases[0]?.source).toBe("it('adds', () => { expect(add(1, 2)).toBe(3); });");
    // The whole file runs in each case, its lines unchanged.
    expect(cases[1]?.body.split('\n').slice(1, 9)).toEqual(script.split('\n').slice(1, 9));
  });

  it('leaves out skipped and todo tests, and keeps only the .only ones when there are any', () => {
    const skipped = [
      "test.skip('a', () => {});",
      "xit('b', () => {});",
      "test.todo('c');",
      "test('d', { skip: true }, () => {});",
      "describe.skip('e', () => { test('f', () => {}); });",
      "test('g');",
      "test('kept', () => {});",
    ].join('\n');
    expect(names(skipped)).toEqual(['kept']);
    const only = "test('a', () => {});\ndescribe.only('b', () => { test('c', () => {}); test.skip('d', () => {}); });\nfit('e', () => {});";
    expect(names(only)).toEqual(['b > c', 'e']);
    expect(() => splitTests("test.skip('a', () => {});", { filename: 's.test.js' })).toThrow(/every test in the file is skipped/);
  });

  it('does not mistake a script\'s own test() function for vitest\'s', () => {
    const cases = splitTests('function test(name, f) { f(); }\ntest("x", () => assert.equal(f(1), 2));');
    expect(cases.map((c) => c.name)).toEqual([undefined]);
    expect(splitTests('function test() {\n  assert.equal(f(1), 2);\n}\ntest();')[0]?.linesMatchFile).toBeUndefined();
  });

  it('accepts node:test with its options and suite/it forms', () => {
    const script = "const { suite, it } = require('node:test');\nsuite('s', () => {\n  it('one', { timeout: 5 }, () => {});\n  it('two', { todo: 'later' }, () => {});\n});";
    expect(names(script)).toEqual(['s > one']);
  });

  it('strips a TypeScript test file keeping every line', () => {
    const ts = "type Pair = [number, number];\nconst p: Pair = [1, 2];\n\ninterface I {\n  a: number;\n}\nassert.equal(add(p[0] as number, p[1]), 3);";
    const [only] = splitTests(ts, { filename: 'p.test.ts' });
    expect(only).toMatchObject({ line: 7, source: 'assert.equal(add(p[0], p[1]), 3);' });
    const suite = splitTests("import { test } from 'vitest';\nconst n: number = 2;\n\ntest('t', (): void => {\n  expect(n as number).toBe(2);\n});", { filename: 's.test.ts' });
    expect(suite[0]).toMatchObject({ name: 't', line: 4 });
    expect(suite[0]?.body.split('\n')[4]).toContain('expect(n).toBe(2)');
  });
});

describe('running test()/it() cases', () => {
  const PROGRAM = 'function add(a, b) { return a + b; }';
  const run = (tests: string, code = PROGRAM) => runTests({ code, tests, testsFilename: 'r.test.js', sandbox });

  it('runs the hooks around each test in vitest\'s order', async () => {
    const tests = `const log = (x) => console.log(x);
beforeAll(() => log('all'));
beforeEach(() => log('each'));
afterEach(() => log('after each'));
afterAll(() => log('after all'));
describe('inner', () => {
  beforeEach(() => log('inner each'));
  afterEach(() => log('inner after 1'));
  afterEach(() => log('inner after 2'));
  test('t', () => { log('test'); expect(add(1, 1)).toBe(2); });
});
test('outer', () => log('outer test'));`;
    const result = await run(tests);
    expect(result.cases.map((c) => c.outcome.kind)).toEqual(['pass', 'pass']);
    expect(result.cases[0]?.console).toEqual(['all', 'each', 'inner each', 'test', 'inner after 2', 'inner after 1', 'after each', 'after all']);
    expect(result.cases[1]?.console).toEqual(['all', 'each', 'outer test', 'after each', 'after all']);
  });

  it('reports a failing hook, still runs the after-hooks, and keeps the first error', async () => {
    const tests = `beforeEach(() => { throw new Error('setup broke'); });
afterEach(() => console.log('cleaned'));
test('t', () => console.log('never'));`;
    const [only] = (await run(tests)).cases;
    expect(only?.outcome).toMatchObject({ kind: 'error', message: 'setup broke' });
    expect(only?.console).toEqual(['cleaned']);
  });

  it('waits for async tests and hooks, and for a Jest done callback', async () => {
    const tests = `import { test, beforeEach, expect } from '@jest/globals';
let n = 0;
beforeEach(async () => { await null; n = 1; });
test('async', async () => { await new Promise((r) => setTimeout(r, 10)); expect(add(n, 1)).toBe(3); });
test('done', (done) => { setTimeout(() => { try { expect(add(n, 1)).toBe(2); done(); } catch (e) { done(e); } }, 5); });`;
    const result = await run(tests);
    expect(result.cases.map((c) => c.outcome)).toEqual([
      expect.objectContaining({ kind: 'fail', expected: '3', actual: '2', loc: expect.objectContaining({ line: 4 }) }),
      { kind: 'pass' },
    ]);
  });

  it('runs a test by its title when a loop or test.each registers more, and tells which one is missing', async () => {
    const tests = `for (const n of [1, 2]) test('looped ' + n, () => {});
test.each([[1, 2]])('each %i', () => {});
test('same', () => expect(add(1, 1)).toBe(2));
test('same', () => expect(add(1, 1)).toBe(3));
test(\`dynamic \${1}\`, () => {});`;
    const result = await run(tests);
    expect(result.cases.map((c) => [c.case.name, c.outcome.kind])).toEqual([
      ['same', 'pass'],
      ['same', 'fail'],
      // Its runtime position differs from the file's (the loop registered two): not guessed, said so.
      ['`dynamic ${1}`', 'error'],
    ]);
    expect(result.cases[2]?.outcome).toMatchObject({ message: expect.stringContaining('give it a literal title') });
  });
});
