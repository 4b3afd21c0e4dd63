import { isExpression } from '@babel/types';
import type * as t from '@babel/types';
import { InputError } from '../errors.js';
import { languageOf, parseSource, stripModuleSyntax } from '../program/parse.js';
import { endOf, locOf, sliceOf, startOf, usesAwait } from './ast.js';
import { createConsoleAssertRewriter, type Rewriter } from './console-assert.js';
import { layOutScript, preambleFor, type FoundCase, type ScriptLayout } from './find.js';
import { findSuiteTests, type SuiteTest } from './suite.js';
import { stripTypes } from './strip-types.js';

export { COMPARE_HELPER } from './console-assert.js';

/** One test case of a test script, packaged so it can run on its own. */
export interface TestCase {
  /** 0-based, in file order. */
  index: number;
  /** The assertion statement (or the whole `test(...)` call) exactly as written in the test file. */
  source: string;
  /** For `test(...)`/`it(...)` cases: the titles from the outermost `describe` in, joined with " > ". */
  name?: string;
  /** Test file name, when known. */
  file?: string;
  /** 1-based line of `source` in the test file. */
  line: number;
  /** 0-based column of `source` in the test file. */
  column: number;
  /**
   * Runnable statements: preamble, then setup, then this one assertion, with every
   * `console.assert` rewritten to report through `__ldb_cmp`. Meant to run inside a function
   * that receives `__ldb_cmp` as a parameter.
   */
  body: string;
  /** The body uses `await`, so it must run inside an async function. */
  async: boolean;
  /**
   * Line n of the body is line n of the test file (test()-style cases run the whole file), so the
   * line of a failing assertion can be read from its stack.
   */
  linesMatchFile?: boolean;
}

export interface SplitOptions {
  filename?: string;
  /**
   * A script without assertions becomes one case that passes when it runs without throwing
   * (`ldb trace f.js --test 'f(1)'` traces a plain call). Default: an InputError.
   */
  allowPlainScript?: boolean;
}

const RECOGNISED_FORMS =
  'recognised forms are assert(...), assert.<method>(...), console.assert(...) and expect(...).<matcher>(...), ' +
  'either as top-level statements or inside a test function that the script calls ' +
  "(e.g. `function test() { assert.deepEqual(f(1), 2); }\ntest();`), and test('title', () => {...}) / it(...) " +
  "inside describe(...), with the globals of vitest or Jest or imports from 'vitest', '@jest/globals' or 'node:test'";

/** Names a test file may use without importing them (vitest's globals and Jest's). */
const SUITE_GLOBALS = ['expect', 'test', 'it', 'describe', 'suite', 'beforeAll', 'beforeEach', 'afterEach', 'afterAll', 'fit', 'xit', 'xtest', 'fdescribe', 'xdescribe'];
/** The case-local name of the running suite (a block-scoped const of the case function). */
const SUITE_SESSION = '__ldb$suite';

/**
 * Splits a test script into single test cases: one per `test(...)`/`it(...)` of a vitest, Jest
 * or node:test file, else one per statement that runs an assertion. TypeScript test files are
 * stripped to JavaScript first, keeping lines. Throws ParseError when the script is not valid
 * JavaScript/TypeScript and InputError when it has no test and no assertion.
 */
export function splitTests(source: string, options: SplitOptions = {}): TestCase[] {
  const filename = options.filename;
  if (source.trim() === '') throw noAssertionsError(filename, 'the script is empty');
  // Imports become require calls here already, so that every slice below is runnable text.
  let script = stripModuleSyntax(source, { filename });
  const language = languageOf(filename);
  if (language === 'ts' || language === 'tsx') {
    parseTestScript(script, filename); // syntax errors point at the TypeScript text
    script = stripTypes(script, filename ?? 'tests.ts');
  }
  script = blankShebang(script);
  const program = parseTestScript(script, language === 'ts' || language === 'tsx' ? undefined : filename).program;
  const rewriter = createConsoleAssertRewriter(script, program);
  const declared = topLevelNames(program);
  const context: CaseContext = { script, filename, rewriter, declared, program };
  const suite = findSuiteTests(program, script, functionNames(program));
  if (suite !== undefined) {
    if (suite.length === 0) throw new InputError(`${filename ?? '<input>'}: every test in the file is skipped or a todo; nothing to run.`);
    return suite.map((test, index) => suiteCase(test, index, context));
  }
  const layout = layOutScript(program);
  const cases = layout.cases.map((found, index) => assertionCase(found, index, context, layout));
  if (cases.length > 0) return cases;
  if (options.allowPlainScript) return [plainScriptCase(context)];
  throw noAssertionsError(filename, 'the script never runs an assertion');
}

interface CaseContext {
  script: string;
  filename: string | undefined;
  rewriter: Rewriter;
  declared: ReadonlySet<string>;
  program: t.Program;
}

/** A test()-style case: the whole file runs (its lines unchanged), then the one test with its hooks. */
function suiteCase(test: SuiteTest, index: number, context: CaseContext): TestCase {
  const { script, filename, rewriter } = context;
  const loc = locOf(test.statement);
  const open = `const ${SUITE_SESSION} = require('ldb:suite').collect();${globalsBinding(context, "require('ldb:suite').globals")}`;
  const run = `return ${SUITE_SESSION}.run(${JSON.stringify(test.name)}, ${test.occurrence}, ${test.ordinal}, ${test.total});`;
  return {
    index,
    source: sliceOf(script, test.statement),
    name: test.name,
    ...(context.filename === undefined ? {} : { file: filename }),
    line: loc.line,
    column: loc.column,
    body: `${open}${rewriter.rewrite(0, script.length)}\n;${run}`,
    async: true,
    linesMatchFile: true,
  };
}

function assertionCase(found: FoundCase, index: number, context: CaseContext, layout: ScriptLayout): TestCase {
  const { script, filename, rewriter } = context;
  const statements = [...preambleFor(layout.preamble, found.anchor), ...found.setup, found.node];
  const loc = locOf(found.node);
  const directives = context.program.directives.map((directive) => sliceOf(script, directive));
  const binding = globalsBinding(context, "require('ldb:suite').globals");
  return {
    index,
    source: sliceOf(script, found.node),
    ...(filename === undefined ? {} : { file: filename }),
    line: loc.line,
    column: loc.column,
    body: [...directives, ...(binding ? [binding] : []), ...statements.map((node) => statementText(rewriter, node))].join('\n'),
    async: found.inAsyncFunction || statements.some(usesAwait),
  };
}

function plainScriptCase(context: CaseContext): TestCase {
  const { script, filename, program } = context;
  return {
    index: 0,
    source: script.trim(),
    ...(filename === undefined ? {} : { file: filename }),
    line: program.body[0]?.loc?.start.line ?? 1,
    column: program.body[0]?.loc?.start.column ?? 0,
    body: script,
    async: program.body.some(usesAwait),
  };
}

/**
 * `const { expect, test } = <from>;` for the suite globals the file uses without declaring them,
 * so they are ldb's whatever the program did to the global object (a program may well define a
 * function called `test`). One line, so the file's lines do not move.
 */
function globalsBinding(context: CaseContext, from: string): string {
  const used = SUITE_GLOBALS.filter((name) => !context.declared.has(name) && new RegExp(`\\b${name}\\b`).test(context.script));
  return used.length === 0 ? '' : `const { ${used.join(', ')} } = ${from};`;
}

/** Names the script declares at its top level (imports are `const ... = require(...)` by now). */
function topLevelNames(program: t.Program): Set<string> {
  const names = new Set<string>();
  const addPattern = (node: t.Node | null | undefined): void => {
    if (!node) return;
    if (node.type === 'Identifier') names.add(node.name);
    else if (node.type === 'ObjectPattern') node.properties.forEach((p) => addPattern(p.type === 'RestElement' ? p.argument : p.value));
    else if (node.type === 'ArrayPattern') node.elements.forEach((e) => addPattern(e));
    else if (node.type === 'AssignmentPattern') addPattern(node.left);
    else if (node.type === 'RestElement') addPattern(node.argument);
  };
  for (const statement of program.body) {
    if (statement.type === 'VariableDeclaration') statement.declarations.forEach((d) => addPattern(d.id));
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) names.add(statement.id.name);
  }
  return names;
}

/** Functions the script defines at top level: a `function test() {...}` of its own is not vitest's. */
function functionNames(program: t.Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration' && statement.id) names.add(statement.id.name);
    if (statement.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declarations) {
      const init = declarator.init?.type;
      if (declarator.id.type === 'Identifier' && (init === 'FunctionExpression' || init === 'ArrowFunctionExpression')) names.add(declarator.id.name);
    }
  }
  return names;
}

/** A `#!` line is allowed only at the very start; the case puts its own code before it. */
function blankShebang(script: string): string {
  if (!script.startsWith('#!')) return script;
  const end = script.indexOf('\n');
  return ' '.repeat(end === -1 ? script.length : end) + (end === -1 ? '' : script.slice(end));
}

function parseTestScript(script: string, filename: string | undefined): t.File {
  return parseSource(script, { filename, allowAwaitOutsideFunction: true });
}

function noAssertionsError(filename: string | undefined, detail: string): InputError {
  return new InputError(`${filename ?? '<input>'}: no assertions found in the test script (${detail}); ${RECOGNISED_FORMS}.`);
}

/**
 * A statement's text for a case body, ending in a semicolon wherever the next statement could
 * otherwise continue it (`let a = f()` before `[1, 2].forEach(...)`): statements that were not
 * adjacent in the file may be adjacent in a body. A block or declaration ending in `}` cannot
 * be continued, but an expression ending in `}` (`let o = {}`) can.
 */
function statementText(rewriter: Rewriter, node: t.Statement | t.Expression): string {
  const text = rewriter.rewrite(startOf(node), endOf(node));
  if (text.endsWith(';')) return text;
  if (!text.endsWith('}')) return `${text};`;
  const endsInExpression = isExpression(node) || node.type === 'ExpressionStatement' || node.type === 'VariableDeclaration';
  return endsInExpression ? `${text};` : text;
}

