import type { Binding, NodePath, Scope } from '@babel/traverse';
import type * as t from '@babel/types';
import { traverse } from './babel.js';

export type FunctionNode = t.Function | t.Program;

/**
 * At most this many variables are recorded per step. Beyond it a step records the variables
 * it reads or writes, the function's parameters, then the nearest declared others: a person
 * reads a few dozen names per step, and a program scope of thousands of names times thousands
 * of blocks must not make instrumented code quadratic in program size.
 */
export const MAX_VARS_PER_STEP = 40;

/** Beyond the names a step uses and its function's parameters, how many nearby names it records once over the cap. */
export const NEARBY_VARS_PER_STEP = 8;

/**
 * Total names all the probes of one program may record beyond those their blocks read or
 * write. Once spent, each step records only the names it uses (still capped per step), which
 * bounds instrumented code to a multiple of the source size.
 */
export const MAX_EXTRA_VARS_PER_PROGRAM = 400_000;

/** A state binding: shown once the probe's offset reaches `from`; listed in source order (`at`). */
interface Entry {
  name: string;
  at: number;
  from: number;
  param: boolean;
}

/** A use of a name (read, write or declaration), by source offset. */
interface Use {
  at: number;
  name: string;
}

/**
 * Answers "which variables can a probe at this point show?" using Babel's scope analysis,
 * computed once per AST: each scope's state bindings (sorted by where they become visible),
 * each function's closure (outer variables it uses) and every use of a name by offset. A
 * probe then costs what it records, not the size of the scopes around it.
 */
export class ScopeIndex {
  private readonly scopes = new WeakMap<t.Node, Scope>();
  private readonly enclosing = new WeakMap<t.Node, Scope>();
  private readonly entriesByScope = new Map<Scope, Entry[]>();
  private readonly entryOfBinding = new Map<Binding, Entry>();
  private readonly closureSets = new Map<t.Node, Set<Entry>>();
  private readonly closures = new Map<t.Node, Entry[]>();
  private readonly uses: Use[] = [];
  private extraLeft = MAX_EXTRA_VARS_PER_PROGRAM;
  readonly functions: NodePath<t.Function>[] = [];

  constructor(ast: t.File) {
    const all = new Set<Scope>();
    traverse(ast, {
      enter: (path) => {
        if (path.isStatement() || path.isFunction() || path.isCatchClause() || path.isSwitchCase() || path.isProgram()) {
          this.scopes.set(path.node, path.scope);
          if (path.parentPath) this.enclosing.set(path.node, path.parentPath.scope);
        }
        if (path.isFunction()) this.functions.push(path);
        all.add(path.scope);
      },
    });
    for (const scope of all) this.indexScope(scope);
    this.uses.sort((a, b) => a.at - b.at);
    for (const [fn, set] of this.closureSets) this.closures.set(fn, [...set].sort((a, b) => a.at - b.at));
    this.closureSets.clear();
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
   * Names worth showing at `offset` (a source offset inside `fn`), in source order, innermost
   * binding per name: parameters and locals of `fn` declared before `offset`, and variables of
   * enclosing scopes that `fn` actually uses (its closure). Functions and classes bound by
   * declarations are left out: they are code, not state. `span` is the block's source range:
   * when more than MAX_VARS_PER_STEP names are visible, the ones used in it come first.
   */
  visibleVariables(scope: Scope, offset: number, fn: FunctionNode, span: [number, number] = [offset, offset]): string[] {
    const own: Scope[] = [];
    for (let s: Scope | undefined = scope; s && ownerOf(s) === fn; s = s.parent) own.push(s);
    const closure = this.closures.get(fn) ?? [];
    const counts = own.map((s) => visibleCount(this.entriesByScope.get(s) ?? [], offset));
    const total = counts.reduce((sum, n) => sum + n, closure.length);
    const picked = new Map<string, Entry>();
    let room = MAX_VARS_PER_STEP;
    const take = (entry: Entry, depth: number): void => {
      if (picked.size < room && !picked.has(entry.name) && !shadowed(entry.name, own, depth)) picked.set(entry.name, entry);
    };
    if (total <= MAX_VARS_PER_STEP && this.extraLeft > 0) {
      own.forEach((s, depth) => (this.entriesByScope.get(s) ?? []).slice(0, counts[depth]).forEach((e) => take(e, depth)));
      closure.forEach((e) => take(e, own.length));
      this.extraLeft -= picked.size;
    } else {
      for (const name of this.namesUsedIn(span)) {
        const found = this.resolve(name, own, closure, offset);
        if (found) take(found.entry, found.depth);
      }
      const used = picked.size;
      if (this.extraLeft > 0) {
        own.forEach((s, depth) => (this.entriesByScope.get(s) ?? []).slice(0, counts[depth]).filter((e) => e.param).forEach((e) => take(e, depth)));
        room = Math.min(MAX_VARS_PER_STEP, picked.size + NEARBY_VARS_PER_STEP);
        this.fillNearest(own, counts, closure, take);
        this.extraLeft -= picked.size - used;
      }
    }
    return [...picked.values()].sort((a, b) => a.at - b.at).map((e) => e.name);
  }

  /** The latest declared names of the innermost scopes, then the closure. */
  private fillNearest(
    own: Scope[],
    counts: number[],
    closure: Entry[],
    take: (entry: Entry, depth: number) => void,
  ): void {
    own.forEach((s, depth) => {
      const entries = this.entriesByScope.get(s) ?? [];
      const scanUntil = Math.max(0, (counts[depth] ?? 0) - 4 * MAX_VARS_PER_STEP);
      for (let i = (counts[depth] ?? 0) - 1; i >= scanUntil; i--) take(entries[i]!, depth);
    });
    for (const entry of closure.slice(0, 4 * MAX_VARS_PER_STEP)) take(entry, own.length);
  }

  /** The binding a name used at `offset` refers to, when it is state and already visible there. */
  private resolve(name: string, own: Scope[], closure: Entry[], offset: number): { entry: Entry; depth: number } | undefined {
    for (let depth = 0; depth < own.length; depth++) {
      const binding = own[depth]!.bindings[name];
      if (!binding) continue;
      const entry = this.entryOfBinding.get(binding);
      return entry && entry.from <= offset ? { entry, depth } : undefined;
    }
    const entry = closure.find((e) => e.name === name);
    return entry ? { entry, depth: own.length } : undefined;
  }

  /**
   * Distinct names read, written or declared in a source range, at most MAX_VARS_PER_STEP, the
   * last used first: the probe reads values as the block ends.
   */
  private namesUsedIn([start, end]: [number, number]): string[] {
    const names = new Set<string>();
    let lo = 0;
    let hi = this.uses.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.uses[mid]!.at <= end) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && this.uses[i]!.at >= start && names.size < MAX_VARS_PER_STEP; i--) names.add(this.uses[i]!.name);
    return [...names];
  }

  /** Records a scope's state bindings, their uses, and the functions whose closures use them. */
  private indexScope(scope: Scope): void {
    const entries: Entry[] = [];
    const owner = ownerOf(scope);
    for (const [name, binding] of Object.entries(scope.bindings)) {
      const paths = [...binding.referencePaths, ...binding.constantViolations];
      for (const p of paths) if (p.node.start != null) this.uses.push({ at: p.node.start, name });
      if (binding.identifier.start != null) this.uses.push({ at: binding.identifier.start, name });
      if (!isState(binding)) continue;
      const entry: Entry = { name, at: binding.identifier.start ?? 0, from: visibleFrom(binding), param: binding.kind === 'param' };
      entries.push(entry);
      this.entryOfBinding.set(binding, entry);
      for (const p of paths) this.addToClosures(p, owner, entry);
    }
    this.entriesByScope.set(scope, entries.sort((a, b) => a.from - b.from || a.at - b.at));
  }

  /** Every function between a use and the binding's own function closes over the binding. */
  private addToClosures(use: NodePath, owner: t.Node, entry: Entry): void {
    for (let s: Scope | null | undefined = use.scope.getFunctionParent(); s && s.block !== owner; s = s.parent?.getFunctionParent()) {
      let set = this.closureSets.get(s.block);
      if (!set) this.closureSets.set(s.block, (set = new Set()));
      if (set.has(entry)) break; // already recorded for this function, hence for its parents
      set.add(entry);
    }
  }
}

function ownerOf(scope: Scope): t.Node {
  return scope.getFunctionParent()?.block ?? scope.getProgramParent().block;
}

/** How many of a scope's entries (sorted by `from`) are visible at `offset`. */
function visibleCount(entries: Entry[], offset: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.from <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A name bound by a scope nearer the probe hides the same name further out. */
function shadowed(name: string, own: Scope[], depth: number): boolean {
  for (let i = 0; i < depth && i < own.length; i++) if (own[i]!.bindings[name]) return true;
  return false;
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

/** The smallest probe offset at which the binding is shown (parameters and catch params: always). */
function visibleFrom(binding: Binding): number {
  if (binding.kind === 'param') return -1;
  const decl = binding.path.node;
  if (decl.type === 'CatchClause') return -1;
  if (binding.kind === 'var') return (binding.identifier.start ?? 0) + 1;
  return decl.end ?? Number.MAX_SAFE_INTEGER;
}
