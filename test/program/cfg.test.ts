import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/program/program.js';
import { ParseError, InputError } from '../../src/errors.js';
import type { ProgramModel } from '../../src/program/model.js';

function graph(model: ProgramModel, fn: string): string[] {
  return model.blocks
    .filter((b) => b.fn === fn)
    .map((b) => `${b.id} ${b.kind} ${b.loc.start.line}:${b.loc.start.col} -> ${b.succ.join(',')}`);
}

describe('parseProgram: basic blocks', () => {
  it('splits a for loop with an if into entry, straight, loop head, branch and exit blocks', () => {
    const model = parseProgram(
      [
        'function sumOdd(n) {',
        '  let total = 0;',
        '  for (let i = 1; i < n; i++) {',
        '    if (i % 2 === 0) continue;',
        '    total += i;',
        '  }',
        '  return total;',
        '}',
      ].join('\n'),
      { filename: 'sum.js' },
    );
    expect(graph(model, 'sumOdd')).toEqual([
      'sumOdd#0 entry 1:0 -> sumOdd#1',
      'sumOdd#1 block 2:2 -> sumOdd#2',
      'sumOdd#2 loop 3:2 -> sumOdd#3,sumOdd#6',
      'sumOdd#3 branch 4:4 -> sumOdd#4,sumOdd#5',
      'sumOdd#4 block 4:21 -> sumOdd#2',
      'sumOdd#5 block 5:4 -> sumOdd#2',
      'sumOdd#6 block 7:2 -> sumOdd#7',
      'sumOdd#7 exit 8:1 -> ',
    ]);
    expect(model.functions.map((f) => f.name)).toEqual(['(top)', 'sumOdd']);
    expect(model.functions[1]!.params).toEqual(['n']);
  });

  it('merges the statements before an if into the branch block', () => {
    const model = parseProgram('const f = (x) => {\n  const y = x * 2;\n  if (y > 3) {\n    return y;\n  }\n  return 0;\n};');
    expect(graph(model, 'f')).toEqual([
      'f#0 entry 1:10 -> f#1',
      'f#1 branch 2:2 -> f#2,f#3',
      'f#2 block 4:4 -> f#4',
      'f#3 block 6:2 -> f#4',
      'f#4 exit 7:1 -> ',
    ]);
    expect(model.blocks.find((b) => b.id === 'f#1')!.loc.end).toEqual({ line: 3, col: 11 });
  });

  it('models switch fall-through, break and a missing default', () => {
    const model = parseProgram('function g(x) {\n switch (x) {\n  case 1: x++;\n  case 2: x--; break;\n  case 3: return 0;\n }\n return x;\n}');
    expect(graph(model, 'g')).toEqual([
      'g#0 entry 1:0 -> g#1',
      'g#1 branch 2:1 -> g#2,g#3,g#4,g#5',
      'g#2 block 3:10 -> g#3',
      'g#3 block 4:10 -> g#5',
      'g#4 block 5:10 -> g#6',
      'g#5 block 7:1 -> g#6',
      'g#6 exit 8:1 -> ',
    ]);
  });

  it('sends labelled break and continue to the right loop', () => {
    const model = parseProgram(
      'function h(m) {\n outer: for (const row of m) {\n  for (const v of row) {\n   if (v < 0) continue outer;\n   if (v === 0) break outer;\n  }\n }\n return 1;\n}',
    );
    const succ = (id: string) => model.blocks.find((b) => b.id === id)!.succ;
    // h#1 outer head, h#2 inner head, h#3 first if, h#4 continue outer, h#5 second if, h#6 break outer
    expect(succ('h#4')).toEqual(['h#1']);
    expect(succ('h#6')).toEqual(['h#7']);
    expect(succ('h#1')).toEqual(['h#2', 'h#7']);
  });

  it('covers while, do-while, for-in, try/catch/finally and throw', () => {
    const model = parseProgram(
      [
        'function k(o) {',
        '  let n = 0;',
        '  do { n++; } while (n < 3);',
        '  while (n > 0) n--;',
        '  for (const key in o) n += key.length;',
        '  try {',
        '    if (n > 10) throw new Error("big");',
        '  } catch (e) {',
        '    n = -1;',
        '  } finally {',
        '    n += 1;',
        '  }',
        '  return n;',
        '}',
      ].join('\n'),
    );
    const kinds = model.blocks.filter((b) => b.fn === 'k').map((b) => b.kind);
    expect(kinds).toEqual(['entry', 'block', 'block', 'loop', 'loop', 'block', 'loop', 'block', 'branch', 'block', 'block', 'block', 'block', 'exit']);
    const doWhileHead = model.blocks.find((b) => b.id === 'k#3')!;
    expect(doWhileHead.succ).toEqual(['k#2', 'k#4']);
  });

  it('names functions of every form and keeps ids unique', () => {
    const model = parseProgram(
      [
        'function a() {}',
        'const b = () => 1;',
        'const c = function () {};',
        'class D { constructor() {} m() { const inner = () => 2; return inner(); } get g() { return 1; } }',
        'const o = { p() {}, q: () => 3 };',
        'function a2() { function helper() {} }',
        'function a3() { function helper() {} }',
        '[1].map((x) => x);',
      ].join('\n'),
    );
    expect(model.functions.map((f) => f.name)).toEqual([
      '(top)', 'a', 'b', 'c', 'D.constructor', 'D.m', 'inner', 'D.g', 'p', 'q', 'a2', 'helper', 'a3', 'helper@7', 'anonymous',
    ]);
    const ids = model.blocks.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the same ids for the same source', () => {
    const code = 'function f(x) { if (x) { return 1 } else { while (x) x--; } return 2 }';
    expect(parseProgram(code)).toEqual(parseProgram(code));
  });

  it('parses TypeScript and TSX with exact lines', () => {
    const model = parseProgram('interface P { x: number }\nfunction f(p: P): number {\n  return p.x;\n}', { filename: 'a.ts' });
    expect(model.language).toBe('ts');
    expect(model.blocks.find((b) => b.id === 'f#1')!.loc.start).toEqual({ line: 3, col: 2 });
    const tsx = parseProgram('const C = (p: { n: number }) => <div>{p.n}</div>;', { filename: 'c.tsx' });
    expect(tsx.functions.map((f) => f.name)).toContain('C');
  });
});

describe('parseProgram: bad input', () => {
  it('reports a syntax error with file, line, column and a code frame', () => {
    let error: unknown;
    try {
      parseProgram('function f() {\n  return 1 +;\n}', { filename: 'bad.js' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    const parseError = error as ParseError;
    expect(parseError.loc).toEqual({ file: 'bad.js', line: 2, column: 12 });
    expect(parseError.message).toMatch(/^bad\.js:2:13: Unexpected token/);
    expect(parseError.codeFrame).toContain('> 2 |   return 1 +;');
  });

  it('rejects empty and binary files with a clear message', () => {
    expect(() => parseProgram('  \n', { filename: 'empty.js' })).toThrow(InputError);
    expect(() => parseProgram('  \n', { filename: 'empty.js' })).toThrow(/empty\.js: the file is empty/);
    expect(() => parseProgram('abc\u0000def', { filename: 'x.bin' })).toThrow(/looks binary/);
  });
});
