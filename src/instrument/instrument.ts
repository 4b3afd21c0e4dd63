import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as BabelCore from '@babel/core';
import type { PluginItem } from '@babel/core';
import * as t from '@babel/types';
import type { EncodedSourceMap } from '@jridgewell/trace-mapping';
import { generate } from '../program/babel.js';
import type { ProgramModel } from '../program/model.js';
import { languageOf, parseSource } from '../program/parse.js';
import { walkProgram } from '../program/program.js';
import type { Granularity } from '../program/cfg.js';
import { createProbeWriter, wrapSuspension, type ProbeNames } from './probes.js';

/** Runnable JavaScript plus the map back to the user's source (line/column of errors). */
export interface CompiledProgram {
  code: string;
  map: EncodedSourceMap;
  filename: string;
}

export interface InstrumentedProgram extends CompiledProgram {
  model: ProgramModel;
  names: ProbeNames;
  /** For each block (by index in model.blocks), the variable names its reader returns, in order. */
  vars: string[][];
}

export interface CompileOptions {
  filename?: string;
}

export interface InstrumentOptions extends CompileOptions {
  names?: ProbeNames;
  granularity?: Granularity;
}

const DEFAULT_FILENAME = 'program.js';

/** The program as it would run without ldb: TypeScript types stripped, nothing added. */
export function compileProgram(code: string, options: CompileOptions = {}): CompiledProgram {
  const filename = options.filename ?? DEFAULT_FILENAME;
  const ast = parseSource(code, { filename });
  return emit(ast, code, filename);
}

/** The program with probes that record every block visit and the variables it can see. */
export function instrumentProgram(code: string, options: InstrumentOptions = {}): InstrumentedProgram {
  const filename = options.filename ?? DEFAULT_FILENAME;
  const ast = parseSource(code, { filename });
  const names = options.names ?? freshNames();
  const vars: string[][] = [];
  const writer = createProbeWriter(names, (site) => {
    vars[site.index] = site.vars;
  });
  const { model } = walkProgram(ast, filename, writer, options.granularity);
  wrapSuspensions(ast.program, names);
  for (let i = 0; i < model.blocks.length; i++) vars[i] ??= [];
  return { ...emit(ast, code, filename), model, names, vars };
}

export function freshNames(): ProbeNames {
  const tag = randomBytes(4).toString('hex');
  return { runtime: `__ldb$${tag}`, frame: `__ldbF$${tag}` };
}

/**
 * Babel's core and TypeScript preset take about as long to load as the rest of ldb: they are
 * required (synchronously, they are CommonJS) the first time a TypeScript program is compiled.
 */
function typescriptTools(): { transformFromAstSync: typeof BabelCore.transformFromAstSync; presetTypescript: PluginItem } {
  const require = createRequire(import.meta.url);
  const core = require('@babel/core') as typeof BabelCore;
  const preset = require('@babel/preset-typescript') as { default?: PluginItem } & PluginItem;
  return { transformFromAstSync: core.transformFromAstSync, presetTypescript: preset.default ?? preset };
}

function emit(ast: t.File, code: string, filename: string): CompiledProgram {
  const language = languageOf(filename);
  if (language === 'ts' || language === 'tsx') {
    const { transformFromAstSync, presetTypescript } = typescriptTools();
    const result = transformFromAstSync(ast, code, {
      filename,
      babelrc: false,
      configFile: false,
      sourceMaps: true,
      sourceFileName: filename,
      presets: [[presetTypescript, { isTSX: language === 'tsx', allExtensions: true, onlyRemoveTypeImports: true }]],
    });
    if (!result?.code || !result.map) throw new Error(`ldb internal: TypeScript could not be stripped from ${filename}`);
    return { code: result.code, map: result.map as EncodedSourceMap, filename };
  }
  const result = generate(ast, { sourceMaps: true, sourceFileName: filename }, code);
  return { code: result.code, map: result.map as EncodedSourceMap, filename };
}

/** Replaces every await/yield (post-order, so nested ones are wrapped too) with its depth-keeping form. */
function wrapSuspensions(root: t.Node, names: ProbeNames): void {
  const visit = (node: t.Node): t.Node => {
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        child.forEach((item, i) => {
          if (isNode(item)) child[i] = visit(item);
        });
      } else if (isNode(child)) {
        (node as unknown as Record<string, unknown>)[key] = visit(child);
      }
    }
    return node.type === 'AwaitExpression' || node.type === 'YieldExpression' ? wrapSuspension(names, node) : node;
  };
  visit(root);
}

function isNode(value: unknown): value is t.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
