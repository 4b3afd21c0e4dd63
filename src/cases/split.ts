import { VISITOR_KEYS, isExpression } from '@babel/types';
import type * as t from '@babel/types';
import { InputError } from '../errors.js';
import { parseSource, stripModuleSyntax } from '../program/parse.js';

/** One assertion of a test script, packaged so it can run on its own. */
export interface TestCase {
  /** 0-based, in file order. */
  index: number;
  /** The assertion statement exactly as written in the test file. */
  source: string;
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
}

export interface SplitOptions {
  filename?: string;
  /**
   * A script without assertions becomes one case that passes when it runs without throwing
   * (`ldb trace f.js --test 'f(1)'` traces a plain call). Default: an InputError.
   */
  allowPlainScript?: boolean;
}

/** Name of the comparison helper the runner passes to the function that wraps a case body. */
export const COMPARE_HELPER = '__ldb_cmp';

const RECOGNISED_FORMS =
  'recognised forms are assert(...), assert.<method>(...), console.assert(...) and expect(...).<matcher>(...), ' +
  'either as top-level statements or inside a test function that the script calls ' +
  '(e.g. `function test() { assert.deepEqual(f(1), 2); }\ntest();`)';

/**
 * Splits a test script into single test cases, one per statement that runs an assertion.
 * Throws ParseError when the script is not valid JavaScript and InputError when it has no
 * assertion (an empty script included).
 */
export function splitTests(source: string, options: SplitOptions = {}): TestCase[] {
  const filename = options.filename;
  if (source.trim() === '') throw noAssertionsError(filename, 'the script is empty');
  // Imports become require calls here already, so that every slice below is runnable text.
  const script = stripModuleSyntax(source, { filename });
  const program = parseTestScript(script, filename).program;
  const layout = layOutScript(program);
  const rewriter = createConsoleAssertRewriter(script, program);
  const directives = program.directives.map((directive) => sliceOf(script, directive));
  const cases = layout.cases.map((found, index) => buildCase(found, index, { script, filename, rewriter, directives, layout }));
  if (cases.length > 0) return cases;
  if (options.allowPlainScript) return [plainScriptCase(script, filename, program)];
  throw noAssertionsError(filename, 'the script never runs an assertion');
}

interface CaseContext {
  script: string;
  filename: string | undefined;
  rewriter: Rewriter;
  directives: string[];
  layout: ScriptLayout;
}

function buildCase(found: FoundCase, index: number, context: CaseContext): TestCase {
  const { script, filename, rewriter } = context;
  const statements = [...preambleFor(context.layout.preamble, found.anchor), ...found.setup, found.node];
  const loc = locOf(found.node);
  return {
    index,
    source: sliceOf(script, found.node),
    ...(filename === undefined ? {} : { file: filename }),
    line: loc.line,
    column: loc.column,
    body: [...context.directives, ...statements.map((node) => statementText(rewriter, node))].join('\n'),
    async: found.inAsyncFunction || statements.some(usesAwait),
  };
}

function plainScriptCase(script: string, filename: string | undefined, program: t.Program): TestCase {
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

// ---------------------------------------------------------------------------------------------
// Parsing

function parseTestScript(script: string, filename: string | undefined): t.File {
  return parseSource(script, { filename, allowAwaitOutsideFunction: true });
}

function noAssertionsError(filename: string | undefined, detail: string): InputError {
  return new InputError(`${filename ?? '<input>'}: no assertions found in the test script (${detail}); ${RECOGNISED_FORMS}.`);
}

// ---------------------------------------------------------------------------------------------
// Finding the cases

/** A statement (or arrow expression body) that runs assertions, with what it needs before it. */
interface FoundCase {
  node: t.Statement | t.Expression;
  /** Statements of the enclosing test function that must run first, in order. */
  setup: t.Statement[];
  /** Top-level position that decides which preamble statements have run before this case. */
  anchor: number;
  inAsyncFunction: boolean;
}

interface ScriptLayout {
  preamble: t.Statement[];
  cases: FoundCase[];
}

interface TestFunction {
  definition: t.Statement;
  fn: t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression;
  call: t.ExpressionStatement;
}

function layOutScript(program: t.Program): ScriptLayout {
  const testFunctions = findTestFunctions(program.body);
  const excluded = new Set<t.Statement>(testFunctions.flatMap((test) => [test.definition, test.call]));
  const preamble: t.Statement[] = [];
  const cases: FoundCase[] = testFunctions.flatMap(casesOfTestFunction);
  for (const statement of program.body) {
    if (excluded.has(statement)) continue;
    if (runsAssertion(statement)) {
      cases.push({ node: statement, setup: [], anchor: startOf(statement), inAsyncFunction: false });
    } else {
      preamble.push(statement);
    }
  }
  cases.sort((a, b) => startOf(a.node) - startOf(b.node));
  return { preamble, cases };
}

/** Top-level functions with assertions that the script calls from a top-level `x()` / `await x()`. */
function findTestFunctions(statements: t.Statement[]): TestFunction[] {
  const candidates = new Map<string, Omit<TestFunction, 'call'>>();
  for (const statement of statements) {
    const defined = definedFunction(statement);
    if (defined && containsAssertion(defined.fn.body)) candidates.set(defined.name, { definition: statement, fn: defined.fn });
  }
  const found: TestFunction[] = [];
  for (const statement of statements) {
    const name = calledFunctionName(statement);
    const candidate = name === undefined ? undefined : candidates.get(name);
    if (!name || !candidate || statement.type !== 'ExpressionStatement') continue;
    found.push({ ...candidate, call: statement });
    candidates.delete(name); // a test function called twice still yields its cases once
  }
  return found;
}

function definedFunction(statement: t.Statement): { name: string; fn: TestFunction['fn'] } | undefined {
  if (statement.type === 'FunctionDeclaration' && statement.id) return { name: statement.id.name, fn: statement };
  if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1) return undefined;
  const [declarator] = statement.declarations;
  const init = declarator?.init;
  if (declarator?.id.type !== 'Identifier' || !init) return undefined;
  if (init.type !== 'FunctionExpression' && init.type !== 'ArrowFunctionExpression') return undefined;
  return { name: declarator.id.name, fn: init };
}

/** `x()` or `await x()` as a statement of its own: the name x, else undefined. */
function calledFunctionName(statement: t.Statement): string | undefined {
  if (statement.type !== 'ExpressionStatement') return undefined;
  const expression = statement.expression.type === 'AwaitExpression' ? statement.expression.argument : statement.expression;
  if (expression.type !== 'CallExpression' || expression.arguments.length > 0) return undefined;
  return expression.callee.type === 'Identifier' ? expression.callee.name : undefined;
}

function casesOfTestFunction(test: TestFunction): FoundCase[] {
  const anchor = startOf(test.call);
  const inAsyncFunction = test.fn.async;
  if (test.fn.body.type !== 'BlockStatement') {
    return [{ node: test.fn.body, setup: [], anchor, inAsyncFunction }];
  }
  const statements = test.fn.body.body;
  const cases: FoundCase[] = [];
  statements.forEach((statement, position) => {
    if (!runsAssertion(statement)) return;
    const setup = statements.filter(
      (other, otherPosition) => !runsAssertion(other) && (otherPosition < position || other.type === 'FunctionDeclaration'),
    );
    cases.push({ node: statement, setup, anchor, inAsyncFunction });
  });
  return cases;
}

/**
 * Preamble statements that have run by the time the case runs in the original script. Function
 * declarations count wherever they are, because they are hoisted; a helper defined with `const`
 * after the test call could not have been used by it anyway.
 */
function preambleFor(preamble: t.Statement[], anchor: number): t.Statement[] {
  return preamble.filter((statement) => startOf(statement) < anchor || statement.type === 'FunctionDeclaration');
}

/** A statement that executes an assertion (definitions of functions that assert do not count). */
function runsAssertion(statement: t.Statement): boolean {
  return !isDefinition(statement) && containsAssertion(statement);
}

function isDefinition(statement: t.Statement): boolean {
  if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') return true;
  if (statement.type !== 'VariableDeclaration') return false;
  return statement.declarations.every((declarator) => {
    const kind = declarator.init?.type;
    return kind === 'FunctionExpression' || kind === 'ArrowFunctionExpression' || kind === 'ClassExpression';
  });
}

function containsAssertion(node: t.Node): boolean {
  return someNode(node, isAssertionCall);
}

/** `assert(...)`, `assert.x(...)`, `assert.x.y(...)`, `console.assert(...)`, `expect(...).x(...)`. */
function isAssertionCall(node: t.Node): node is t.CallExpression {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name === 'assert';
  if (callee.type !== 'MemberExpression') return false;
  if (isConsoleAssert(callee)) return true;
  const root = memberChainRoot(callee);
  if (root.type === 'Identifier') return root.name === 'assert';
  return root.type === 'CallExpression' && root.callee.type === 'Identifier' && root.callee.name === 'expect';
}

function isConsoleAssert(callee: t.Node): boolean {
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'console' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'assert'
  );
}

function memberChainRoot(member: t.MemberExpression): t.Node {
  let node: t.Node = member;
  while (node.type === 'MemberExpression') node = node.object;
  return node;
}

/** Await at this function level (an await inside a nested function does not make the body async). */
function usesAwait(node: t.Node): boolean {
  return someNode(
    node,
    (inner) => inner.type === 'AwaitExpression' || (inner.type === 'ForOfStatement' && inner.await),
    (inner) => !isFunctionNode(inner),
  );
}

function isFunctionNode(node: t.Node): boolean {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// console.assert rewrite

type ComparisonOperator = '===' | '==' | '!==' | '!=';
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['===', '==', '!==', '!=']);

interface Replacement {
  start: number;
  end: number;
  build: () => string;
}

interface Rewriter {
  /**
   * The source between two offsets with every console.assert condition in it rewritten, except
   * `within`: the replacement whose own text is being built.
   */
  rewrite(start: number, end: number, within?: Replacement): string;
}

/**
 * Rewrites `console.assert(L op R, ...rest)` to `console.assert(__ldb_cmp(L, R, 'op', side), ...rest)`
 * and any other condition E to `__ldb_cmp(E, true, 'truthy', 'left')`, so the runner can show
 * expected and actual values. Only the condition's text is replaced; L and R keep their original
 * text (nested console.asserts inside them rewritten too), so evaluation order is unchanged.
 */
function createConsoleAssertRewriter(script: string, program: t.Program): Rewriter {
  const replacements: Replacement[] = [];
  const rewriter: Rewriter = {
    rewrite(start, end, within) {
      let text = '';
      let position = start;
      for (const replacement of replacements) {
        // Replacements inside one already applied are handled by its own build().
        if (replacement === within || replacement.start < position || replacement.end > end) continue;
        text += script.slice(position, replacement.start) + replacement.build();
        position = replacement.end;
      }
      return text + script.slice(position, end);
    },
  };
  visitAll(program, (node) => {
    const condition = consoleAssertCondition(node);
    if (condition) replacements.push(conditionReplacement(script, condition, rewriter));
  });
  replacements.sort((a, b) => a.start - b.start || b.end - a.end);
  return rewriter;
}

function consoleAssertCondition(node: t.Node): t.Expression | undefined {
  if (node.type !== 'CallExpression' || !isConsoleAssert(node.callee)) return undefined;
  const first = node.arguments[0];
  if (!first || first.type === 'SpreadElement' || first.type === 'ArgumentPlaceholder') return undefined;
  return first;
}

function conditionReplacement(script: string, condition: t.Expression, rewriter: Rewriter): Replacement {
  const start = startOf(condition);
  const end = endOf(condition);
  if (condition.type === 'BinaryExpression' && COMPARISON_OPERATORS.has(condition.operator) && condition.left.type !== 'PrivateName') {
    const operator = condition.operator;
    const operatorStart = findOperator(script, endOf(condition.left), operator);
    const actualSide = containsCall(condition.right) && !containsCall(condition.left) ? 'right' : 'left';
    const comparison: Replacement = {
      start,
      end,
      build: () => {
        const left = trimEndKeepingLineComment(rewriter.rewrite(start, operatorStart, comparison));
        const right = rewriter.rewrite(operatorStart + operator.length, end, comparison).trimStart();
        return `${COMPARE_HELPER}(${left}, ${right}, '${operator}', '${actualSide}')`;
      },
    };
    return comparison;
  }
  const truthiness: Replacement = {
    start,
    end,
    build: () => `${COMPARE_HELPER}(${rewriter.rewrite(start, end, truthiness)}, true, 'truthy', 'left')`,
  };
  return truthiness;
}

/**
 * Between the left operand and the operator there can only be closing parentheses, white space
 * and comments, so the first occurrence outside a comment is the operator itself.
 */
function findOperator(script: string, from: number, operator: string): number {
  let position = from;
  while (position < script.length) {
    if (script.startsWith('//', position)) {
      position = lineEnd(script, position);
    } else if (script.startsWith('/*', position)) {
      position = script.indexOf('*/', position + 2) + 2;
    } else if (script.startsWith(operator, position)) {
      return position;
    } else {
      position += 1;
    }
  }
  throw new Error(`operator ${operator} not found after offset ${from}`);
}

function lineEnd(script: string, from: number): number {
  const newline = script.indexOf('\n', from);
  return newline === -1 ? script.length : newline;
}

/** Trailing white space may end a `// comment`; keep it then, or the comma would be commented out. */
function trimEndKeepingLineComment(text: string): string {
  const trimmed = text.trimEnd();
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return lastLine.includes('//') ? text : trimmed;
}

function containsCall(node: t.Node): boolean {
  return someNode(
    node,
    (inner) => inner.type === 'CallExpression' || inner.type === 'OptionalCallExpression' || inner.type === 'NewExpression',
  );
}

// ---------------------------------------------------------------------------------------------
// Source text and tree helpers

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

function sliceOf(script: string, node: t.Node): string {
  return script.slice(startOf(node), endOf(node));
}

function startOf(node: t.Node): number {
  return node.start ?? 0;
}

function endOf(node: t.Node): number {
  return node.end ?? 0;
}

function locOf(node: t.Node): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 };
}

/** Does any node under root (root included) pass `test`? Subtrees failing `descendInto` are skipped. */
function someNode(root: t.Node, test: (node: t.Node) => boolean, descendInto: (node: t.Node) => boolean = () => true): boolean {
  const pending: t.Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (test(node)) return true;
    if (descendInto(node)) pending.push(...childrenOf(node));
  }
  return false;
}

/** Calls `visit` on every node under root, root included. */
function visitAll(root: t.Node, visit: (node: t.Node) => void): void {
  someNode(root, (node) => {
    visit(node);
    return false;
  });
}

function childrenOf(node: t.Node): t.Node[] {
  const fields = node as unknown as Record<string, unknown>;
  const children: t.Node[] = [];
  for (const key of VISITOR_KEYS[node.type] ?? []) {
    const value = fields[key];
    if (Array.isArray(value)) children.push(...value.filter(isNode));
    else if (isNode(value)) children.push(value);
  }
  return children;
}

function isNode(value: unknown): value is t.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
