import { describe, expect, it } from 'vitest';
import { instrumentProgram } from '../../src/instrument/instrument.js';
import { parseProgram } from '../../src/program/program.js';
import { topLevelBindings } from '../../src/program/bindings.js';
import { parseSource } from '../../src/program/parse.js';
import { LruCache } from '../../src/program/lru.js';

const CODE = 'function sumTo(n) {\n  let total = 0;\n  for (let i = 1; i < n; i++) total += i;\n  return total;\n}\n';

describe('parse once', () => {
  it('instruments a text once and hands the same program back', () => {
    const first = instrumentProgram(CODE, { filename: 'sum.js' });
    expect(instrumentProgram(CODE, { filename: 'sum.js' })).toBe(first);
    expect(instrumentProgram(CODE, { filename: 'sum.js', granularity: 'statement' })).not.toBe(first);
    expect(instrumentProgram(`${CODE}\n`, { filename: 'sum.js' })).not.toBe(first);
  });

  it('gives the model made while instrumenting to parseProgram', () => {
    const code = `${CODE}// model\n`;
    const program = instrumentProgram(code, { filename: 'model.js' });
    expect(parseProgram(code, { filename: 'model.js' })).toBe(program.model);
  });

  it('evicts the least recently used entry', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });
});

describe('topLevelBindings', () => {
  it('lists functions, classes and variables, destructured names included', () => {
    const ast = parseSource(
      'function f() {}\nconst g = (x) => x, h = 1;\nclass C {}\nlet { a, b: [c] } = obj;\nconst k = (() => 1) as () => number;\n',
      { filename: 'b.ts' },
    );
    expect(topLevelBindings(ast).map((b) => `${b.name}:${b.kind}`)).toEqual([
      'f:function',
      'g:function',
      'h:variable',
      'C:class',
      'a:variable',
      'c:variable',
      'k:function',
    ]);
  });
});
