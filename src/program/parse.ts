import { parse, type ParserPlugin } from '@babel/parser';
import { codeFrameColumns } from '@babel/code-frame';
import type { File } from '@babel/types';
import { InputError, ParseError } from '../errors.js';

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
 */
export function parseSource(code: string, options: ParseOptions = {}): File {
  const filename = options.filename;
  checkText(code, filename);
  const language = languageOf(filename);
  try {
    return parse(code, {
      sourceType: options.sourceType ?? 'script',
      sourceFilename: filename,
      plugins: pluginsFor(language),
      errorRecovery: false,
      allowReturnOutsideFunction: false,
      allowAwaitOutsideFunction: options.allowAwaitOutsideFunction === true,
    });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (!loc) throw error;
    const reason = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '');
    throw new ParseError(reason, { file: filename, line: loc.line, column: loc.column }, frameAt(code, loc.line, loc.column));
  }
}

/** A few lines of source around a position, with a caret; no colour so it reads in logs too. */
export function frameAt(code: string, line: number, column: number): string {
  return codeFrameColumns(code, { start: { line, column: column + 1 } }, { highlightCode: false, linesAbove: 2, linesBelow: 1 });
}

/** Rejects inputs that are not program text at all, with a message that says so. */
function checkText(code: string, filename: string | undefined): void {
  const name = filename ?? '<input>';
  if (code.trim() === '') throw new InputError(`${name}: the file is empty; expected a JavaScript or TypeScript program.`);
  if (code.includes('\u0000')) {
    throw new InputError(`${name}: the file looks binary (it contains NUL bytes); expected JavaScript or TypeScript source text.`);
  }
}
