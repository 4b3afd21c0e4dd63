import type * as t from '@babel/types';
import { ParseError } from '../errors.js';
import { languageOf, parseSource } from '../program/parse.js';
import { topLevelBindings } from '../program/bindings.js';

export interface ExtractOptions {
  /** Decides the dialect the code must parse as (JavaScript unless it ends in .ts/.tsx). */
  filename?: string;
  /** The function (or class) the tests call; the code must still define it at top level. */
  entryPoint?: string;
  /** Other top-level functions the tests call (inferred from them): the code must still define each. */
  required?: string[];
}

export type ExtractResult = { ok: true; code: string } | { ok: false; reason: string };

/** Fence languages that can hold the program; a ```json or ```bash block is something else. */
const CODE_TAGS = new Set(['', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'ts', 'typescript', 'tsx', 'node']);

/**
 * Takes the program out of a model's reply: the fenced block that defines the entry point (else
 * the longest), or the whole reply when it is bare code. The reason says precisely what was
 * wrong, to be quoted back to the model.
 */
export function extractProgram(reply: string, options: ExtractOptions = {}): ExtractResult {
  const blocks = codeBlocks(reply);
  if (blocks.length === 0) {
    const bare = reply.trim();
    const result = bare === '' ? undefined : checkProgram(`${bare}\n`, options);
    // Prose does not parse: then the trouble is the missing block, not a syntax error in the prose.
    if (result && (result.ok || !result.reason.startsWith('the code does not parse'))) return result;
    return { ok: false, reason: 'the reply has no code block' };
  }
  const checked = blocks.map((code) => ({ code, result: checkProgram(code, options) }));
  const usable = checked.filter((c) => c.result.ok).sort((a, b) => b.code.length - a.code.length)[0];
  if (usable) return usable.result;
  // None is usable: report on the block most likely meant as the program.
  const meant = checked.find((c) => options.entryPoint && mentions(c.code, options.entryPoint)) ?? longest(checked);
  return meant.result;
}

/** The contents of the fenced blocks whose language tag can be JS/TS; an unclosed last fence runs to the end. */
function codeBlocks(reply: string): string[] {
  const blocks: string[] = [];
  for (const match of reply.matchAll(/^[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm)) {
    const tag = (match[2] ?? '').toLowerCase();
    const code = (match[3] ?? '').replace(/\s+$/, '');
    if (CODE_TAGS.has(tag) && code.trim() !== '') blocks.push(`${code}\n`);
  }
  return blocks;
}

function checkProgram(text: string, options: ExtractOptions): ExtractResult {
  const code = withoutLineNumbers(text);
  if (isJsonDocument(code)) return { ok: false, reason: 'the reply is a JSON document, not a program; the fix must be the corrected program itself' };
  const parsed = parseProgramText(code, options.filename);
  if ('reason' in parsed) return { ok: false, reason: parsed.reason };
  const needed = [...new Set([...(options.entryPoint ? [options.entryPoint] : []), ...(options.required ?? [])])];
  const lost = needed.filter((name) => !definesAtTopLevel(parsed.ast, name));
  if (lost.length > 0) return { ok: false, reason: `the code no longer defines ${lost.join(', ')}, which the tests call` };
  return { ok: true, code };
}

/** A JSON value (verdicts, say) is valid JavaScript, but running it as the program helps no one. */
function isJsonDocument(code: string): boolean {
  const trimmed = code.trim();
  if (!/^[[{"]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** The prompts show the program with numbered lines ("12| code"); a model that copies them back gets them removed. */
function withoutLineNumbers(code: string): string {
  const lines = code.split('\n');
  const content = lines.filter((line) => line.trim() !== '');
  if (content.length === 0 || !content.every((line) => /^\s*\d+\|( |$)/.test(line))) return code;
  return lines.map((line) => line.replace(/^\s*\d+\|( |$)/, '')).join('\n');
}

/**
 * The program's top-level functions that the tests call: a fix must keep them when no entry point
 * was named. Names are matched as `name(` in the test text; only the program's own functions count.
 */
export function calledFunctions(code: string, tests: string[], filename?: string): string[] {
  let ast: t.File;
  try {
    ast = parseSource(code, { filename });
  } catch {
    return [];
  }
  const text = tests.join('\n');
  return topLevelFunctionNames(ast).filter((name) => new RegExp(`(^|[^\\w$.])${escapeName(name)}\\s*\\(`).test(text));
}

function topLevelFunctionNames(ast: t.File): string[] {
  return topLevelBindings(ast).flatMap((binding) => (binding.kind === 'variable' ? [] : [binding.name]));
}

function escapeName(name: string): string {
  return name.replace(/[$]/g, '\\$');
}

function parseProgramText(code: string, filename: string | undefined): { ast: t.File } | { reason: string } {
  try {
    return { ast: parseSource(code, { filename }) };
  } catch (error) {
    if (!(error instanceof ParseError)) return { reason: `the code is not a program: ${(error as Error).message}` };
    const where = `line ${error.loc.line}:${error.loc.column + 1}`;
    const isTypeScriptInJs = !languageOf(filename).startsWith('ts') && parsesAs(code, 'program.ts');
    const hint = isTypeScriptInJs ? ' (it looks like TypeScript; the program must be plain JavaScript)' : '';
    return { reason: `the code does not parse: ${where} ${error.reason}${hint}` };
  }
}

function parsesAs(code: string, filename: string): boolean {
  try {
    parseSource(code, { filename });
    return true;
  } catch {
    return false;
  }
}

/** A function declaration, `const/let/var name = function|arrow`, or a class, at the program's top level. */
function definesAtTopLevel(ast: t.File, name: string): boolean {
  return topLevelBindings(ast).some((binding) => binding.name === name && binding.kind !== 'variable');
}

function mentions(code: string, name: string): boolean {
  return new RegExp(`(^|[^\\w$])${escapeName(name)}([^\\w$]|$)`).test(code);
}

function longest<T extends { code: string }>(items: T[]): T {
  return items.reduce((best, item) => (item.code.length > best.code.length ? item : best));
}
