import { parse } from '@babel/parser';
import traverseModule from '@babel/traverse';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createExpect } from '../../../src/sandbox/guest/expect.js';
import { createStepRunner } from '../../../src/sandbox/guest/steps.js';
import { createSuite } from '../../../src/sandbox/guest/suite.js';

// Guest factories are stringified into the isolate: a name they use that is neither their own
// nor a JavaScript built-in would be a ReferenceError there, maybe only on a rare path.
type Traverse = (ast: unknown, visitors: { Program(path: { scope: unknown }): void }) => void;
const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as Traverse;
const BUILT_INS = new Set(runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);

function freeNames(fn: Function): string[] {
  const ast = parse(`(${fn.toString()})`);
  let names: string[] = [];
  traverse(ast, {
    Program(path) {
      names = Object.keys((path.scope as unknown as { globals: Record<string, unknown> }).globals);
    },
  });
  return names.filter((name) => !BUILT_INS.has(name)).sort();
}

describe('guest factories reference nothing outside themselves', () => {
  it('would see a stray Node global', () => {
    expect(freeNames(function stray() { return [process.env, Buffer.from('x'), Math.max(1, 2)]; })).toEqual(['Buffer', 'process']);
  });

  it.each([
    ['createExpect', createExpect],
    ['createSuite', createSuite],
    ['createStepRunner', createStepRunner],
  ])('%s', (_name, factory) => {
    expect(freeNames(factory)).toEqual([]);
  });
});
