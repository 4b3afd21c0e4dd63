import type * as t from '@babel/types';
import { someNode, startOf } from './ast.js';
import { isConsoleAssert } from './console-assert.js';

/**
 * Finding the cases of a plain test script: each top-level statement that runs an assertion, and
 * each assertion statement of a top-level test function the script calls (`function test() {...}
 * test();`), is one case.
 */

/** A statement (or arrow expression body) that runs assertions, with what it needs before it. */
export interface FoundCase {
  node: t.Statement | t.Expression;
  /** Statements of the enclosing test function that must run first, in order. */
  setup: t.Statement[];
  /** Top-level position that decides which preamble statements have run before this case. */
  anchor: number;
  inAsyncFunction: boolean;
}

export interface ScriptLayout {
  preamble: t.Statement[];
  cases: FoundCase[];
}

interface TestFunction {
  definition: t.Statement;
  fn: t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression;
  call: t.ExpressionStatement;
}

export function layOutScript(program: t.Program): ScriptLayout {
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

/**
 * Preamble statements that have run by the time the case runs in the original script. Function
 * declarations count wherever they are, because they are hoisted; a helper defined with `const`
 * after the test call could not have been used by it anyway.
 */
export function preambleFor(preamble: t.Statement[], anchor: number): t.Statement[] {
  return preamble.filter((statement) => startOf(statement) < anchor || statement.type === 'FunctionDeclaration');
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

export function containsAssertion(node: t.Node): boolean {
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

function memberChainRoot(member: t.MemberExpression): t.Node {
  let node: t.Node = member;
  while (node.type === 'MemberExpression') node = node.object;
  return node;
}

