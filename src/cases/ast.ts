import { VISITOR_KEYS } from '@babel/types';
import type * as t from '@babel/types';

/** Tree and source-text helpers shared by the case finders and the console.assert rewrite. */

export function sliceOf(script: string, node: t.Node): string {
  return script.slice(startOf(node), endOf(node));
}

export function startOf(node: t.Node): number {
  return node.start ?? 0;
}

export function endOf(node: t.Node): number {
  return node.end ?? 0;
}

export function locOf(node: t.Node): { line: number; column: number } {
  return { line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 };
}

/** Does any node under root (root included) pass `test`? Subtrees failing `descendInto` are skipped. */
export function someNode(root: t.Node, test: (node: t.Node) => boolean, descendInto: (node: t.Node) => boolean = () => true): boolean {
  const pending: t.Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (test(node)) return true;
    if (descendInto(node)) pending.push(...childrenOf(node));
  }
  return false;
}

/** Calls `visit` on every node under root, root included. */
export function visitAll(root: t.Node, visit: (node: t.Node) => void): void {
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

export function isFunctionNode(node: t.Node): boolean {
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

/** Await at this function level (an await inside a nested function does not make the body async). */
export function usesAwait(node: t.Node): boolean {
  return someNode(
    node,
    (inner) => inner.type === 'AwaitExpression' || (inner.type === 'ForOfStatement' && inner.await),
    (inner) => !isFunctionNode(inner),
  );
}
