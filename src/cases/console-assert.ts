import type * as t from '@babel/types';
import { endOf, someNode, startOf, visitAll } from './ast.js';

/** Name of the comparison helper the runner passes to the function that wraps a case body. */
export const COMPARE_HELPER = '__ldb_cmp';

type ComparisonOperator = '===' | '==' | '!==' | '!=';
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['===', '==', '!==', '!=']);

interface Replacement {
  start: number;
  end: number;
  build: () => string;
}

export interface Rewriter {
  /**
   * The source between two offsets with every console.assert condition in it rewritten, except
   * `within`: the replacement whose own text is being built.
   */
  rewrite(start: number, end: number, within?: Replacement): string;
}

export function isConsoleAssert(callee: t.Node): boolean {
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'console' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'assert'
  );
}

/**
 * Rewrites `console.assert(L op R, ...rest)` to `console.assert(__ldb_cmp(L, R, 'op', side), ...rest)`
 * and any other condition E to `__ldb_cmp(E, true, 'truthy', 'left')`, so the runner can show
 * expected and actual values. Only the condition's text is replaced; L and R keep their original
 * text (nested console.asserts inside them rewritten too), so evaluation order is unchanged.
 */
export function createConsoleAssertRewriter(script: string, program: t.Program): Rewriter {
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
    const operatorStart = findOperator(script, endOf(condition.left), startOf(condition.right), operator);
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
 * Between the left operand and the right one there can only be closing parentheses, white space,
 * comments and the operator, so the first occurrence outside a comment is the operator itself.
 * The search never leaves that gap: every step moves forward, so it ends on any input (an
 * unclosed or HTML-like comment included).
 */
export function findOperator(script: string, from: number, to: number, operator: string): number {
  let position = from;
  while (position < to) {
    const lineComment = script.startsWith('//', position) || script.startsWith('<!--', position) || startsHtmlCloseComment(script, position);
    if (lineComment) {
      position = lineEnd(script, position);
    } else if (script.startsWith('/*', position)) {
      const close = script.indexOf('*/', position + 2);
      position = close === -1 ? to : close + 2;
    } else if (script.startsWith(operator, position)) {
      return position;
    } else {
      position += 1;
    }
  }
  throw new Error(`ldb internal: operator ${operator} not found between offsets ${from} and ${to}`);
}

/** `-->` is a line comment in a classic script when only white space or comments precede it on its line. */
function startsHtmlCloseComment(script: string, position: number): boolean {
  if (!script.startsWith('-->', position)) return false;
  const lineStart = script.lastIndexOf('\n', position - 1) + 1;
  return script.slice(lineStart, position).trim() === '';
}

function lineEnd(script: string, from: number): number {
  const newline = script.indexOf('\n', from);
  return newline === -1 ? script.length : newline;
}

/** Trailing white space may end a `// comment`; keep it then, or the comma would be commented out. */
function trimEndKeepingLineComment(text: string): string {
  const trimmed = text.trimEnd();
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  const lineComment = lastLine.includes('//') || lastLine.includes('<!--') || lastLine.trimStart().startsWith('-->');
  return lineComment ? text : trimmed;
}

function containsCall(node: t.Node): boolean {
  return someNode(
    node,
    (inner) => inner.type === 'CallExpression' || inner.type === 'OptionalCallExpression' || inner.type === 'NewExpression',
  );
}
