import type * as t from '@babel/types';
import { baseNameOf, isMethodLike } from './functions.js';
import { FunctionWalker, type Granularity, type ProbeWriter } from './cfg.js';
import { BlockTable, TOP_LEVEL, type FunctionInfo, type ProgramModel, type Range } from './model.js';
import { languageOf, parseSource } from './parse.js';
import { ScopeIndex } from './scopes.js';
import { LruCache, MAX_CACHED_SOURCE_CHARS, sourceKey } from './lru.js';

export interface ParseProgramOptions {
  filename?: string;
  /** 'block' (default): basic blocks; 'statement': one block per statement, for line-level views. */
  granularity?: Granularity;
}

const models = new LruCache<ProgramModel>(32);

/**
 * Parses a program and describes its basic blocks: one CFG per function plus one for top-level
 * code. Models are cached by source text (and options), and instrumenting a program fills the
 * cache too, so asking again for the model of a program just traced parses nothing.
 * The model returned may be shared: treat it as read-only.
 */
export function parseProgram(code: string, options: ParseProgramOptions = {}): ProgramModel {
  const key = sourceKey(code, options.filename, options.granularity ?? 'block');
  const cached = models.get(key);
  if (cached) return cached;
  const ast = parseSource(code, { filename: options.filename });
  const model = walkProgram(ast, options.filename, undefined, options.granularity).model;
  if (code.length <= MAX_CACHED_SOURCE_CHARS) models.set(key, model);
  return model;
}

/** Records the model made while instrumenting, so parseProgram need not parse the text again. */
export function rememberModel(code: string, options: ParseProgramOptions, model: ProgramModel): void {
  if (code.length <= MAX_CACHED_SOURCE_CHARS) models.set(sourceKey(code, options.filename, options.granularity ?? 'block'), model);
}

export interface WalkedProgram {
  model: ProgramModel;
  table: BlockTable;
}

/** Walks every function of an AST in source order (outer before inner); instruments it when given a writer. */
export function walkProgram(
  ast: t.File,
  filename: string | undefined,
  writer?: ProbeWriter,
  granularity: Granularity = 'block',
): WalkedProgram {
  const scopes = new ScopeIndex(ast);
  const table = new BlockTable();
  const program = ast.program;
  const top = table.addFunction({ name: TOP_LEVEL, loc: rangeOf(program), params: [], async: false, generator: false });
  new FunctionWalker(table, scopes, { info: top, node: program, showThis: false }, writer, granularity).walk();
  const names = new Set<string>([TOP_LEVEL]);
  for (const path of scopes.functions) {
    const node = path.node;
    const info: FunctionInfo = table.addFunction({
      name: uniqueName(baseNameOf(path), node, names),
      loc: rangeOf(node),
      params: node.params.map(paramName),
      async: node.async === true,
      generator: node.generator === true,
    });
    new FunctionWalker(table, scopes, { info, node, showThis: isMethodLike(path) }, writer, granularity).walk();
  }
  const model: ProgramModel = { filename, language: languageOf(filename), functions: table.functions, blocks: table.blocks };
  return { model, table };
}

function uniqueName(base: string, node: t.Node, taken: Set<string>): string {
  const line = node.loc?.start.line ?? 0;
  const candidates = [base, `${base}@${line}`, `${base}@${line}:${node.loc?.start.column ?? 0}`];
  const name = candidates.find((c) => !taken.has(c)) ?? `${base}@${taken.size}`;
  taken.add(name);
  return name;
}

function paramName(param: t.Node): string {
  switch (param.type) {
    case 'Identifier':
      return param.name;
    case 'AssignmentPattern':
      return paramName(param.left);
    case 'RestElement':
      return `...${paramName(param.argument)}`;
    case 'TSParameterProperty':
      return paramName(param.parameter);
    case 'ObjectPattern':
      return '{…}';
    case 'ArrayPattern':
      return '[…]';
    default:
      return '?';
  }
}

function rangeOf(node: t.Node): Range {
  const start = node.loc?.start ?? { line: 1, column: 0 };
  const end = node.loc?.end ?? start;
  return { start: { line: start.line, col: start.column }, end: { line: end.line, col: end.column } };
}
