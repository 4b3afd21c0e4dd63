import type { TestCase } from '../cases/split.js';
import type { ChatMessage } from '../llm/model.js';
import type { Block } from '../program/model.js';
import { languageOf } from '../program/parse.js';
import { parseProgram } from '../program/program.js';
import type { Outcome } from '../sandbox/trace.js';
import type { CompactTrace, TraceLevel, VerdictTarget } from './compact.js';
import type { Verdict } from './verdicts.js';

// Prompts are sent on every iteration of every task of a benchmark: every sentence must earn its tokens.

export const VERIFY_SYSTEM_PROMPT =
  'You are an expert JavaScript and TypeScript debugger. Given a task, a program written for it, a failing test and a ' +
  "trace of the program's run on that test, you check the run step by step against what the task requires and judge " +
  'each part of the code. You answer with one JSON object and nothing else.';

export const FIX_SYSTEM_PROMPT =
  'You are an expert JavaScript and TypeScript programmer. You fix programs that fail their tests, using a debugger\'s ' +
  'findings about which parts are wrong. You answer with the complete corrected program in one fenced code block.';

/** For the baseline method (no debugger): the same request, without the findings. */
export const BASELINE_FIX_SYSTEM_PROMPT =
  'You are an expert JavaScript and TypeScript programmer. You fix programs that fail their tests. ' +
  'You answer with the complete corrected program in one fenced code block.';

export const SEED_SYSTEM_PROMPT =
  'You are an expert JavaScript and TypeScript programmer. You write correct, self-contained programs for the tasks ' +
  'you are given. You answer with the complete program in one fenced code block.';

const JSON_SHAPE = '{"verdicts": [{"block": "<id>", "correct": true or false, "explanation": "<one or two sentences>"}]}';

export interface VerificationInput {
  /** The task as the program's author saw it; without it the program's own comments are the task. */
  task?: string;
  code: string;
  filename?: string;
  testCase: Pick<TestCase, 'source'>;
  outcome: Outcome;
  compact: CompactTrace;
  level: TraceLevel;
  /** Console output of the failing run, when there was any. */
  console?: string[];
}

/** (a) Asks for a verdict on each block, line or call the compacted trace shows. */
export function verificationMessages(input: VerificationInput): ChatMessage[] {
  const ids = input.compact.targets.map((t) => t.id);
  const user = [
    taskSection(input.task),
    `Program (${input.filename ?? 'program.js'}, lines numbered):\n\`\`\`\n${numberLines(input.code)}\n\`\`\``,
    failureSection(input.testCase, input.outcome, input.filename, input.console),
    input.compact.text,
    `${JUDGE[input.level]}\nReply with only this JSON object:\n${JSON_SHAPE}\n` +
      `${EACH[input.level]}, in this order: ${ids.join(', ')}.\n` +
      'For a wrong one, say what is wrong and what it should do instead.',
  ];
  return [
    { role: 'system', content: VERIFY_SYSTEM_PROMPT },
    { role: 'user', content: user.join('\n\n') },
  ];
}

const JUDGE: Record<TraceLevel, string> = {
  block:
    'Go through the trace block by block. For each block, judge from the values before and after it whether it does ' +
    'what the task needs at that point.',
  line:
    'Go through the trace line by line. For each line, judge from the values before and after it whether it does what ' +
    'the task needs at that point.',
  function:
    'Go through the calls. For each call, judge from its arguments whether what it returned or threw is what the task ' +
    'needs. A call is wrong only if its own code is at fault, not just because a call it made returned a wrong value.',
};

const EACH: Record<TraceLevel, string> = {
  block: 'One entry per block (one for a block that ran several times)',
  line: 'One entry per line (one for a line that ran several times)',
  function: 'One entry per call',
};

/** (b) Sent after the reply to a verification prompt did not parse. */
export function verdictRetryMessage(error: string, ids?: string[]): ChatMessage {
  const each = ids && ids.length > 0 ? `, one entry per id (${ids.join(', ')})` : '';
  return {
    role: 'user',
    content: `Your reply could not be read: ${error}.\nReply again with only the JSON object ${JSON_SHAPE}${each}, and no other text.`,
  };
}

export interface FixInput {
  task?: string;
  code: string;
  filename?: string;
  testCase: Pick<TestCase, 'source'>;
  outcome: Outcome;
  /**
   * Null when the verdicts could not be read: the fix is asked for from the failure alone.
   * Undefined when no debugger ran (the baseline method): the prompt does not mention one.
   */
  verdicts: Verdict[] | null | undefined;
  /** What the verdict ids stand for (from the compacted trace); without them they are looked up in the code. */
  targets?: VerdictTarget[];
  entryPoint?: string;
}

/** (c) Asks for the corrected program, naming the parts judged wrong and why. */
export function fixMessages(input: FixInput): ChatMessage[] {
  const tag = fenceTag(input.filename);
  const keep = input.entryPoint ? ` Keep ${entrySignature(input.code, input.filename, input.entryPoint)} with the same name and parameters.` : '';
  const user = [
    taskSection(input.task),
    `Program (${input.filename ?? 'program.js'}):\n\`\`\`${tag}\n${input.code.replace(/\s+$/, '')}\n\`\`\``,
    failureSection(input.testCase, input.outcome, input.filename),
    ...(input.verdicts === undefined ? [] : [findingsSection(input.verdicts, input)]),
    `Fix the program so that it does what the task asks (the test is one example of it). Reply with the complete ` +
      `corrected program in one \`\`\`${tag} code block.${keep} Add no imports, exports or tests.`,
  ];
  return [
    { role: 'system', content: input.verdicts === undefined ? BASELINE_FIX_SYSTEM_PROMPT : FIX_SYSTEM_PROMPT },
    { role: 'user', content: user.join('\n\n') },
  ];
}

function findingsSection(verdicts: Verdict[] | null, input: FixInput): string {
  if (verdicts === null) return 'A debugger traced this test, but its findings could not be read.';
  const wrong = verdicts.filter((v) => !v.correct);
  if (wrong.length === 0) {
    return 'A debugger traced this test and judged every part it checked correct, yet the test fails: look again at the task.';
  }
  const locate = locator(input);
  const lines = wrong.map((v) => `- ${v.block}${locate(v.block)}: ${v.explanation.trim() || '(no explanation given)'}`);
  const right = verdicts.filter((v) => v.correct).map((v) => v.block);
  const rest = right.length > 0 ? `\nJudged correct: ${right.join(', ')}.` : '';
  return `A debugger traced this test and judged these parts wrong:\n${lines.join('\n')}${rest}`;
}

/** " (line 10: `for (…) {`)" for a verdict id: from the compacted trace's targets, else from the program itself. */
function locator(input: FixInput): (id: string) => string {
  const source = input.code.split(/\r?\n/);
  const targets = new Map((input.targets ?? []).map((t) => [t.id, t]));
  let blocks: Map<string, Block> | undefined;
  const blockLines = (id: string): { start: number; end: number } | undefined => {
    blocks ??= programBlocks(input.code, input.filename);
    const loc = blocks.get(id)?.loc;
    return loc ? { start: loc.start.line, end: loc.end.line } : undefined;
  };
  return (id) => {
    const target = targets.get(id);
    if (target?.kind === 'call') return ` (the call ${target.label})`;
    const line = /^L(\d+)$/.exec(id);
    const lines = target?.lines ?? (line ? { start: Number(line[1]), end: Number(line[1]) } : blockLines(id));
    if (!lines) return '';
    if (lines.end > lines.start) return ` (lines ${lines.start}-${lines.end})`;
    const text = source[lines.start - 1]?.trim();
    return text ? ` (line ${lines.start}: \`${text}\`)` : ` (line ${lines.start})`;
  };
}

function programBlocks(code: string, filename: string | undefined): Map<string, Block> {
  try {
    return new Map(parseProgram(code, { filename }).blocks.map((b) => [b.id, b]));
  } catch {
    return new Map();
  }
}

/** (d) Sent after a reply to a fix (or seed) prompt had no usable program; `reason` comes from extractProgram. */
export function fixRetryMessage(reason: string): ChatMessage {
  return {
    role: 'user',
    content: `That reply could not be used: ${reason}.\nReply again with the complete program in one fenced code block.`,
  };
}

export interface SeedInput {
  task: string;
  language: 'js' | 'ts' | 'javascript' | 'typescript';
  entryPoint?: string;
}

/** (e) Asks for a first program from the task alone. */
export function seedMessages(input: SeedInput): ChatMessage[] {
  const ts = input.language === 'ts' || input.language === 'typescript';
  const define = input.entryPoint ? `define \`${input.entryPoint}\`` : 'define the function the task describes';
  const user =
    `Write a ${ts ? 'TypeScript' : 'JavaScript'} program for this task:\n\n${input.task.trim()}\n\n` +
    `Reply with the complete program in one \`\`\`${ts ? 'ts' : 'js'} code block. It runs as a plain script: ` +
    `${define} at top level with the signature the task gives, and use no imports, exports or require. ` +
    'Include no tests or example calls.';
  return [
    { role: 'system', content: SEED_SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

// ---------------------------------------------------------------------------------------------
// Sections shared by the prompts.

function taskSection(task: string | undefined): string {
  return task?.trim() ? `Task:\n${task.trim()}` : "Task: as described in the program's comments.";
}

function failureSection(testCase: Pick<TestCase, 'source'>, outcome: Outcome, filename: string | undefined, console?: string[]): string {
  const output = console && console.length > 0 ? `\nConsole output:\n${console.slice(0, 10).join('\n')}${console.length > 10 ? '\n…' : ''}` : '';
  return `Failing test:\n${testCase.source.trim()}\n${describeFailure(outcome, filename)}${output}`;
}

/** What went wrong, in one sentence a model can check the trace against. */
export function describeFailure(outcome: Outcome, filename?: string): string {
  switch (outcome.kind) {
    case 'pass':
      return 'It passed.';
    case 'fail':
      return outcome.expected !== undefined
        ? `It failed: expected ${outcome.expected}, got ${outcome.actual ?? 'undefined'}.`
        : `It failed: ${outcome.message.trim().split('\n')[0]}`;
    case 'error': {
      const loc = outcome.loc;
      const where = !loc ? '' : !loc.file || loc.file === (filename ?? 'program.js') ? ` at line ${loc.line}` : ` in ${loc.file} line ${loc.line}`;
      return `It threw ${outcome.name}${where}: ${outcome.message}`;
    }
    case 'timeout': {
      // Newer sandboxes say why when they stop a run early (e.g. waiting on a promise nothing resolves).
      const reason = 'reason' in outcome && typeof outcome.reason === 'string' ? outcome.reason : undefined;
      return `It did not finish: ${reason ?? `the run was stopped after ${outcome.limitMs} ms (an endless loop, or far too slow)`}.`;
    }
    case 'memory':
      return `It ran out of memory (limit ${outcome.limitMb} MB).`;
  }
}

function numberLines(code: string): string {
  const lines = code.replace(/\s+$/, '').split(/\r?\n/);
  const width = String(lines.length).length;
  return lines.map((line, i) => `${String(i + 1).padStart(width)}| ${line}`.trimEnd()).join('\n');
}

function fenceTag(filename: string | undefined): string {
  return languageOf(filename).startsWith('ts') ? 'ts' : 'js';
}

/** `sumTo(n)`: the entry point as the tests call it, so the fix keeps its shape. */
function entrySignature(code: string, filename: string | undefined, entryPoint: string): string {
  try {
    const fn = parseProgram(code, { filename }).functions.find((f) => f.name === entryPoint);
    return fn ? `${entryPoint}(${fn.params.join(', ')})` : entryPoint;
  } catch {
    return entryPoint;
  }
}
