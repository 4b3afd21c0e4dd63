import type { Block } from '../../program/model.js';
import type { Trace } from '../../sandbox/trace.js';

/** Source text and block lookups shared by the unit builders. */
export class SourceContext {
  readonly lines: string[];
  private readonly byId: Map<string, Block>;
  private readonly readsCache = new Map<string, Set<string>>();
  private readonly writesCache = new Map<string, Set<string>>();

  constructor(source: string, readonly blocks: Block[]) {
    this.lines = source.split(/\r?\n/);
    this.byId = new Map(blocks.map((b) => [b.id, b]));
  }

  block(id: string): Block | undefined {
    return this.byId.get(id);
  }

  /** Identifiers in the block's own source range: the variables it reads or writes. */
  reads(block: Block): Set<string> {
    let names = this.readsCache.get(block.id);
    if (!names) {
      names = identifiersIn(this.exactText(block));
      this.readsCache.set(block.id, names);
    }
    return names;
  }

  /** Variables the block assigns (`x = …`, `x += …`, `x++`, `let x = …`, `x[i] = …`, a for-of's item). */
  writes(block: Block): Set<string> {
    let names = this.writesCache.get(block.id);
    if (!names) {
      names = assignedIn(this.exactText(block));
      this.writesCache.set(block.id, names);
    }
    return names;
  }

  /**
   * The block's own code, as lines: from its first character to its last, so a body that shares a
   * line with its `if` shows only itself; a branch or loop head is widened to its keyword and
   * closing parenthesis (`if (q < 0)`, not `q < 0`).
   */
  ownCode(block: Block): string[] {
    const { start, end } = block.loc;
    const lines = this.lines.slice(start.line - 1, end.line);
    if (lines.length === 0) return [];
    let endCol = end.col;
    let startCol = start.col;
    if (block.kind === 'branch' || block.kind === 'loop') {
      const closing = /^\s*\)/.exec(lines[lines.length - 1]!.slice(endCol));
      if (closing) endCol += closing[0].length;
      const keyword = /(?:\b(?:if|while|for|switch)\s*\(\s*|\bfor\s*\(\s*(?:let|const|var)\s+)$/.exec(lines[0]!.slice(0, startCol));
      if (keyword) startCol = keyword.index;
    }
    lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, endCol);
    const firstIndent = /^\s*/.exec(lines[0]!)![0].length;
    lines[0] = ' '.repeat(Math.min(firstIndent, startCol)) + lines[0]!.slice(startCol);
    return lines;
  }

  /** What to call a nameless function: where it is passed (`reduce callback`), else `function at line 12`; undefined for a named one. */
  functionLabel(fn: string): string | undefined {
    if (!/^anonymous/.test(fn)) return undefined;
    const entry = this.blocks.find((b) => b.fn === fn && b.kind === 'entry') ?? this.blocks.find((b) => b.fn === fn);
    if (!entry) return undefined;
    const { line, col } = entry.loc.start;
    const before = this.lines.slice(Math.max(0, line - 3), line - 1).join(' ') + ' ' + this.lines[line - 1]!.slice(0, col);
    const method = /\.\s*([A-Za-z_$][\w$]*)\s*\((?:[^()]*,)?\s*(?:async\s*)?$/.exec(before);
    return method ? `${method[1]} callback` : `function at line ${line}`;
  }

  private exactText(block: Block): string {
    const { start, end } = block.loc;
    const lines = this.lines.slice(start.line - 1, end.line);
    if (lines.length === 0) return '';
    // Cut the last line first: on a one-line block the end column counts from the line's start.
    lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, end.col);
    lines[0] = lines[0]!.slice(start.col);
    return lines.join('\n');
  }
}

/** The trace with each event's `written` filled from its block's assignments (blocks are straight-line code, so they all ran). */
export function withWrites(trace: Trace, context: SourceContext): Trace {
  const events = trace.events.map((event) => {
    if (event.written) return event;
    const block = context.block(event.block);
    if (!block) return event;
    const assigned = context.writes(block);
    return { ...event, written: Object.keys(event.vars).filter((name) => assigned.has(name)) };
  });
  return { ...trace, events };
}

/** Code with comments and string contents blanked, so names in them are not taken for variables. */
function stripped(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
    .replace(/\$\{/g, ' (');
}

/** Names that occur as identifiers (not as `.property`) outside comments and plain string literals. */
export function identifiersIn(code: string): Set<string> {
  const text = stripped(code);
  const names = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const at = match.index;
    const before = text[at - 1];
    if (before !== undefined && /[\w$]/.test(before)) continue;
    if (before === '.' && text[at - 2] !== '.') continue;
    names.add(match[0]);
  }
  return names;
}

const ASSIGNMENT = /(?<![\w$.])([A-Za-z_$][\w$]*)(?:\s*\[[^\]=]*\])*\s*(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?![=>])/g;
const DECLARATION = /\b(?:let|const|var)\s+([A-Za-z_$][\w$]*)/g;
const UPDATE = /(?:(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\+\+|--))|(?:(?:\+\+|--)\s*([A-Za-z_$][\w$]*))/g;

/** Names the code assigns: plain and compound assignments, element writes, declarations, ++/--. */
export function assignedIn(code: string): Set<string> {
  const text = stripped(code);
  const names = new Set<string>();
  for (const pattern of [ASSIGNMENT, DECLARATION, UPDATE]) {
    for (const match of text.matchAll(pattern)) {
      const name = match[1] ?? match[2];
      if (name && !KEYWORDS.has(name)) names.add(name);
    }
  }
  return names;
}

const KEYWORDS = new Set(['let', 'const', 'var', 'return', 'if', 'while', 'for', 'typeof', 'new', 'this']);
