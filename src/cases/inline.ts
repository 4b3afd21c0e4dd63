import type * as t from '@babel/types';
import { InputError } from '../errors.js';
import { parseSource } from '../program/parse.js';
import { containsAssertion } from './find.js';
import { splitTests, type TestCase } from './split.js';

/** A file name given where a test expression was expected (`--test loop.test.js`). */
const FILE_NAME = /^[\w@~.\\/-]+\.(?:[cm]?[jt]sx?|json|txt)$/i;
/** A value check written without an assertion around it. */
const CHECK_OPERATORS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', 'instanceof', 'in']);

/**
 * The cases of one `--test '<assertion>'` (the `position`-th, 1-based). A file name is an error
 * that points at --tests; an expression that checks a value but asserts nothing
 * (`sumTo(3) == 7`) is an error that suggests the assertion it meant. With `allowPlainCalls`,
 * another expression without an assertion (`f(1)`) is a case that passes unless it throws.
 */
export function splitInlineTest(text: string, position: number, allowPlainCalls: boolean): TestCase[] {
  const filename = `--test #${position}`;
  const trimmed = text.trim();
  if (FILE_NAME.test(trimmed) && !trimmed.includes('(')) {
    throw new InputError(`${filename}: '${trimmed}' is a file name, but --test takes a test expression; did you mean --tests ${trimmed}?`);
  }
  const check = lonelyCheck(text, filename);
  if (check !== undefined) {
    throw new InputError(`${filename}: '${check}' checks a value but asserts nothing, so it could never fail; did you mean --test 'assert(${check})'?`);
  }
  if (!allowPlainCalls) {
    const expression = lonelyExpression(text, filename);
    if (expression !== undefined) {
      throw new InputError(
        `${filename}: '${expression}' asserts nothing, so it could never fail; did you mean --test 'assert.deepStrictEqual(${expression}, <expected>)'?`,
      );
    }
  }
  return splitTests(text, { filename, allowPlainScript: allowPlainCalls });
}

/** The text of the script's single expression statement when it asserts nothing. */
function lonelyExpression(text: string, filename: string): string | undefined {
  const statement = singleStatement(text, filename);
  if (statement?.type !== 'ExpressionStatement' || containsAssertion(statement)) return undefined;
  return text.slice(statement.expression.start ?? 0, statement.expression.end ?? 0);
}

/** `a == b`, `x < 3`, `!ok(x)`, `a && b`: a comparison or condition with no assertion around it. */
function lonelyCheck(text: string, filename: string): string | undefined {
  const statement = singleStatement(text, filename);
  if (statement?.type !== 'ExpressionStatement' || containsAssertion(statement)) return undefined;
  const expression = statement.expression;
  const isCheck =
    (expression.type === 'BinaryExpression' && CHECK_OPERATORS.has(expression.operator)) ||
    expression.type === 'LogicalExpression' ||
    (expression.type === 'UnaryExpression' && expression.operator === '!');
  return isCheck ? text.slice(expression.start ?? 0, expression.end ?? 0) : undefined;
}

function singleStatement(text: string, filename: string): t.Statement | undefined {
  if (text.trim() === '') return undefined;
  const body = parseSource(text, { filename, allowAwaitOutsideFunction: true }).program.body;
  return body.length === 1 ? body[0] : undefined;
}
