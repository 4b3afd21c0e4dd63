import { describe, expect, it } from 'vitest';
import { calledFunctions, extractProgram } from '../../src/debugger/extract.js';

const SUM_TO = 'function sumTo(n) {\n  let total = 0;\n  for (let i = 1; i <= n; i++) total += i;\n  return total;\n}\n';
const fence = (code: string, tag = 'js'): string => `\`\`\`${tag}\n${code}\`\`\``;
const opts = { entryPoint: 'sumTo' };

describe('extractProgram: finding the code', () => {
  it('takes a fenced block with any JS/TS language tag', () => {
    for (const tag of ['js', 'javascript', 'JavaScript', 'ts', 'typescript', '']) {
      expect(extractProgram(`Here is the fix:\n${fence(SUM_TO, tag)}\nIt now includes n.`, opts)).toEqual({ ok: true, code: SUM_TO });
    }
  });

  it('prefers the block that defines the entry point over a longer example', () => {
    const example = `const results = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => sumTo(n));\nconsole.log(results.join(', '));\n`;
    expect(extractProgram(`${fence(SUM_TO)}\nUsage:\n${fence(example)}`, opts)).toEqual({ ok: true, code: SUM_TO });
  });

  it('takes the longest block when no entry point is named', () => {
    const helper = 'const inc = (x) => x + 1;\n';
    expect(extractProgram(`${fence(helper)}\n${fence(SUM_TO)}`, {})).toEqual({ ok: true, code: SUM_TO });
  });

  it('ignores blocks in other languages', () => {
    expect(extractProgram(`${fence('{"a": 1}\n', 'json')}\n${fence(SUM_TO)}`, opts)).toEqual({ ok: true, code: SUM_TO });
  });

  it('takes a whole reply that is bare code, and an unclosed last fence', () => {
    expect(extractProgram(SUM_TO, opts)).toEqual({ ok: true, code: SUM_TO });
    expect(extractProgram(`\`\`\`js\n${SUM_TO}`, opts)).toEqual({ ok: true, code: SUM_TO });
  });

  it('accepts the entry point as a const arrow function, a function expression or a class', () => {
    const arrow = 'const sumTo = (n) => (n * (n + 1)) / 2;\n';
    const expression = 'var sumTo = function (n) { return n; };\n';
    const klass = 'class sumTo { }\n';
    for (const code of [arrow, expression, klass]) expect(extractProgram(fence(code), opts)).toEqual({ ok: true, code });
    const typed = 'const sumTo = ((n: number) => n) as (n: number) => number;\n';
    expect(extractProgram(fence(typed, 'ts'), { ...opts, filename: 'sum.ts' })).toEqual({ ok: true, code: typed });
  });
});

describe('extractProgram: reasons', () => {
  it('says when the reply has no code block', () => {
    expect(extractProgram('The loop condition should be i <= n.', opts)).toEqual({ ok: false, reason: 'the reply has no code block' });
    expect(extractProgram('', opts)).toEqual({ ok: false, reason: 'the reply has no code block' });
  });

  it('says where the code does not parse', () => {
    const broken = 'function sumTo(n) {\n  let total = 0\n  for (let i = 1; i <= n; i++ {\n  }\n}\n';
    expect(extractProgram(fence(broken), opts)).toEqual({ ok: false, reason: 'the code does not parse: line 3:31 Unexpected token, expected ")"' });
  });

  it('says when TypeScript came back for a JavaScript program', () => {
    const typed = 'function sumTo(n: number): number {\n  return n;\n}\n';
    expect(extractProgram(fence(typed, 'ts'), { ...opts, filename: 'sum.js' })).toEqual({
      ok: false,
      reason: 'the code does not parse: line 1:17 Unexpected token, expected "," (it looks like TypeScript; the program must be plain JavaScript)',
    });
  });

  it('says when the entry point is gone, renamed or nested', () => {
    const renamed = SUM_TO.replace('sumTo', 'sumUpTo');
    expect(extractProgram(fence(renamed), opts)).toEqual({ ok: false, reason: 'the code no longer defines sumTo, which the tests call' });
    expect(extractProgram(fence('const sumTo = 3;\n'), opts)).toEqual({ ok: false, reason: 'the code no longer defines sumTo, which the tests call' });
    expect(extractProgram(fence(`function wrap() {\n${SUM_TO}}\n`), opts)).toEqual({ ok: false, reason: 'the code no longer defines sumTo, which the tests call' });
    expect(extractProgram(renamed, opts)).toEqual({ ok: false, reason: 'the code no longer defines sumTo, which the tests call' });
  });

  it('refuses a JSON document, however it is fenced, and never takes it for a program', () => {
    const verdicts = '[{"block": "sumTo#2", "correct": false, "explanation": "i < n should be i <= n"}]';
    const reason = 'the reply is a JSON document, not a program; the fix must be the corrected program itself';
    expect(extractProgram(fence(`${verdicts}\n`), {})).toEqual({ ok: false, reason });
    expect(extractProgram(fence(`${verdicts}\n`, ''), {})).toEqual({ ok: false, reason });
    expect(extractProgram(verdicts, {})).toEqual({ ok: false, reason });
    expect(extractProgram('```js\n{"verdicts": []}\n```', {})).toEqual({ ok: false, reason });
  });

  it('requires the functions the tests call, inferred from the tests when no entry point is named', () => {
    const required = calledFunctions(`${SUM_TO}function helper() {}\n`, ['assert.strictEqual(sumTo(3), 6);', 'x.helper()']);
    expect(required).toEqual(['sumTo']);
    expect(extractProgram(fence('function other() {}\n'), { required })).toEqual({ ok: false, reason: 'the code no longer defines sumTo, which the tests call' });
    expect(extractProgram(fence(SUM_TO), { required })).toEqual({ ok: true, code: SUM_TO });
  });

  it('drops the line numbers a model copied from the prompt', () => {
    const numbered = SUM_TO.trimEnd().split('\n').map((line, i) => `${String(i + 1).padStart(2)}| ${line}`.trimEnd()).join('\n');
    expect(extractProgram(fence(`${numbered}\n`), opts)).toEqual({ ok: true, code: SUM_TO });
  });

  it('accepts an exported entry point (the sandbox strips ES module syntax before running)', () => {
    const result = extractProgram(fence(`export ${SUM_TO}`), opts);
    expect(result).toEqual({ ok: true, code: `export ${SUM_TO}` });
  });
});
