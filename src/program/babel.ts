import { createRequire } from 'node:module';
import type * as templateModule from '@babel/template';
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

// Required, not imported: an ESM import of a CommonJS package makes node scan its source for
// export names (cjs-module-lexer), which costs more at start than loading it.
const requireCjs = createRequire(import.meta.url);
export const traverse = unwrap<(parent: t.Node, options: TraverseOptions) => void>(requireCjs('@babel/traverse'));
export const generate = unwrap<(ast: t.Node, options?: GeneratorOptions, code?: string) => GeneratorResult>(requireCjs('@babel/generator'));
export const template = unwrap<typeof templateModule.default>(requireCjs('@babel/template'));
