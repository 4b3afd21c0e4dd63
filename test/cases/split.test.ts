import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { InputError, ParseError } from '../../src/errors.js';
import { splitTests, type TestCase } from '../../src/cases/split.js';

const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

function readJsonl(name: string): Record<string, string>[] {
  return readFileSync(dataDir + name, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, string>);
}

/** A case body must be valid inside the function the runner wraps it in. */
function expectBodyParses(testCase: TestCase): void {
  expect(() => parse(`async function f(__ldb_cmp){\n${testCase.body}\n}`, { sourceType: 'script' })).not.toThrow();
}

interface Comparison {
  left: unknown;
  right: unknown;
  operator: string;
  actualSide: string;
}

/** Runs a body in this realm with stand-ins (fine for the tiny inline scripts of these tests). */
function runBody(body: string, f: (...args: number[]) => unknown): { comparisons: Comparison[]; failures: number } {
  const comparisons: Comparison[] = [];
  let failures = 0;
  const compare = (left: unknown, right: unknown, operator: string, actualSide: string): boolean => {
    comparisons.push({ left, right, operator, actualSide });
    switch (operator) {
      case '===':
        return left === right;
      case '==':
        return left == right;
      case '!==':
        return left !== right;
      case '!=':
        return left != right;
      default:
        return Boolean(left);
    }
  };
  const fakeConsole = { assert: (ok: unknown) => void (ok ? 0 : failures++) };
  new Function('__ldb_cmp', 'f', 'console', body)(compare, f, fakeConsole);
  return { comparisons, failures };
}

describe('splitTests: shapes', () => {
  it('splits a HumanEvalPack test function into one case per console.assert', () => {
    const script = [
      'const testAdd = () => {',
      '  console.assert(add(1, 2) === 3)',
      '  console.assert(',
      '    add(2, 2) === 4',
      '  )',
      '}',
      '',
      'testAdd()',
      '',
    ].join('\n');
    const cases = splitTests(script, { filename: 'add.test.js' });
    expect(cases).toHaveLength(2);
    expect(cases[0]).toEqual({
      index: 0,
      source: 'console.assert(add(1, 2) === 3)',
      file: 'add.test.js',
      line: 2,
      column: 2,
      body: "console.assert(__ldb_cmp(add(1, 2), 3, '===', 'left'));",
      async: false,
    });
    expect(cases[1]?.source).toBe('console.assert(\n    add(2, 2) === 4\n  )');
    expect(cases[1]?.line).toBe(3);
    expect(cases[1]?.body).toBe("console.assert(\n    __ldb_cmp(add(2, 2), 4, '===', 'left')\n  );");
  });

  it('keeps a loop around an assertion as one case, with local helpers as setup', () => {
    const script = [
      'const testZero = () => {',
      '  const pick = (n) => n + 1',
      '  for (let i = 0; i < 3; i++) {',
      '    let x = pick(i);',
      '    console.assert(Math.abs(f(x)) < 1e-4);',
      '  }',
      '}',
      'testZero()',
    ].join('\n');
    const cases = splitTests(script);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.source.startsWith('for (let i = 0;')).toBe(true);
    expect(cases[0]?.body).toContain('const pick = (n) => n + 1;\nfor (let i = 0;');
    expect(cases[0]?.body).toContain("console.assert(__ldb_cmp(Math.abs(f(x)) < 1e-4, true, 'truthy', 'left'));");
    expect(cases[0]).not.toHaveProperty('file');
  });

  it('gives each case only the setup statements that precede it', () => {
    const script = [
      'function test() {',
      '  console.assert(f(1) === 1)',
      '  let lst = []',
      '  for (let i = 0; i < 3; i++) lst.push(i)',
      '  console.assert(f(lst) === 3)',
      '  let later = 1',
      '}',
      'test()',
    ].join('\n');
    const [first, second] = splitTests(script);
    expect(first?.body).toBe("console.assert(__ldb_cmp(f(1), 1, '===', 'left'));");
    expect(second?.body).toBe(
      "let lst = [];\nfor (let i = 0; i < 3; i++) lst.push(i);\nconsole.assert(__ldb_cmp(f(lst), 3, '===', 'left'));",
    );
  });

  it('splits the MultiPL-E shape with the require as preamble and the candidate as setup', () => {
    const script = [
      "const assert = require('node:assert');",
      '',
      '',
      'function test() {',
      '  let candidate = add;',
      '  assert.deepEqual(candidate(1, 2),3);',
      '  assert.deepEqual(candidate([1], 2),[3]);',
      '}',
      '',
      'test();',
    ].join('\n');
    const cases = splitTests(script, { filename: 'HumanEval_x.js' });
    expect(cases.map((c) => c.source)).toEqual(['assert.deepEqual(candidate(1, 2),3);', 'assert.deepEqual(candidate([1], 2),[3]);']);
    expect(cases.map((c) => c.line)).toEqual([6, 7]);
    expect(cases[1]?.body).toBe(
      "const assert = require('node:assert');\nlet candidate = add;\nassert.deepEqual(candidate([1], 2),[3]);",
    );
  });

  it('splits a plain script of top-level assertions, leaving the other assertions out of each body', () => {
    const script = [
      "const assert = require('assert');",
      'assert.strictEqual(f(1), 2);',
      'console.assert(f(1) === 2);',
      'assert(f(2));',
    ].join('\n');
    const cases = splitTests(script);
    expect(cases.map((c) => c.source)).toEqual(['assert.strictEqual(f(1), 2);', 'console.assert(f(1) === 2);', 'assert(f(2));']);
    expect(cases[2]?.body).toBe("const assert = require('assert');\nassert(f(2));");
    expect(cases[1]?.body).toBe("const assert = require('assert');\nconsole.assert(__ldb_cmp(f(1), 2, '===', 'left'));");
  });

  it('marks cases of an async test function as async', () => {
    const script = "const assert = require('assert');\nasync function test() { assert.strictEqual(await f(1), 2) }\ntest();";
    const cases = splitTests(script);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.async).toBe(true);
    expect(cases[0]?.body).toBe("const assert = require('assert');\nassert.strictEqual(await f(1), 2);");
  });

  it('accepts top-level await, both for the test call and in a top-level assertion', () => {
    const script = 'async function test() {\n  assert.ok(await f(1))\n}\nawait test();\nassert.equal(await f(2), 3);';
    const cases = splitTests(script);
    expect(cases.map((c) => [c.source, c.async])).toEqual([
      ['assert.ok(await f(1))', true],
      ['assert.equal(await f(2), 3);', true],
    ]);
    cases.forEach(expectBodyParses);
  });

  it('does not mark a case async for an await inside a nested function', () => {
    const script = 'function test() {\n  const g = async () => await f();\n  assert(f(1));\n}\ntest();';
    expect(splitTests(script)[0]?.async).toBe(false);
  });

  it('recognises expect(...) chains and assert.<a>.<b>(...)', () => {
    const script = 'expect.assertions(3);\nexpect(f(1)).toBe(2);\nexpect(f(2)).not.toEqual([3]);\nassert.strict.equal(f(3), 4);';
    const cases = splitTests(script);
    expect(cases.map((c) => c.source)).toEqual(['expect(f(1)).toBe(2);', 'expect(f(2)).not.toEqual([3]);', 'assert.strict.equal(f(3), 4);']);
    // `expect` is bound to ldb's own, whatever the program did to the global object.
    expect(cases[0]?.body).toBe("const { expect } = require('ldb:suite').globals;\nexpect.assertions(3);\nexpect(f(1)).toBe(2);");
  });

  it('splits an arrow test function with an expression body into one case', () => {
    const cases = splitTests('const check = () => assert(f(1))\ncheck()');
    expect(cases.map((c) => [c.source, c.body])).toEqual([['assert(f(1))', 'assert(f(1));']]);
  });

  it('yields the cases of a test function called twice only once', () => {
    expect(splitTests('function t() { assert(f()) }\nt()\nt()')).toHaveLength(1);
  });

  it('orders cases by position in the file', () => {
    const script = 'function test() {\n  assert(f(1));\n}\nassert(f(2));\ntest();';
    expect(splitTests(script).map((c) => [c.index, c.source])).toEqual([
      [0, 'assert(f(1));'],
      [1, 'assert(f(2));'],
    ]);
  });
});

describe('splitTests: preamble and setup', () => {
  it('gives a top-level case only the preamble that ran before it (and hoisted functions)', () => {
    const script = "const assert = require('assert');\nassert(f(1));\nconst two = f(2);\nassert(two);\nfunction f(x) { return x; }";
    const cases = splitTests(script);
    expect(cases[0]?.body).toBe("const assert = require('assert');\nfunction f(x) { return x; }\nassert(f(1));");
    expect(cases[1]?.body).toBe("const assert = require('assert');\nconst two = f(2);\nfunction f(x) { return x; }\nassert(two);");
  });

  it('includes hoisted function declarations wherever they are, but not const helpers defined after the call', () => {
    const script = [
      'const early = 1;',
      'function test() {',
      '  assert(helper(early));',
      '  function helper(x) { return x; }',
      '}',
      'test();',
      'const late = () => 2;',
      'function hoisted() {}',
    ].join('\n');
    const [only] = splitTests(script);
    expect(only?.body).toBe('const early = 1;\nfunction hoisted() {}\nfunction helper(x) { return x; }\nassert(helper(early));');
  });

  it('treats top-level definitions that assert (helpers) as preamble, not as cases', () => {
    const script = 'function check(x) { assert(x); }\nassert(f(1));';
    const cases = splitTests(script);
    expect(cases.map((c) => c.source)).toEqual(['assert(f(1));']);
    expect(cases[0]?.body).toBe('function check(x) { assert(x); }\nassert(f(1));');
  });

  it('does not split a test function the script never calls', () => {
    expect(() => splitTests('function test() { assert(f(1)); }', { filename: 't.js' })).toThrow(InputError);
  });

  it('adds a semicolon where joining statements could change their meaning', () => {
    const script = 'function test() {\n  let a = f()\n  assert(a)\n  ;[1, 2].forEach((x) => assert(f(x)))\n}\ntest()';
    const cases = splitTests(script);
    expect(cases[1]?.body).toBe('let a = f();\n[1, 2].forEach((x) => assert(f(x)));');
    cases.forEach(expectBodyParses);
  });

  it("carries a 'use strict' directive into every body", () => {
    const [only] = splitTests("'use strict';\nassert(f(1));");
    expect(only?.body).toBe("'use strict';\nassert(f(1));");
  });
});

describe('splitTests: console.assert rewrite', () => {
  const rewrite = (assertion: string): string => splitTests(assertion)[0]?.body ?? '';

  it.each([
    ['console.assert(f(1) === 2)', "console.assert(__ldb_cmp(f(1), 2, '===', 'left'));"],
    ['console.assert(f(1) == 2)', "console.assert(__ldb_cmp(f(1), 2, '==', 'left'));"],
    ['console.assert(f(1) !== 2)', "console.assert(__ldb_cmp(f(1), 2, '!==', 'left'));"],
    ['console.assert(f(1) != 2)', "console.assert(__ldb_cmp(f(1), 2, '!=', 'left'));"],
    ['console.assert(2 === f(1))', "console.assert(__ldb_cmp(2, f(1), '===', 'right'));"],
    ['console.assert(g(f(1)) === g(2))', "console.assert(__ldb_cmp(g(f(1)), g(2), '===', 'left'));"],
    ['console.assert(a === b)', "console.assert(__ldb_cmp(a, b, '===', 'left'));"],
    ['console.assert(f(1) < 2)', "console.assert(__ldb_cmp(f(1) < 2, true, 'truthy', 'left'));"],
    ['console.assert(f(1))', "console.assert(__ldb_cmp(f(1), true, 'truthy', 'left'));"],
    ["console.assert(f(1) === 2, 'f(1) should be', 2);", "console.assert(__ldb_cmp(f(1), 2, '===', 'left'), 'f(1) should be', 2);"],
    ['console.assert((f(1)) === (2))', "console.assert(__ldb_cmp((f(1)), (2), '===', 'left'));"],
    ['console.assert((f(1) === 2))', "console.assert((__ldb_cmp(f(1), 2, '===', 'left')));"],
    ['console.assert(f(1) /* got */ === /* want */ 2)', "console.assert(__ldb_cmp(f(1) /* got */, /* want */ 2, '===', 'left'));"],
    ['console.assert(a === b === c)', "console.assert(__ldb_cmp(a === b, c, '===', 'left'));"],
    ['console.assert(f("===") === "===")', 'console.assert(__ldb_cmp(f("==="), "===", \'===\', \'left\'));'],
  ])('%s', (assertion, body) => {
    expect(rewrite(assertion)).toBe(body);
  });

  it('keeps a line comment after the left operand from swallowing the comma', () => {
    const body = rewrite('console.assert(f(1) // got\n  === 2)');
    expect(body).toBe("console.assert(__ldb_cmp(f(1) // got\n  , 2, '===', 'left'));");
    expect(runBody(body, () => 2).failures).toBe(0);
  });

  it('rewrites console.assert nested in loops, ifs and other console.asserts, and leaves source untouched', () => {
    const script = 'for (const x of [1, 2]) {\n  if (x) console.assert(f(x) === x)\n}\nconsole.assert([1].every((y) => { console.assert(y == 1); return true }) === true)';
    const cases = splitTests(script);
    expect(cases[0]?.source).toBe(script.split('\n').slice(0, 3).join('\n'));
    expect(cases[0]?.body).toContain("if (x) console.assert(__ldb_cmp(f(x), x, '===', 'left'))");
    expect(cases[1]?.body).toBe(
      "console.assert(__ldb_cmp([1].every((y) => { console.assert(__ldb_cmp(y, 1, '==', 'left')); return true }), true, '===', 'left'));",
    );
    cases.forEach(expectBodyParses);
  });

  it('leaves console.assert without a condition alone', () => {
    expect(rewrite('console.assert()')).toBe('console.assert();');
    expect(rewrite('console.assert(...conditions)')).toBe('console.assert(...conditions);');
  });

  it('keeps evaluation order and outcome, and reports which side is actual', () => {
    const calls: number[] = [];
    const f = (x: number): number => {
      calls.push(x);
      return x * 2;
    };
    const script = 'console.assert(f(1) + f(2) === f(3))\nconsole.assert(7 !== f(4))\nconsole.assert(f(5) > 100)';
    const results = splitTests(script).map((testCase) => runBody(testCase.body, f));
    expect(calls).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((result) => result.failures)).toEqual([0, 0, 1]);
    expect(results.map((result) => result.comparisons)).toEqual([
      [{ left: 6, right: 6, operator: '===', actualSide: 'left' }],
      [{ left: 7, right: 8, operator: '!==', actualSide: 'right' }],
      [{ left: false, right: true, operator: 'truthy', actualSide: 'left' }],
    ]);
  });
});

describe('splitTests: errors', () => {
  it('reports a script that does not parse as a ParseError with file, line and column', () => {
    const script = 'function test() {\n  assert.deepEqual(candidate("a\nb"), 1);\n}\ntest();';
    let error: unknown;
    try {
      splitTests(script, { filename: 'broken.js' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParseError);
    const parseError = error as ParseError;
    expect(parseError.loc).toEqual({ file: 'broken.js', line: 2, column: 29 });
    expect(parseError.message).toMatch(/^broken\.js:2:30: Unterminated string constant/);
    expect(parseError.codeFrame).toContain('^');
  });

  it.each([
    ['an empty script', '  \n', /the script is empty/],
    ['a script without assertions', 'const x = f(1);\nconsole.log(x);', /never runs an assertion/],
  ])('rejects %s with an InputError naming the file and the recognised forms', (_label, script, detail) => {
    expect(() => splitTests(script, { filename: 'tests.js' })).toThrow(InputError);
    expect(() => splitTests(script, { filename: 'tests.js' })).toThrow(/^tests\.js: no assertions found/);
    expect(() => splitTests(script, { filename: 'tests.js' })).toThrow(detail);
    expect(() => splitTests(script, { filename: 'tests.js' })).toThrow(/console\.assert\(\.\.\.\)/);
  });

  it('names <input> when there is no file name', () => {
    expect(() => splitTests('f()')).toThrow(/^<input>: no assertions found/);
  });
});

describe('splitTests on the real benchmark data', () => {
  const humanEvalPack = readJsonl('humanevalpack-js.jsonl');
  const multiplE = [...readJsonl('multipl-e-humaneval-js.jsonl'), ...readJsonl('multipl-e-mbpp-js.jsonl')];
  const emptyExampleTests = ['JavaScript/38', 'JavaScript/41', 'JavaScript/50', 'JavaScript/83', 'JavaScript/84', 'JavaScript/160'];
  const countMatches = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

  it('splits every HumanEvalPack test into one case per console.assert, each body parsing', () => {
    let total = 0;
    for (const record of humanEvalPack) {
      const id = record.task_id ?? '';
      const cases = splitTests(record.test ?? '', { filename: `${id}/test` });
      expect(cases.length, id).toBe(countMatches(record.test ?? '', /console\.assert\(/g));
      cases.forEach(expectBodyParses);
      total += cases.length;
    }
    expect(humanEvalPack).toHaveLength(164);
    expect(total).toBe(1141);
  });

  it('splits every non-empty HumanEvalPack example_test; the six empty ones are InputErrors', () => {
    let total = 0;
    const empty: string[] = [];
    for (const record of humanEvalPack) {
      const id = record.task_id ?? '';
      const script = record.example_test ?? '';
      if (script.trim() === '') {
        empty.push(id);
        expect(() => splitTests(script, { filename: id }), id).toThrow(InputError);
        continue;
      }
      const cases = splitTests(script, { filename: `${id}/example_test` });
      expect(cases.length, id).toBeGreaterThanOrEqual(1);
      cases.forEach(expectBodyParses);
      total += cases.length;
    }
    expect(empty).toEqual(emptyExampleTests);
    expect(total).toBe(451);
  });

  it('splits all MultiPL-E tests into one case per assertion call, except the four invalid scripts', () => {
    const invalid: Array<[string, number]> = [];
    let total = 0;
    for (const record of multiplE) {
      const name = record.name ?? '';
      try {
        const cases = splitTests(record.tests ?? '', { filename: name });
        expect(cases.length, name).toBe(countMatches(record.tests ?? '', /^\s*assert\.\w+\(/gm));
        cases.forEach(expectBodyParses);
        total += cases.length;
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        expect(error.loc.file).toBe(name);
        invalid.push([name, error.loc.line]);
      }
    }
    expect(multiplE).toHaveLength(558);
    expect(invalid).toEqual([
      ['HumanEval_51_remove_vowels', 7],
      ['mbpp_237_check_occurences', 6],
      ['mbpp_563_extract_values', 6],
      ['mbpp_725_extract_quotation', 6],
    ]);
    expect(total).toBe(2346);
  });
});
