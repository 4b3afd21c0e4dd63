import type * as t from '@babel/types';
import { sliceOf } from './ast.js';

/**
 * Finding the cases of a vitest / Jest / node:test file: each `test(...)`/`it(...)` at top level
 * or inside `describe(...)` callbacks (any depth) is one case, named by its titles joined with
 * " > " as vitest does. `.skip`, `.todo`, `x`-forms, `{ skip: true }`, `{ todo: true }` and tests
 * without a function are not cases (vitest does not run them either). When any test or describe
 * has `.only` (or `f`-forms, `{ only: true }`), only those are cases. `test.each` rows and tests
 * declared in loops or in functions are not found (a case must be named in the file's text).
 */

export interface SuiteTest {
  /** Titles from the outermost describe in, joined with " > ". */
  name: string;
  /** Among tests of the same literal name, which one this is; -1 when the title is not a literal. */
  occurrence: number;
  /** Position among the tests the file registers when it runs (skipped ones are not registered). */
  ordinal: number;
  /** How many tests the file registers when it runs, as far as its text shows. */
  total: number;
  statement: t.Statement;
  call: t.CallExpression;
}

type Kind = 'test' | 'group';
type Mode = 'run' | 'skip' | 'only';

const CALLEES: Record<string, { kind: Kind; mode: Mode }> = {
  test: { kind: 'test', mode: 'run' },
  it: { kind: 'test', mode: 'run' },
  describe: { kind: 'group', mode: 'run' },
  suite: { kind: 'group', mode: 'run' },
  fit: { kind: 'test', mode: 'only' },
  xit: { kind: 'test', mode: 'skip' },
  xtest: { kind: 'test', mode: 'skip' },
  fdescribe: { kind: 'group', mode: 'only' },
  xdescribe: { kind: 'group', mode: 'skip' },
};
const MODIFIERS: Record<string, Mode> = { skip: 'skip', todo: 'skip', only: 'only', concurrent: 'run', sequential: 'run' };

interface Found extends SuiteTest {
  mode: Mode;
  literal: boolean;
}

/** The tests of a suite-style file, or undefined when the file declares no test or describe. */
export function findSuiteTests(program: t.Program, script: string, ownFunctions: ReadonlySet<string>): SuiteTest[] | undefined {
  const found: Found[] = [];
  let sawSuiteCall = false;
  const walk = (statements: t.Statement[], titles: string[], inherited: Mode, literalPath: boolean): void => {
    for (const statement of statements) {
      const call = callOf(statement);
      const role = call && roleOf(call.callee, ownFunctions);
      if (!call || !role) continue;
      const fn = [...call.arguments].reverse().find((arg) => arg.type === 'FunctionExpression' || arg.type === 'ArrowFunctionExpression');
      if (fn) sawSuiteCall = true;
      const mode = combine(inherited, role.mode, optionsMode(call));
      const title = titleOf(call, script);
      if (role.kind === 'group') {
        if (fn && (fn.type === 'FunctionExpression' || fn.type === 'ArrowFunctionExpression') && fn.body.type === 'BlockStatement') {
          walk(fn.body.body, [...titles, title.text], mode, literalPath && title.literal);
        }
        continue;
      }
      if (!fn || mode === 'skip') continue;
      const name = [...titles, title.text].join(' > ');
      found.push({ name, occurrence: 0, ordinal: found.length, total: 0, statement, call, mode, literal: literalPath && title.literal });
    }
  };
  walk(program.body, [], 'run', true);
  if (!sawSuiteCall) return undefined;
  const counts = new Map<string, number>();
  for (const test of found) {
    if (!test.literal || found.some((other) => other.name === test.name && !other.literal)) {
      test.occurrence = -1;
      continue;
    }
    test.occurrence = counts.get(test.name) ?? 0;
    counts.set(test.name, test.occurrence + 1);
  }
  const only = found.some((test) => test.mode === 'only');
  return found
    .filter((test) => !only || test.mode === 'only')
    .map(({ name, occurrence, ordinal, statement, call }) => ({ name, occurrence, ordinal, total: found.length, statement, call }));
}

function callOf(statement: t.Statement): t.CallExpression | undefined {
  if (statement.type !== 'ExpressionStatement') return undefined;
  const expression = statement.expression.type === 'AwaitExpression' ? statement.expression.argument : statement.expression;
  return expression.type === 'CallExpression' ? expression : undefined;
}

/** `test`, `it.only`, `describe.skip` ... unless the file defines that name itself. */
function roleOf(callee: t.Node, declared: ReadonlySet<string>): { kind: Kind; mode: Mode } | undefined {
  if (callee.type === 'Identifier') return declared.has(callee.name) ? undefined : CALLEES[callee.name];
  if (callee.type !== 'MemberExpression' || callee.computed || callee.object.type !== 'Identifier' || callee.property.type !== 'Identifier') {
    return undefined;
  }
  const base = declared.has(callee.object.name) ? undefined : CALLEES[callee.object.name];
  const modifier = MODIFIERS[callee.property.name];
  if (!base || !modifier) return undefined;
  return { kind: base.kind, mode: combine(base.mode, modifier, 'run') };
}

/** node:test and vitest options: `{ skip: true }`, `{ todo: 'later' }`, `{ only: true }`. */
function optionsMode(call: t.CallExpression): Mode {
  let mode: Mode = 'run';
  for (const arg of call.arguments.slice(1)) {
    if (arg.type !== 'ObjectExpression') continue;
    for (const property of arg.properties) {
      if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier') continue;
      const value = property.value;
      const truthy =
        (value.type === 'BooleanLiteral' && value.value) || (value.type === 'StringLiteral' && value.value !== '') || (value.type === 'NumericLiteral' && value.value !== 0);
      if (!truthy) continue;
      if (property.key.name === 'skip' || property.key.name === 'todo') mode = 'skip';
      else if (property.key.name === 'only' && mode !== 'skip') mode = 'only';
    }
  }
  return mode;
}

function combine(...modes: Mode[]): Mode {
  if (modes.includes('skip')) return 'skip';
  return modes.includes('only') ? 'only' : 'run';
}

/** The title as the runtime will see it when it is a literal; else its source text (shown only). */
function titleOf(call: t.CallExpression, script: string): { text: string; literal: boolean } {
  const first = call.arguments[0];
  if (!first) return { text: '', literal: false };
  if (first.type === 'StringLiteral') return { text: first.value, literal: true };
  if (first.type === 'TemplateLiteral' && first.expressions.length === 0) return { text: first.quasis[0]?.value.cooked ?? '', literal: true };
  if (first.type === 'FunctionExpression') return { text: first.id?.name ?? '', literal: first.id != null };
  return { text: sliceOf(script, first), literal: false };
}
