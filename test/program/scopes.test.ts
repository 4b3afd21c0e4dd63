import { describe, expect, it } from 'vitest';
import { instrumentProgram } from '../../src/instrument/instrument.js';
import { parseProgram } from '../../src/program/program.js';
import { InputError } from '../../src/errors.js';
import { MAX_VARS_PER_STEP } from '../../src/program/scopes.js';

function varsOf(code: string): Map<string, string[]> {
  const program = instrumentProgram(code, { filename: 'p.js' });
  return new Map(program.model.blocks.map((block, i) => [block.id, program.vars[i] ?? []]));
}

describe('visible variables per step', () => {
  it('shows params, locals declared so far and the closure variables a function uses', () => {
    const vars = varsOf(
      [
        'let unused = 1;',
        'let factor = 2;',
        'function scale(xs) {',
        '  const out = [];',
        '  for (const x of xs) out.push(x * factor);',
        '  return out;',
        '}',
      ].join('\n'),
    );
    expect(vars.get('scale#0')).toEqual(['factor', 'xs']);
    expect(vars.get('scale#1')).toEqual(['factor', 'xs', 'out']);
    expect(vars.get('scale#2')).toEqual(['factor', 'xs', 'out', 'x']);
  });

  it('keeps parameters and the names a step uses in a function with more locals than the cap', () => {
    const locals = Array.from({ length: 60 }, (_, i) => `  let l${i} = p + ${i};`);
    const vars = varsOf(['function wide(p) {', ...locals, '  if (l3 > p) return l3;', '  return 0;', '}'].join('\n'));
    const branch = vars.get('wide#1') ?? [];
    expect(branch.length).toBeLessThanOrEqual(MAX_VARS_PER_STEP);
    expect(branch).toEqual(expect.arrayContaining(['p', 'l3', 'l59']));
    expect(vars.get('wide#2')).toEqual(expect.arrayContaining(['p', 'l3']));
  });

  it('hides an outer name shadowed by an inner binding', () => {
    const vars = varsOf('let n = 1;\nfunction f(n) {\n  return n + 1;\n}\n');
    expect(vars.get('f#1')).toEqual(['n']);
  });

  it('bounds a step in a huge scope to the names it uses plus a few near ones (the shape of the 2,500 vars x 1,200 blocks attack)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) lines.push(`var v${i} = ${i};`);
    for (let i = 0; i < 300; i++) lines.push(`if (v${i}) v${(i * 7) % 500}++;`);
    const program = instrumentProgram(lines.join('\n'), { filename: 'wide.js' });
    const sizes = program.vars.map((v) => v.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_VARS_PER_STEP);
    // Each `if` block records what it reads and writes.
    const onLine = (kind: string) => program.model.blocks.findIndex((b) => b.kind === kind && b.loc.start.line === 501 + 10);
    expect(program.vars[onLine('branch')]).toEqual(expect.arrayContaining(['v10']));
    expect(program.vars[onLine('block')]).toEqual(expect.arrayContaining(['v70']));
    // Bounded per block (the 2,500 x 1,200 original made 104 MB of probes).
    expect(program.code.length).toBeLessThan(program.model.blocks.length * MAX_VARS_PER_STEP * 40);
  });

  it('shows only the top-level names a function uses, however many there are', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(`let g${i} = ${i};`);
    lines.push('function pick(a, b) {', '  const c = a + g150;', '  return c * b;', '}');
    const vars = varsOf(lines.join('\n'));
    expect(vars.get('pick#0')).toEqual(['g150', 'a', 'b']);
    expect(vars.get('pick#1')).toEqual(['g150', 'a', 'b', 'c']);
  });
});

describe('size limit', () => {
  it('refuses a source file over 2 MB, naming the file and the limit', () => {
    const code = 'let x = 1;\n'.repeat(200_000);
    expect(() => parseProgram(code, { filename: 'huge.js' })).toThrow(InputError);
    expect(() => parseProgram(code, { filename: 'huge.js' })).toThrow(/huge\.js: the file is 2\.1 MB; ldb reads source files of up to 2 MB/);
  });
});
