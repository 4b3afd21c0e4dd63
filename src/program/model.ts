/** Plain, serialisable description of a program's basic blocks. No Babel types leak out of here. */

export interface Position {
  line: number; // 1-based
  col: number; // 0-based
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * entry: a function's parameters as it is called; block: straight-line statements;
 * branch: statements ending in an if/switch test; loop: a loop head (test, update or next item);
 * exit: where every return/throw leaves the function (never executed, only a graph node).
 */
export type BlockKind = 'entry' | 'block' | 'branch' | 'loop' | 'exit';

export interface Block {
  /** Stable for the same source: `<function name>#<index>`, e.g. `sumDigits#3`. */
  id: string;
  fn: string;
  kind: BlockKind;
  loc: Range;
  succ: string[];
}

export interface FunctionInfo {
  /** Unique in the program; top-level code is `(top)`. */
  name: string;
  loc: Range;
  params: string[];
  async: boolean;
  generator: boolean;
  blocks: string[];
}

export interface ProgramModel {
  filename?: string;
  language: 'js' | 'jsx' | 'ts' | 'tsx';
  functions: FunctionInfo[];
  blocks: Block[];
}

export const TOP_LEVEL = '(top)';

/** Hands out block ids (istanbul-style: the walker asks, the table numbers) and records edges. */
export class BlockTable {
  readonly functions: FunctionInfo[] = [];
  readonly blocks: Block[] = [];
  private readonly byId = new Map<string, Block>();
  private readonly indexById = new Map<string, number>();
  private readonly counters = new Map<string, number>();

  addFunction(info: Omit<FunctionInfo, 'blocks'>): FunctionInfo {
    const fn: FunctionInfo = { ...info, blocks: [] };
    this.functions.push(fn);
    return fn;
  }

  newBlock(fn: FunctionInfo, kind: BlockKind, loc: Range): Block {
    const index = this.counters.get(fn.name) ?? 0;
    this.counters.set(fn.name, index + 1);
    const block: Block = { id: `${fn.name}#${index}`, fn: fn.name, kind, loc, succ: [] };
    this.indexById.set(block.id, this.blocks.length);
    this.blocks.push(block);
    this.byId.set(block.id, block);
    fn.blocks.push(block.id);
    return block;
  }

  /** Global index of a block: the compact number the in-sandbox probes use. */
  indexOf(block: Block): number {
    return this.indexById.get(block.id) ?? -1;
  }

  get(id: string): Block | undefined {
    return this.byId.get(id);
  }

  addEdge(from: Block, to: Block): void {
    if (!from.succ.includes(to.id)) from.succ.push(to.id);
  }
}
