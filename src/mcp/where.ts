import { randomBytes } from 'node:crypto';
import { parseExpression } from '@babel/parser';
import { traverseFast, type Node } from '@babel/types';
import type { TestCase } from '../cases/split.js';
import { InputError, ParseError } from '../errors.js';
import { compileProgram } from '../instrument/instrument.js';
import { frameAt } from '../program/parse.js';
import { resolveLimits, type LimitsInput } from '../sandbox/limits.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { NumberedEvent } from './steps.js';

export interface WhereMatches {
  /** Steps where the expression held, in order, at most `limit` of them. */
  steps: number[];
  count: number;
  /** Steps where evaluating the expression threw (they do not match), and the first such error. */
  errors: number;
  firstError: string | null;
}

const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await eval arguments').split(' '),
);

/**
 * Evaluates `where` at each recorded step, in the sandbox: never in this process. The recorded
 * values are renderings (`[ 1, 2 ]`, `'abc'`, `NaN`); inside the isolate each is read back as a
 * JavaScript value where it can be, else it stays the rendered text.
 */
export async function evaluateWhere(where: string, events: NumberedEvent[], sandbox: Sandbox, limits: LimitsInput, limit: number): Promise<WhereMatches> {
  const used = identifiersOf(where);
  const names = [...new Set(events.flatMap((e) => Object.keys(e.event.vars)))].filter((n) => used.has(n) && isParameterName(n));
  const rows = events.map((e) => [e.step, names.map((n) => e.event.vars[n] ?? null)]);
  const nonce = randomBytes(8).toString('hex');
  const program = compileProgram(queryProgram(where, names), { filename: 'where.js' });
  const runOnce = () => sandbox.run(program, queryCase(nonce, limit, rows), resolveLimits({ ...limits, maxConsoleLines: 2000 }));
  let run = await runOnce();
  // The sandbox server's isolate keeps memory from earlier runs until a run exhausts it (then it
  // is replaced): after many long re-runs, once more on the fresh isolate tells the two apart.
  if (run.outcome.kind === 'memory') run = await runOnce();
  const { outcome } = run;
  if (outcome.kind === 'timeout') throw new InputError(`where: the expression did not finish within ${outcome.limitMs} ms`);
  if (outcome.kind === 'memory') throw new InputError(`where: the expression ran out of memory (limit ${outcome.limitMb} MB)`);
  if (outcome.kind !== 'pass') throw new InputError(`where: the expression could not be evaluated: ${outcome.message}`);
  return readMatches(run.console, nonce);
}

/** Checks the expression here (parsing is not running it), so a typo gets a code frame. */
function identifiersOf(where: string): Set<string> {
  let ast: Node;
  try {
    ast = parseExpression(where, { sourceType: 'script' });
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc ?? { line: 1, column: 0 };
    const reason = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new ParseError(`the where expression does not parse: ${reason}`, { file: 'where', ...loc }, frameAt(where, loc.line, loc.column));
  }
  const names = new Set<string>();
  traverseFast(ast, (node) => {
    if (node.type === 'Identifier') names.add(node.name);
  });
  return names;
}

function isParameterName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);
}

function queryProgram(where: string, names: string[]): string {
  return `'use strict';
// The expression may log; only this query's own lines may reach the console it is read from.
try {
  for (const key of Object.keys(console)) console[key] = function () {};
} catch (error) {}
// Numbers are read without eval, and any primitive once per distinct text: a long run's
// steps repeat few texts, and an eval per value costs more than the expression.
const __ldbPrimitives = new Map();
function __ldbRevive(text) {
  if (text === null) return undefined;
  if (/^-?\\d+(\\.\\d+)?(e[+-]?\\d+)?$/.test(text)) return Number(text);
  if (__ldbPrimitives.has(text)) return __ldbPrimitives.get(text);
  let value;
  try {
    value = (0, eval)('(' + text + '\\n)');
  } catch (error) {
    value = text;
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) __ldbPrimitives.set(text, value);
  return value;
}
function __ldbWhere(${names.join(', ')}) {
  return (
${where}
  );
}
function __ldbQuery(steps, limit) {
  const result = { steps: [], count: 0, errors: 0, firstError: null };
  for (const row of steps) {
    let holds = false;
    try {
      holds = Boolean(__ldbWhere(...row[1].map(__ldbRevive)));
    } catch (error) {
      result.errors++;
      if (result.firstError === null) {
        const text = error instanceof Error ? error.name + ': ' + error.message : 'threw ' + String(error);
        result.firstError = 'step ' + row[0] + ': ' + text.slice(0, 300);
      }
    }
    if (holds) {
      result.count++;
      if (result.steps.length < limit) result.steps.push(row[0]);
    }
  }
  return result;
}
`;
}

/** Prints the answer on console lines tagged with a nonce, 200 step numbers a line (lines are capped). */
/**
 * The steps go in the case, not the program: the sandbox server keeps recent programs compiled
 * in its isolate (a window's steps are megabytes), and parses nothing of a case on the host (a
 * long array literal costs seconds to parse there; one string, next to nothing).
 */
function queryCase(nonce: string, limit: number, rows: unknown[]): TestCase {
  const body = `const result = __ldbQuery(JSON.parse(${JSON.stringify(JSON.stringify(rows))}), ${limit});
console.log(${JSON.stringify(nonce)} + ' ' + JSON.stringify({ count: result.count, errors: result.errors, firstError: result.firstError }));
for (let i = 0; i < result.steps.length; i += 200) console.log(${JSON.stringify(nonce)} + ' ' + JSON.stringify(result.steps.slice(i, i + 200)));`;
  return { index: 0, source: 'query_trace where', file: 'where-query.js', line: 1, column: 0, body, async: false };
}

function readMatches(lines: string[], nonce: string): WhereMatches {
  const tagged = lines.filter((line) => line.startsWith(`${nonce} `)).map((line) => JSON.parse(line.slice(nonce.length + 1)) as unknown);
  const head = tagged[0] as { count: number; errors: number; firstError: string | null } | undefined;
  if (!head) throw new Error('the where query left no answer');
  return { steps: (tagged.slice(1) as number[][]).flat(), count: head.count, errors: head.errors, firstError: head.firstError };
}
