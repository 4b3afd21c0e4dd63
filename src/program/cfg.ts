import * as t from '@babel/types';
import type { Scope } from '@babel/traverse';
import { BlockTable, type Block, type BlockKind, type FunctionInfo, type Range } from './model.js';
import type { FunctionNode, ScopeIndex } from './scopes.js';
import {
  isJump,
  isLoop,
  isStraight,
  listOf,
  asStatement,
  expressionReturn,
  extend,
  toPosition,
  rangeBetween,
  type JumpStatement,
} from './statements.js';

/** What a probe needs to know about a block: its id, its compact index and the names it can show. */
export interface Site {
  block: Block;
  index: number;
  vars: string[];
}

/**
 * Rewrites a function as its blocks are found. The walker decides where blocks begin and end;
 * the writer decides what code marks those points. Without a writer the walker only builds the CFG.
 */
export interface ProbeWriter {
  start(site: Site): t.Statement;
  end(): t.Statement;
  /** The block ends when `test` has been evaluated; `started` is false when it has no statements. */
  test(site: Site, test: t.Expression, started: boolean): t.Expression;
  returned(argument: t.Expression | null | undefined): t.Expression;
  thrown(argument: t.Expression): t.Expression;
  /** A for-in/for-of head: recorded at the top of each iteration's body. */
  loopItem(site: Site): t.Statement[];
  functionBody(entry: Site | undefined, body: t.Statement[]): t.Statement[];
}

interface OpenBlock {
  block: Block;
  startAt: number;
  /** Source offset of the block's first statement. */
  from: number;
  last: t.Statement;
}

interface JumpTarget {
  kind: 'loop' | 'switch' | 'label';
  labels: string[];
  breaks: Block[];
  continues: Block[];
}

interface Walked {
  out: t.Statement[];
  exits: Block[];
}

export interface FunctionToWalk {
  info: FunctionInfo;
  node: FunctionNode;
  /** Method-like functions show `this` as a variable. */
  showThis: boolean;
}

/**
 * block: basic blocks (straight-line runs of statements, a test joined to the run before it);
 * statement: every statement and every test is a block of its own (line-level debugging).
 */
export type Granularity = 'block' | 'statement';

/** Builds the blocks of one function (or of top-level code) and, given a writer, instruments it. */
export class FunctionWalker {
  private readonly toExit: Block[] = [];
  private readonly targets: JumpTarget[] = [];

  constructor(
    private readonly table: BlockTable,
    private readonly scopes: ScopeIndex,
    private readonly fn: FunctionToWalk,
    private readonly writer?: ProbeWriter,
    private readonly granularity: Granularity = 'block',
  ) {}

  walk(): void {
    const node = this.fn.node;
    if (node.type === 'Program') {
      const walked = this.walkList(node.body, []);
      this.connect([...walked.exits, ...this.toExit], this.newBlock('exit', rangeBetween(node.loc?.end, node.loc?.end)));
      if (this.writer) node.body = this.writer.functionBody(undefined, walked.out);
      return;
    }
    const body = node.body;
    const entry = this.newBlock('entry', rangeBetween(node.loc?.start, body.loc?.start));
    const entrySite = this.site(entry, this.scopes.scopeOf(node), body.start ?? 0, node.start ?? 0);
    const list = body.type === 'BlockStatement' ? body.body : [expressionReturn(body)];
    const walked = this.walkList(list, [entry]);
    this.connect([...walked.exits, ...this.toExit], this.newBlock('exit', rangeBetween(node.loc?.end, node.loc?.end)));
    if (!this.writer) return;
    const rewritten = t.blockStatement(this.writer.functionBody(entrySite, walked.out));
    if (body.type === 'BlockStatement') rewritten.directives = body.directives;
    node.body = rewritten;
  }

  private walkList(statements: t.Statement[], preds: Block[]): Walked {
    const out: t.Statement[] = [];
    let open: OpenBlock | undefined;
    let pending = preds;
    for (const statement of statements) {
      if (isStraight(statement)) {
        open ??= { block: this.openBlock('block', statement, pending), startAt: out.length, from: statement.start ?? 0, last: statement };
        pending = [];
        extend(open.block, statement);
        open.last = statement;
        out.push(statement);
        if (this.granularity === 'statement') {
          this.closeFallingThrough(open, out);
          pending = [open.block];
          open = undefined;
        }
      } else if (isJump(statement)) {
        open ??= { block: this.openBlock('block', statement, pending), startAt: out.length, from: statement.start ?? 0, last: statement };
        extend(open.block, statement);
        this.closeWithJump(open, statement, out);
        open = undefined;
        pending = [];
      } else {
        pending = this.walkCompound(statement, open, open ? [open.block] : pending, out, []);
        open = undefined;
      }
    }
    if (open) {
      this.closeFallingThrough(open, out);
      pending = [open.block];
    }
    return { out, exits: pending };
  }

  /** Walks an if/loop/switch/try/block/label statement; `lead` is the straight block before it. */
  private walkCompound(
    statement: t.Statement,
    lead: OpenBlock | undefined,
    preds: Block[],
    out: t.Statement[],
    labels: string[],
  ): Block[] {
    switch (statement.type) {
      case 'IfStatement':
        return this.walkIf(statement, lead, preds, out);
      case 'SwitchStatement':
        return this.walkSwitch(statement, lead, preds, out, labels);
      case 'LabeledStatement':
        return this.walkLabeled(statement, lead, preds, out, labels);
      default:
        break;
    }
    if (lead) {
      this.closeFallingThrough(lead, out);
      preds = [lead.block];
    }
    out.push(statement);
    switch (statement.type) {
      case 'WhileStatement':
      case 'ForStatement':
        return this.walkTestedLoop(statement, preds, labels);
      case 'DoWhileStatement':
        return this.walkDoWhile(statement, preds, labels);
      case 'ForInStatement':
      case 'ForOfStatement':
        return this.walkIteration(statement, preds, labels);
      case 'TryStatement':
        return this.walkTry(statement, preds);
      case 'BlockStatement': {
        const inner = this.walkList(statement.body, preds);
        statement.body = inner.out;
        return inner.exits;
      }
      case 'WithStatement': {
        const inner = this.walkList(listOf(statement.body), preds);
        if (this.writer) statement.body = t.blockStatement(inner.out);
        return inner.exits;
      }
      default:
        throw new Error(`ldb internal: unhandled statement ${statement.type}`);
    }
  }

  private walkIf(statement: t.IfStatement, lead: OpenBlock | undefined, preds: Block[], out: t.Statement[]): Block[] {
    const branch = this.testBlock(statement, statement.test, lead, preds, out);
    statement.test = branch.test;
    const consequent = this.walkList(listOf(statement.consequent), [branch.block]);
    if (this.writer) statement.consequent = t.blockStatement(consequent.out);
    let otherwise = [branch.block];
    if (statement.alternate) {
      const alternate = this.walkList(listOf(statement.alternate), [branch.block]);
      otherwise = alternate.exits;
      if (this.writer) statement.alternate = asStatement(alternate.out);
    }
    out.push(statement);
    return [...consequent.exits, ...otherwise];
  }

  private walkSwitch(
    statement: t.SwitchStatement,
    lead: OpenBlock | undefined,
    preds: Block[],
    out: t.Statement[],
    labels: string[],
  ): Block[] {
    const branch = this.testBlock(statement, statement.discriminant, lead, preds, out);
    statement.discriminant = branch.test;
    const target = this.pushTarget('switch', labels);
    let fallthrough: Block[] = [];
    for (const clause of statement.cases) {
      const walked = this.walkList(clause.consequent, [branch.block, ...fallthrough]);
      if (this.writer) clause.consequent = walked.out;
      fallthrough = walked.exits;
    }
    this.targets.pop();
    out.push(statement);
    const hasDefault = statement.cases.some((c) => c.test == null);
    return [...fallthrough, ...target.breaks, ...(hasDefault ? [] : [branch.block])];
  }

  private walkLabeled(
    statement: t.LabeledStatement,
    lead: OpenBlock | undefined,
    preds: Block[],
    out: t.Statement[],
    labels: string[],
  ): Block[] {
    const all = [...labels, statement.label.name];
    const body = statement.body;
    let exits: Block[];
    if (isLoop(body) || body.type === 'SwitchStatement' || body.type === 'LabeledStatement') {
      exits = this.walkCompound(body, lead, preds, out, all);
    } else {
      const target = this.pushTarget('label', all);
      exits = this.walkCompound(isStraight(body) ? t.blockStatement([body]) : body, lead, preds, out, []);
      this.targets.pop();
      exits = [...exits, ...target.breaks];
    }
    // The labelled statement takes the place of its body, which the walk pushed last.
    const inner = out.pop();
    if (this.writer && inner) statement.body = inner;
    out.push(statement);
    return exits;
  }

  private walkTestedLoop(statement: t.WhileStatement | t.ForStatement, preds: Block[], labels: string[]): Block[] {
    const headEnd = statement.type === 'ForStatement' ? statement.body.loc?.start : statement.test.loc?.end;
    const head = this.newBlock('loop', rangeBetween(statement.loc?.start, headEnd));
    this.connect(preds, head);
    const offset = statement.type === 'ForStatement' ? (statement.body.start ?? 0) : (statement.test.end ?? 0);
    const site = this.site(head, this.scopes.scopeOf(statement), offset, statement.start ?? 0);
    const target = this.pushTarget('loop', labels);
    const body = this.walkList(listOf(statement.body), [head]);
    this.targets.pop();
    this.connect([...body.exits, ...target.continues], head);
    if (this.writer) {
      statement.test = this.writer.test(site, statement.test ?? t.booleanLiteral(true), false);
      statement.body = t.blockStatement(body.out);
    }
    return [head, ...target.breaks];
  }

  private walkDoWhile(statement: t.DoWhileStatement, preds: Block[], labels: string[]): Block[] {
    const firstBodyBlock = this.table.blocks.length;
    const target = this.pushTarget('loop', labels);
    const body = this.walkList(listOf(statement.body), preds);
    this.targets.pop();
    const head = this.newBlock('loop', rangeBetween(statement.test.loc?.start, statement.test.loc?.end));
    this.connect([...body.exits, ...target.continues], head);
    this.connect([head], this.table.blocks[firstBodyBlock] ?? head);
    if (this.writer) {
      const site = this.site(head, this.scopes.scopeOf(statement), statement.test.end ?? 0, statement.test.start ?? 0);
      statement.test = this.writer.test(site, statement.test, false);
      statement.body = t.blockStatement(body.out);
    }
    return [head, ...target.breaks];
  }

  private walkIteration(statement: t.ForInStatement | t.ForOfStatement, preds: Block[], labels: string[]): Block[] {
    const head = this.newBlock('loop', rangeBetween(statement.loc?.start, statement.body.loc?.start));
    this.connect(preds, head);
    const bodyScope = this.scopes.scopeOf(statement.body) ?? this.scopes.scopeOf(statement);
    const site = this.site(head, bodyScope, statement.body.start ?? 0, statement.start ?? 0);
    const target = this.pushTarget('loop', labels);
    const body = this.walkList(listOf(statement.body), [head]);
    this.targets.pop();
    this.connect([...body.exits, ...target.continues], head);
    if (this.writer) statement.body = t.blockStatement([...this.writer.loopItem(site), ...body.out]);
    return [head, ...target.breaks];
  }

  private walkTry(statement: t.TryStatement, preds: Block[]): Block[] {
    const firstTryBlock = this.table.blocks.length;
    const tried = this.walkList(statement.block.body, preds);
    statement.block.body = tried.out;
    const inTry = this.table.blocks.slice(firstTryBlock);
    let exits = tried.exits;
    if (statement.handler) {
      const handled = this.walkList(statement.handler.body.body, inTry.length > 0 ? inTry : preds);
      statement.handler.body.body = handled.out;
      exits = [...exits, ...handled.exits];
    }
    if (statement.finalizer) {
      const finalized = this.walkList(statement.finalizer.body, exits);
      statement.finalizer.body = finalized.out;
      exits = finalized.exits;
    }
    return exits;
  }

  /** The block that ends with an if/switch test: the straight block before it, or a block of its own. */
  private testBlock(
    statement: t.IfStatement | t.SwitchStatement,
    test: t.Expression,
    lead: OpenBlock | undefined,
    preds: Block[],
    out: t.Statement[],
  ): { block: Block; test: t.Expression } {
    const block = lead?.block ?? this.openBlock('branch', statement, preds);
    block.kind = 'branch';
    if (!lead) block.loc = rangeBetween(statement.loc?.start, test.loc?.end);
    else block.loc.end = toPosition(test.loc?.end, block.loc.end);
    if (!this.writer) return { block, test };
    const site = this.site(block, this.scopes.enclosingScopeOf(statement), test.end ?? 0, lead?.from ?? statement.start ?? 0);
    if (lead) out.splice(lead.startAt, 0, this.writer.start(site));
    return { block, test: this.writer.test(site, test, lead !== undefined) };
  }

  private closeFallingThrough(open: OpenBlock, out: t.Statement[]): void {
    if (!this.writer) return;
    const site = this.site(open.block, this.scopes.enclosingScopeOf(open.last), open.last.end ?? 0, open.from);
    out.splice(open.startAt, 0, this.writer.start(site));
    out.push(this.writer.end());
  }

  private closeWithJump(open: OpenBlock, jump: JumpStatement, out: t.Statement[]): void {
    if (jump.type === 'ReturnStatement' || jump.type === 'ThrowStatement') this.toExit.push(open.block);
    else this.jumpTarget(jump)?.[jump.type === 'BreakStatement' ? 'breaks' : 'continues'].push(open.block);
    if (!this.writer) {
      out.push(jump);
      return;
    }
    const site = this.site(open.block, this.scopes.enclosingScopeOf(jump), jump.start ?? 0, open.from, jump.end ?? 0);
    out.splice(open.startAt, 0, this.writer.start(site));
    if (jump.type === 'ReturnStatement') jump.argument = this.writer.returned(jump.argument);
    else if (jump.type === 'ThrowStatement') jump.argument = this.writer.thrown(jump.argument);
    else out.push(this.writer.end());
    out.push(jump);
  }

  private jumpTarget(jump: t.BreakStatement | t.ContinueStatement): JumpTarget | undefined {
    const label = jump.label?.name;
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const target = this.targets[i]!;
      if (label !== undefined ? target.labels.includes(label) : target.kind !== 'label') {
        if (jump.type === 'ContinueStatement' && target.kind !== 'loop') continue;
        return target;
      }
    }
    return undefined;
  }

  private pushTarget(kind: JumpTarget['kind'], labels: string[]): JumpTarget {
    const target: JumpTarget = { kind, labels, breaks: [], continues: [] };
    this.targets.push(target);
    return target;
  }

  private openBlock(kind: BlockKind, statement: t.Node, preds: Block[]): Block {
    const block = this.newBlock(kind, rangeBetween(statement.loc?.start, statement.loc?.end));
    this.connect(preds, block);
    return block;
  }

  private newBlock(kind: BlockKind, loc: Range): Block {
    return this.table.newBlock(this.fn.info, kind, loc);
  }

  private connect(from: Block[], to: Block): void {
    for (const block of from) this.table.addEdge(block, to);
  }

  /** `offset`: where the probe reads; `from`..`to`: the block's source, whose names come first. */
  private site(block: Block, scope: Scope | undefined, offset: number, from: number, to = offset): Site {
    const where = scope ?? this.scopes.scopeOf(this.fn.node);
    const vars = where ? this.scopes.visibleVariables(where, offset, this.fn.node, [from, to]) : [];
    return { block, index: this.table.indexOf(block), vars: this.fn.showThis ? ['this', ...vars] : vars };
  }
}
