import { createRequire } from 'node:module';
import type * as BabelParser from '@babel/parser';
import type { ParserPlugin } from '@babel/parser';
import type * as BabelCodeFrame from '@babel/code-frame';
import type * as BabelTypes from '@babel/types';
import type { File, ImportDeclaration, ImportSpecifier, Node } from '@babel/types';
import { InputError, ParseError } from '../errors.js';

// Required, not imported: an ESM import of these CommonJS packages makes node scan their whole
// source for export names (cjs-module-lexer), which takes longer than loading them (ldb's start).
const requireCjs = createRequire(import.meta.url);
const { parse } = requireCjs('@babel/parser') as typeof BabelParser;
const { codeFrameColumns } = requireCjs('@babel/code-frame') as typeof BabelCodeFrame;
const { traverseFast } = requireCjs('@babel/types') as typeof BabelTypes;

export type SourceLanguage = 'js' | 'jsx' | 'ts' | 'tsx';

/** Picks the dialect from the file name; unknown or missing extensions are read as JavaScript. */
export function languageOf(filename: string | undefined): SourceLanguage {
  const ext = /\.([cm]?[jt]sx?)$/i.exec(filename ?? '')?.[1]?.toLowerCase() ?? 'js';
  if (ext.endsWith('tsx')) return 'tsx';
  if (ext.endsWith('ts')) return 'ts';
  if (ext.endsWith('jsx')) return 'jsx';
  return 'js';
}

function pluginsFor(language: SourceLanguage): ParserPlugin[] {
  switch (language) {
    case 'ts':
      return ['typescript'];
    case 'tsx':
      return ['typescript', 'jsx'];
    default:
      return ['jsx'];
  }
}

export interface ParseOptions {
  filename?: string;
  /** Parse as an ES module (allows import/export); default: a classic script, like HumanEval. */
  sourceType?: 'script' | 'module';
  /** Test scripts may `await test()` at top level. */
  allowAwaitOutsideFunction?: boolean;
}

/**
 * Parses JS/TS/JSX into a Babel AST. Syntax errors become a ParseError with file, line, column
 * and a code frame. Internal to ldb: callers outside src/program and src/instrument get models.
 *
 * Programs run as classic scripts (like HumanEval's), so ES module syntax is rewritten first
 * (see stripModuleSyntax); the AST is that of the rewritten text, whose lines are the same.
 */
export function parseSource(code: string, options: ParseOptions = {}): File {
  const filename = options.filename;
  checkText(code, filename);
  const language = languageOf(filename);
  const parseAs = (text: string, sourceType: 'script' | 'module', errorRecovery: boolean): File =>
    parse(text, {
      sourceType,
      sourceFilename: filename,
      plugins: pluginsFor(language),
      errorRecovery,
      allowReturnOutsideFunction: false,
      allowAwaitOutsideFunction: options.allowAwaitOutsideFunction === true,
      // `export` inside a TypeScript namespace is part of the namespace, not module syntax.
      allowImportExportEverywhere: language === 'ts' || language === 'tsx',
    });
  const sourceType = options.sourceType ?? 'script';
  let text = code;
  if (sourceType === 'script') text = stripModuleSyntax(code, { filename });
  try {
    return parseAs(text, sourceType, false);
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (!loc) throw error;
    const reason = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '') + languageHint(code);
    throw new ParseError(reason, { file: filename, line: loc.line, column: loc.column }, frameAt(code, loc.line, loc.column));
  }
}

/**
 * ES module syntax rewritten for a classic script, keeping every line where it was:
 * `export` before a declaration is blanked out (`export default` of an expression becomes
 * `var _default =`, as long), `export { ... }` and re-exports are blanked, and imports become
 * `require` calls (only 'assert' resolves in the sandbox; others fail with a clear error when
 * the program runs). Code without import/export is returned unchanged.
 */
export function stripModuleSyntax(code: string, options: { filename?: string } = {}): string {
  if (!/\b(import|export)\b/.test(code)) return code;
  let ast: File;
  try {
    ast = parse(code, {
      sourceType: 'module',
      plugins: pluginsFor(languageOf(options.filename)),
      errorRecovery: true,
      allowAwaitOutsideFunction: true,
    });
  } catch {
    return code; // the script parse will report the syntax error
  }
  const edits: { start: number; end: number; text: string }[] = [];
  const blank = (start: number, end: number) => edits.push({ start, end, text: code.slice(start, end).replace(/[^\n]/g, ' ') });
  for (const node of ast.program.body) {
    const start = node.start ?? 0;
    const end = node.end ?? start;
    switch (node.type) {
      case 'ExportNamedDeclaration':
        if (node.declaration && !node.source) blank(start, node.declaration.start ?? start);
        else blank(start, end);
        break;
      case 'ExportDefaultDeclaration': {
        const declaration = node.declaration;
        const named =
          ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id != null) ||
          declaration.type === 'TSDeclareFunction';
        if (named) blank(start, declaration.start ?? start);
        else {
          const keyword = code.slice(start, declaration.start ?? start);
          const replacement = 'var _default =';
          edits.push({ start, end: declaration.start ?? start, text: replacement + keyword.slice(replacement.length).replace(/[^\n]/g, ' ') });
        }
        break;
      }
      case 'ExportAllDeclaration':
      case 'TSExportAssignment':
      case 'TSNamespaceExportDeclaration':
        blank(start, end);
        break;
      case 'ImportDeclaration':
        edits.push({ start, end, text: requireFor(node, code) });
        break;
      default:
        break;
    }
  }
  if (edits.length === 0) return code;
  let out = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** `import x, { a, b as c } from 'm'` as `const x = require('m'), { a, b: c } = x;` (type-only imports vanish). */
function requireFor(node: ImportDeclaration, code: string): string {
  const lines = code.slice(node.start ?? 0, node.end ?? 0).replace(/[^\n]/g, '');
  if (node.importKind === 'type' || node.importKind === 'typeof') return lines;
  const source = JSON.stringify(node.source.value);
  const specifiers = node.specifiers.filter((s) => !(s.type === 'ImportSpecifier' && (s.importKind === 'type' || s.importKind === 'typeof')));
  if (node.specifiers.length === 0) return `require(${source});${lines}`;
  if (specifiers.length === 0) return lines;
  const whole = specifiers.find((s) => s.type !== 'ImportSpecifier');
  const named = specifiers.filter((s): s is ImportSpecifier => s.type === 'ImportSpecifier');
  const pattern = named
    .map((s) => {
      const imported = s.imported.type === 'Identifier' ? s.imported.name : JSON.stringify(s.imported.value);
      return imported === s.local.name ? imported : `${imported}: ${s.local.name}`;
    })
    .join(', ');
  const declarations: string[] = [];
  if (whole) declarations.push(`${whole.local.name} = require(${source})`);
  if (named.length > 0) declarations.push(`{ ${pattern} } = ${whole ? whole.local.name : `require(${source})`}`);
  return `const ${declarations.join(', ')};${lines}`;
}

/**
 * JSX parses (the jsx plugin is on, so models of .jsx/.tsx files can be built) but cannot run:
 * there is no JSX transform and no React in the sandbox. Throws a ParseError at the first JSX
 * element of a program that is about to run.
 */
export function assertRunnable(code: string, filename?: string): void {
  if (!/<[A-Za-z>]/.test(code)) return;
  const ast = parseSource(code, { filename });
  let found: Node | undefined;
  traverseFast(ast.program, (node) => {
    if (!found && (node.type === 'JSXElement' || node.type === 'JSXFragment')) found = node;
  });
  const loc = found?.loc?.start;
  if (!loc) return;
  const reason = /^\s*<(!DOCTYPE|html)/i.test(code)
    ? 'this looks like an HTML page, not a program; ldb runs JavaScript or TypeScript'
    : 'JSX markup cannot run in the sandbox (there is no JSX transform or React); test plain functions instead';
  throw new ParseError(reason, { file: filename, line: loc.line, column: loc.column }, frameAt(code, loc.line, loc.column));
}

/** A short note when the text that failed to parse is plainly another language. */
function languageHint(code: string): string {
  const python =
    /^\s*(def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:|class\s+\w+(\([^)]*\))?\s*:|from\s+[\w.]+\s+import\s+\w|elif\s.*:|if\s+__name__\s*==)\s*$/m;
  if (python.test(code)) return ' (this looks like Python source; ldb runs JavaScript or TypeScript)';
  if (/^\s*<(!doctype|html|\?xml)/i.test(code)) return ' (this looks like an HTML or XML document, not a program)';
  if (/^\s*[[{]/.test(code)) {
    try {
      JSON.parse(code);
      return ' (this is JSON data, not a program)';
    } catch {
      // not JSON either
    }
  }
  return '';
}

/** A few lines of source around a position, with a caret; no colour so it reads in logs too. */
export function frameAt(code: string, line: number, column: number): string {
  return codeFrameColumns(code, { start: { line, column: column + 1 } }, { highlightCode: false, linesAbove: 2, linesBelow: 1 });
}

/** Rejects inputs that are not program text at all, with a message that says so. */
function checkText(code: string, filename: string | undefined): void {
  const name = filename ?? '<input>';
  if (code.trim() === '') throw new InputError(`${name}: the file is empty; expected a JavaScript or TypeScript program.`);
  if (code.includes('\u0000') || looksBinary(code)) {
    throw new InputError(`${name}: the file looks binary (it contains bytes that are not text); expected JavaScript or TypeScript source text.`);
  }
}

/** Undecodable bytes (U+FFFD after UTF-8 decoding) or control characters in the first 8 KB. */
function looksBinary(code: string): boolean {
  const sample = code.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11)) odd++;
  }
  return odd > 8 && odd > sample.length / 100;
}
