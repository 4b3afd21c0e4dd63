import type { Binding, NodePath, Scope } from '@babel/traverse';
import type * as t from '@babel/types';
import { traverse } from './babel.js';

export type FunctionNode = t.Function | t.Program;

/**
 * Answers "which variables can a probe at this point show?" using Babel's scope analysis,
 * computed once per AST. Kept apart from the block walker so that the walker stays structural.
 */
export class ScopeIndex {
  private readonly scopes = new WeakMap<t.Node, Scope>();
  private readonly enclosing = new WeakMap<t.Node, Scope>();
  readonly functions: NodePath<t.Function>[] = [];

  constructor(ast: t.File) {
    traverse(ast, {
      enter: (path) => {
        if (path.isStatement() || path.isFunction() || path.isCatchClause() || path.isSwitchCase() || path.isProgram()) {
          this.scopes.set(path.node, path.scope);
          if (path.parentPath) this.enclosing.set(path.node, path.parentPath.scope);
        }
        if (path.isFunction()) this.functions.push(path);
      },
    });
  }

  /** The node's own scope when it makes one (function, loop, block), else the one it is in. */
  scopeOf(node: t.Node): Scope | undefined {
    return this.scopes.get(node);
  }

  /** The scope a statement sits in, even when the statement makes a scope of its own. */
  enclosingScopeOf(node: t.Node): Scope | undefined {
    return this.enclosing.get(node);
  }

  /**
   * Names worth showing at `offset` (a source offset inside `fn`), innermost binding first per name:
   * parameters and locals of `fn` declared before `offset`, and variables of enclosing scopes that
   * `fn` actually uses (its closure). Functions and classes bound by declarations are left out:
   * they are code, not state.
   */
  visibleVariables(scope: Scope, offset: number, fn: FunctionNode): string[] {
    const seen = new Set<string>();
    const shown: { name: string; at: number }[] = [];
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const own = (s.getFunctionParent()?.block ?? s.getProgramParent().block) === fn;
      for (const [name, binding] of Object.entries(s.bindings)) {
        if (seen.has(name)) continue;
        seen.add(name);
        if (!isState(binding)) continue;
        if (own ? !declaredBefore(binding, offset) : !usedInside(binding, fn)) continue;
        shown.push({ name, at: binding.identifier.start ?? 0 });
      }
    }
    return shown.sort((a, b) => a.at - b.at).map((v) => v.name);
  }
}

function isState(binding: Binding): boolean {
  if (binding.kind === 'hoisted' || binding.kind === 'module' || binding.kind === 'local') return false;
  const decl = binding.path.node;
  if (decl.type === 'ClassDeclaration') return false;
  if (decl.type === 'VariableDeclarator' && binding.constant) {
    const init = decl.init?.type;
    if (init === 'ArrowFunctionExpression' || init === 'FunctionExpression' || init === 'ClassExpression') return false;
  }
  return true;
}

function declaredBefore(binding: Binding, offset: number): boolean {
  if (binding.kind === 'param') return true;
  const decl = binding.path.node;
  if (decl.type === 'CatchClause') return true;
  if (binding.kind === 'var') return (binding.identifier.start ?? 0) < offset;
  return (decl.end ?? Number.MAX_SAFE_INTEGER) <= offset;
}

function usedInside(binding: Binding, fn: FunctionNode): boolean {
  const inside = (p: NodePath) => (p.node.start ?? -1) >= (fn.start ?? 0) && (p.node.end ?? -1) <= (fn.end ?? 0);
  return binding.referencePaths.some(inside) || binding.constantViolations.some(inside);
}
