// How statements transfer control, and the small AST and location helpers the CFG walker uses.
import * as t from '@babel/types';
import type { Block, Range } from './model.js';

export type JumpStatement = t.ReturnStatement | t.ThrowStatement | t.BreakStatement | t.ContinueStatement;

export function isJump(statement: t.Statement): statement is JumpStatement {
  return (
    statement.type === 'ReturnStatement' ||
    statement.type === 'ThrowStatement' ||
    statement.type === 'BreakStatement' ||
    statement.type === 'ContinueStatement'
  );
}

export function isLoop(statement: t.Statement): boolean {
  return (
    statement.type === 'WhileStatement' ||
    statement.type === 'DoWhileStatement' ||
    statement.type === 'ForStatement' ||
    statement.type === 'ForInStatement' ||
    statement.type === 'ForOfStatement'
  );
}

const COMPOUND = new Set([
  'IfStatement',
  'SwitchStatement',
  'LabeledStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'TryStatement',
  'BlockStatement',
  'WithStatement',
]);

/** Straight-line statements: they never transfer control within the function. */
export function isStraight(statement: t.Statement): boolean {
  return !COMPOUND.has(statement.type) && !isJump(statement);
}

export function listOf(statement: t.Statement): t.Statement[] {
  return statement.type === 'BlockStatement' ? statement.body : [statement];
}

/** Keeps `else if` chains flat instead of nesting them in a block. */
export function asStatement(list: t.Statement[]): t.Statement {
  return list.length === 1 && list[0]!.type === 'IfStatement' ? list[0]! : t.blockStatement(list);
}

export function expressionReturn(body: t.Expression): t.ReturnStatement {
  const statement = t.returnStatement(body);
  statement.loc = body.loc;
  statement.start = body.start;
  statement.end = body.end;
  return statement;
}

export function extend(block: Block, statement: t.Node): void {
  block.loc.end = toPosition(statement.loc?.end, block.loc.end);
}

export function toPosition(p: { line: number; column: number } | undefined, fallback = { line: 1, col: 0 }) {
  return p ? { line: p.line, col: p.column } : { ...fallback };
}

export function rangeBetween(start?: { line: number; column: number }, end?: { line: number; column: number }): Range {
  const s = toPosition(start);
  return { start: s, end: toPosition(end, s) };
}
