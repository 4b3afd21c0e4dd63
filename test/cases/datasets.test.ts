import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { doctestExamples, doctestScript, loadProblems, readProblems, type Problem } from '../../src/cases/datasets.js';
import { splitTests } from '../../src/cases/split.js';

const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

const humanEvalPackRecord = {
  task_id: 'JavaScript/53',
  prompt: '/* Add two numbers x and y\n  >>> add(2, 3)\n  5\n  */\nconst add = (x, y) => {\n',
  canonical_solution: '  return x + y;\n};\n',
  buggy_solution: '  return x + y + y + x;\n};\n',
  entry_point: 'add',
  test: 'const testAdd = () => {\n  console.assert(add(0, 1) === 1)\n}\ntestAdd()\n',
  example_test: 'const testAdd = () => {\n  console.assert(add(2, 3) === 5)\n}\ntestAdd()\n',
};

const multiplERecord = {
  name: 'HumanEval_53_add',
  language: 'js',
  prompt: '//Add two numbers x and y\n// >>> add(2, 3)\n// 5\n// >>> add(5, 7)\n// 12\nfunction add(x, y){\n',
  tests: "const assert = require('node:assert');\n\n\nfunction test() {\n  let candidate = add;\n  assert.deepEqual(candidate(0, 1),1);\n}\n\ntest();",
};

const toJsonl = (...records: unknown[]): string => records.map((record) => JSON.stringify(record)).join('\n');

describe('readProblems', () => {
  it('reads a HumanEvalPack record', () => {
    const [problem] = readProblems(toJsonl(humanEvalPackRecord));
    expect(problem).toEqual<Problem>({
      id: 'JavaScript/53',
      dataset: 'humanevalpack',
      prompt: humanEvalPackRecord.prompt,
      entryPoint: 'add',
      programs: {
        canonical: humanEvalPackRecord.prompt + humanEvalPackRecord.canonical_solution,
        buggy: humanEvalPackRecord.prompt + humanEvalPackRecord.buggy_solution,
      },
      visibleTests: humanEvalPackRecord.example_test,
      hiddenTests: humanEvalPackRecord.test,
    });
  });

  it('leaves out programs the record does not give, and reads a missing example_test as no visible tests', () => {
    const { buggy_solution: _buggy, example_test: _example, ...withoutThem } = humanEvalPackRecord;
    const [problem] = readProblems(toJsonl(withoutThem));
    expect(problem?.programs).toEqual({ canonical: humanEvalPackRecord.prompt + humanEvalPackRecord.canonical_solution });
    expect(problem?.visibleTests).toBe('');
  });

  it('reads a MultiPL-E record, taking the entry point from the prompt and visible tests from its examples', () => {
    const [problem] = readProblems(toJsonl(multiplERecord));
    expect(problem).toEqual<Problem>({
      id: 'HumanEval_53_add',
      dataset: 'multipl-e',
      prompt: multiplERecord.prompt,
      entryPoint: 'add',
      programs: {},
      visibleTests: [
        "const assert = require('node:assert');",
        '',
        'function test() {',
        '  let candidate = add;',
        '  assert.deepEqual(candidate(2, 3), 5);',
        '  assert.deepEqual(candidate(5, 7), 12);',
        '}',
        '',
        'test();',
        '',
      ].join('\n'),
      hiddenTests: multiplERecord.tests,
    });
    expect(splitTests(problem?.visibleTests ?? '').map((c) => c.source)).toEqual([
      'assert.deepEqual(candidate(2, 3), 5);',
      'assert.deepEqual(candidate(5, 7), 12);',
    ]);
  });

  it('detects the format per record and skips blank lines', () => {
    const problems = readProblems(`${toJsonl(multiplERecord)}\n\n${toJsonl(humanEvalPackRecord)}\n`);
    expect(problems.map((problem) => problem.dataset)).toEqual(['multipl-e', 'humanevalpack']);
  });

  it.each([
    ['a line that is not JSON', `${toJsonl(multiplERecord)}\n{"name": "x",`, /^data\.jsonl:2: not a valid JSON line/],
    ['a line that is not an object', '[1, 2]', /^data\.jsonl:1: expected a JSON object per line, found an array/],
    ['a record of an unknown format', '{"id": 1}', /^data\.jsonl:1: unknown record format/],
    ['a record missing a field', JSON.stringify({ ...humanEvalPackRecord, test: undefined }), /^data\.jsonl:1: the record has no "test" field/],
    ['a field of the wrong type', JSON.stringify({ ...multiplERecord, prompt: 3 }), /^data\.jsonl:1: field "prompt" should be a string/],
    ['a prompt without a function', JSON.stringify({ ...multiplERecord, prompt: '// nothing' }), /^data\.jsonl:1: the prompt declares no function/],
  ])('rejects %s with an InputError naming the file and line', (_label, text, message) => {
    expect(() => readProblems(text, { source: 'data.jsonl' })).toThrow(InputError);
    expect(() => readProblems(text, { source: 'data.jsonl' })).toThrow(message);
  });

  it('names <input> when no source is given', () => {
    expect(() => readProblems('nope')).toThrow(/^<input>:1: /);
  });
});

describe('doctest examples', () => {
  const prompt = (lines: string[]): string => `${lines.map((line) => `// ${line}`).join('\n')}\nfunction f(x){\n`;

  it('takes the value on the line after each call, ignoring prose after it', () => {
    const text = prompt(['Doc.', '>>> f([1, 2], "a")', '[3, "b"]', '# explanation of the example', '>>> f(-1)', '-2.5']);
    expect(doctestExamples(text, 'f')).toEqual([
      { args: '[1, 2], "a"', expected: '[3, "b"]' },
      { args: '-1', expected: '-2.5' },
    ]);
  });

  it('joins an expected value written over several lines', () => {
    expect(doctestExamples(prompt(['>>> f(1)', '[1,', ' 2]']), 'f')).toEqual([{ args: '1', expected: '[1,\n2]' }]);
  });

  it('accepts calls without arguments and plain values of every kind', () => {
    const text = prompt(['>>> f()', '{"a": [null, true, undefined]}', '>>> f(2)', '`text`']);
    expect(doctestExamples(text, 'f').map((example) => example.expected)).toEqual(['{"a": [null, true, undefined]}', '`text`']);
    expect(doctestExamples(text, 'f')[0]?.args).toBe('');
  });

  it('skips examples that call another function, do not parse, or expect something that is not a value', () => {
    const text = prompt(['>>> lst([1])', '1', '>>> f(1', '1', '>>> f(2)', 'None', '>>> f(3)', '', '>>> f(4)', '>>> f(5)', 'Explanation: 5']);
    expect(doctestExamples(text, 'f')).toEqual([]);
    expect(doctestScript(text, 'f')).toBe('');
  });

  it('gives no visible tests when the prompt has no examples', () => {
    const [problem] = readProblems(JSON.stringify({ ...multiplERecord, prompt: '//Add.\nfunction add(x, y){\n' }));
    expect(problem?.visibleTests).toBe('');
  });
});

describe('loadProblems', () => {
  it('reports a file it cannot read as an InputError', async () => {
    await expect(loadProblems(`${dataDir}does-not-exist.jsonl`)).rejects.toThrow(InputError);
    await expect(loadProblems(`${dataDir}does-not-exist.jsonl`)).rejects.toThrow(/cannot read the dataset \(ENOENT\)/);
  });

  it('takes a HumanEvalPack entry point from the prompt when entry_point names no declared function', () => {
    const [problem] = readProblems(toJsonl({ ...humanEvalPackRecord, entry_point: 'addNumbers' }));
    expect(problem?.entryPoint).toBe('add');
  });

  it('loads HumanEvalPack: 164 problems with both programs, six without visible tests', async () => {
    const problems = await loadProblems(`${dataDir}humanevalpack-js.jsonl`);
    expect(problems).toHaveLength(164);
    expect(new Set(problems.map((problem) => problem.id)).size).toBe(164);
    expect(problems.every((problem) => problem.dataset === 'humanevalpack')).toBe(true);
    expect(problems.every((problem) => problem.programs.canonical && problem.programs.buggy)).toBe(true);
    // JavaScript/114's entry_point is misspelt (minSubarraySum); the prompt and tests say minSubArraySum.
    expect(problems.every((problem) => problem.programs.canonical?.includes(`const ${problem.entryPoint} =`))).toBe(true);
    expect(problems.every((problem) => problem.hiddenTests.includes(`${problem.entryPoint}(`))).toBe(true);
    expect(problems.find((problem) => problem.id === 'JavaScript/114')?.entryPoint).toBe('minSubArraySum');
    expect(problems.filter((problem) => problem.visibleTests === '').map((problem) => problem.id)).toEqual([
      'JavaScript/38',
      'JavaScript/41',
      'JavaScript/50',
      'JavaScript/83',
      'JavaScript/84',
      'JavaScript/160',
    ]);
  });

  it('loads MultiPL-E: entry points match the tests, visible tests come from the HumanEval examples only', async () => {
    const humanEval = await loadProblems(`${dataDir}multipl-e-humaneval-js.jsonl`);
    const mbpp = await loadProblems(`${dataDir}multipl-e-mbpp-js.jsonl`);
    const problems = [...humanEval, ...mbpp];
    expect([humanEval.length, mbpp.length]).toEqual([161, 397]);
    for (const problem of problems) {
      expect(problem.hiddenTests, problem.id).toContain(`let candidate = ${problem.entryPoint};`);
      expect(problem.programs).toEqual({});
    }
    const withVisible = problems.filter((problem) => problem.visibleTests !== '');
    // mbpp prompts carry no examples; 6 HumanEval prompts have none usable (see doctestExamples).
    expect(withVisible.length).toBe(155);
    expect(humanEval.filter((problem) => problem.visibleTests === '').map((problem) => problem.id).sort()).toEqual([
      'HumanEval_133_sum_squares',
      'HumanEval_149_sorted_list_sum',
      'HumanEval_160_do_algebra',
      'HumanEval_41_car_race_collision',
      'HumanEval_81_numerical_letter_grade',
      'HumanEval_83_starts_one_ends',
    ]);
    let examples = 0;
    for (const problem of withVisible) {
      const cases = splitTests(problem.visibleTests, { filename: problem.id });
      expect(cases.length).toBe(doctestExamples(problem.prompt, problem.entryPoint).length);
      examples += cases.length;
    }
    expect(examples).toBe(442);
  });
});
