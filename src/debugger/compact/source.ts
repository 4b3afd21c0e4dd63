import type { Block } from '../../program/model.js';

/** Source text and block lookups shared by the unit builders. */
export class SourceContext {
  readonly lines: string[];
  private readonly byId: Map<string, Block>;
  private readonly readsCache = new Map<string, Set<string>>();

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

/** Names that occur as identifiers (not as `.property`) outside comments and plain string literals. */
export function identifiersIn(code: string): Set<string> {
  const stripped = code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
    .replace(/\$\{/g, ' (');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const at = match.index;
    const before = stripped[at - 1];
    if (before !== undefined && /[\w$]/.test(before)) continue;
    if (before === '.' && stripped[at - 2] !== '.') continue;
    names.add(match[0]);
  }
  return names;
}
