import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { parse } from '@babel/parser';
import { VISITOR_KEYS, isFunction, type File, type Node } from '@babel/types';
import { InputError } from '../errors.js';
import { topLevelBindings } from '../program/bindings.js';
import { languageOf, pluginsFor } from '../program/parse.js';
import type { ProgramModuleConfig } from '../sandbox/guest/program-module.js';

/** Modules the sandbox's `require` provides (the test-framework ones for tests written for them). */
export const PROVIDED_MODULES: readonly string[] = [
  'assert',
  'node:assert',
  'assert/strict',
  'node:assert/strict',
  'vitest',
  '@jest/globals',
  'node:test',
];

/** A module a file asks for: `import ... from 'x'`, `export ... from 'x'`, `require('x')`, `import('x')`. */
export interface ModuleRequest {
  source: string;
  line: number;
  /** 0-based. */
  column: number;
}

export interface ModuleFacts {
  requests: ModuleRequest[];
  /** ES exports as [exported, local]; null when the file has no `export`. */
  exports: [string, string][] | null;
}

/** What a file imports and exports, from a module-mode parse (syntax errors are reported by the script parse). */
export function moduleFacts(code: string, filename: string | undefined): ModuleFacts {
  if (!/\b(import|export|require)\b/.test(code)) return { requests: [], exports: null };
  let ast: File;
  try {
    ast = parse(code, { sourceType: 'module', plugins: pluginsFor(languageOf(filename)), errorRecovery: true, allowAwaitOutsideFunction: true });
  } catch {
    return { requests: [], exports: null };
  }
  return { requests: requestsOf(ast), exports: exportsOf(ast) };
}

/**
 * Static imports and re-exports, and `require('x')`/`import('x')` calls that run as the program
 * loads (not inside a function: a function may never call its require, as some HumanEval
 * solutions show, and then it must not stop the run).
 */
function requestsOf(ast: File): ModuleRequest[] {
  const requests: ModuleRequest[] = [];
  const add = (source: string, at: Node) => requests.push({ source, line: at.loc?.start.line ?? 0, column: at.loc?.start.column ?? 0 });
  const visit = (node: Node): void => {
    if (isFunction(node)) return;
    if ((node.type === 'ImportDeclaration' && node.importKind !== 'type') || (node.type === 'ExportNamedDeclaration' && node.source) || node.type === 'ExportAllDeclaration') {
      if (node.source && !('exportKind' in node && node.exportKind === 'type')) add(node.source.value, node);
    } else if (node.type === 'CallExpression') {
      const first = node.arguments[0];
      const isRequire = node.callee.type === 'Identifier' && node.callee.name === 'require';
      if ((isRequire || node.callee.type === 'Import') && first?.type === 'StringLiteral') add(first.value, node);
    }
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const item of child) if (isNode(item)) visit(item);
      if (isNode(child)) visit(child);
    }
  };
  for (const statement of ast.program.body) visit(statement);
  return requests;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function exportsOf(ast: File): [string, string][] | null {
  const pairs: [string, string][] = [];
  let any = false;
  for (const statement of ast.program.body) {
    if (statement.type === 'ExportNamedDeclaration') {
      any = true;
      if (statement.source) continue;
      if (statement.declaration) {
        const declared = topLevelBindings({ type: 'File', program: { ...ast.program, body: [statement.declaration] } } as File);
        for (const binding of declared) pairs.push([binding.name, binding.name]);
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type !== 'ExportSpecifier') continue;
        const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
        pairs.push([exported, specifier.local.name]);
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      any = true;
      const declaration = statement.declaration;
      const id = 'id' in declaration && declaration.id?.type === 'Identifier' ? declaration.id.name : undefined;
      // stripModuleSyntax declares `var _default = <expression>` for an anonymous default export.
      pairs.push(['default', id ?? '_default']);
    } else if (statement.type === 'ExportAllDeclaration') {
      any = true;
    }
  }
  return any ? pairs : null;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * What the sandbox needs to hand the program to tests that import it. Only plain identifiers
 * are passed: the guest reads each by evaluating its name in the global scope.
 */
export function programModuleConfig(ast: File, facts: ModuleFacts, filename: string): ProgramModuleConfig {
  const bindings = topLevelBindings(ast).filter((b) => IDENTIFIER.test(b.name));
  const exports = facts.exports?.filter(([, local]) => IDENTIFIER.test(local)) ?? null;
  return {
    stem: stemOf(filename),
    exports,
    names: bindings.map((b) => b.name),
    functions: bindings.filter((b) => b.kind === 'function').map((b) => b.name),
  };
}

const EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;

function stemOf(filename: string): string {
  return basename(filename).replace(EXTENSION, '');
}

/** Whether `source`, asked for by `from`, names the program file (with or without an extension). */
export function namesProgram(source: string, from: string | undefined, programFile: string): boolean {
  if (!source.startsWith('./') && !source.startsWith('../')) return false;
  if (basename(source).replace(EXTENSION, '') !== stemOf(programFile)) return false;
  if (from === undefined || from.startsWith('--')) return true;
  const target = resolve(dirname(from), source).replace(EXTENSION, '');
  return target === resolve(programFile).replace(EXTENSION, '');
}

/**
 * Checks before anything runs that every module a file asks for can be had in the sandbox:
 * the provided modules, and (`allowLocal`) the files it may import. Otherwise an InputError
 * names the import and where it is.
 */
export function checkRequests(
  facts: ModuleFacts,
  file: string,
  role: 'the program' | 'the test',
  allowLocal: (source: string) => boolean,
): void {
  for (const request of facts.requests) {
    if (PROVIDED_MODULES.includes(request.source) || allowLocal(request.source)) continue;
    const where = `${file}:${request.line}:${request.column + 1}`;
    throw new InputError(`${where}: ${role} imports '${request.source}', which cannot be loaded: ${whyNot(request.source, role)}.`);
  }
}

function whyNot(source: string, role: 'the program' | 'the test'): string {
  if (source.startsWith('./') || source.startsWith('../')) {
    return role === 'the test'
      ? 'a test may import the program under test and the modules ldb provides, not other files'
      : source.startsWith('../')
        ? "it is outside the program's folder"
        : 'ldb runs one program file, and its local modules are not loaded (put the helpers in the program file)';
  }
  if (isAbsolute(source) || /^[a-z]+:\/\//i.test(source)) return 'import files by a relative path, not an absolute path or URL';
  const builtin = source.startsWith('node:') ? 'Node built-in modules are' : 'npm packages are';
  return `${builtin} not available in the sandbox, which provides only ${PROVIDED_MODULES.map((m) => `'${m}'`).join(', ')}`;
}
