import * as traverseModule from '@babel/traverse';
import * as generatorModule from '@babel/generator';
import * as templateModule from '@babel/template';
import type { TraverseOptions } from '@babel/traverse';
import type { GeneratorOptions, GeneratorResult } from '@babel/generator';
import type * as t from '@babel/types';

// These Babel packages are CommonJS with a default export; depending on the loader (Node's ESM
// interop, vitest) the function arrives as `.default` or `.default.default`. Unwrap once, here.
function unwrap<T>(mod: unknown): T {
  let value = mod as { default?: unknown };
  while (typeof value !== 'function' && value && 'default' in value) value = value.default as { default?: unknown };
  return value as T;
}

export const traverse = unwrap<(parent: t.Node, options: TraverseOptions) => void>(traverseModule);
export const generate = unwrap<(ast: t.Node, options?: GeneratorOptions, code?: string) => GeneratorResult>(generatorModule);
export const template = unwrap<typeof templateModule.default>(templateModule);
