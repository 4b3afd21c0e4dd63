import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseExpression } from '@babel/parser';
import type * as t from '@babel/types';
import { InputError } from '../errors.js';
import { withVisibleTests } from './visible-tests.js';

/** One benchmark problem, whatever dataset it came from. */
export interface Problem {
  /** `task_id` ('JavaScript/0') or `name` ('HumanEval_0_has_close_elements'). */
  id: string;
  dataset: 'humanevalpack' | 'multipl-e';
  /** The prompt text given to a model. */
  prompt: string;
  /** Name of the function the tests call. */
  entryPoint: string;
  /** Complete programs, where the dataset gives them. */
  programs: { canonical?: string; buggy?: string };
  /** Test script a debugger may look at ('' when there is none). */
  visibleTests: string;
  /** Test script used for final scoring. */
  hiddenTests: string;
  /**
   * Where the visible tests came from, when `loadProblems(…, { firstTestVisible: true })` was asked:
   * the dataset's own examples, or (for problems without any) the first hidden assertion.
   */
  visibleFrom?: 'examples' | 'first-test';
  /** HumanEvalPack's `bug_type` (e.g. 'value misuse'), where the record has one. */
  bugType?: string;
}

export interface ReadOptions {
  /** Where the text came from, for error messages. */
  source?: string;
  /**
   * Problems whose prompt has no usable example get their first hidden assertion as the visible
   * test (as LDB and Reflexion do for MBPP); scoring still uses every hidden test. Default false.
   */
  firstTestVisible?: boolean;
}

/** Parses JSONL text; the format (HumanEvalPack or MultiPL-E) is detected per record. */
export function readProblems(jsonlText: string, options: ReadOptions = {}): Problem[] {
  const source = options.source ?? '<input>';
  const problems: Problem[] = [];
  jsonlText.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}:${index + 1}`;
    const problem = toProblem(parseRecord(line, where), where);
    problems.push(options.firstTestVisible ? withVisibleTests(problem) : problem);
  });
  return problems;
}

/** The data sets the project ships in `data/`, by the names `ldb bench` and the API accept. */
export const BUNDLED_DATASETS = ['humanevalpack-js', 'multipl-e-humaneval-js', 'multipl-e-mbpp-js'] as const;

/** A bundled data set's name ('humanevalpack-js') to its file; anything else is taken as a path. */
export function resolveDataset(nameOrPath: string): string {
  const name = nameOrPath.replace(/\.jsonl$/, '');
  if ((BUNDLED_DATASETS as readonly string[]).includes(name) && !nameOrPath.includes('/')) {
    return fileURLToPath(new URL(`../../data/${name}.jsonl`, import.meta.url));
  }
  return nameOrPath;
}

/** Reads a JSONL file of problems, by path or by the name of a bundled data set. */
export async function loadProblems(nameOrPath: string, options: Omit<ReadOptions, 'source'> = {}): Promise<Problem[]> {
  const path = resolveDataset(nameOrPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${path}: cannot read the dataset (${reason}); give a JSONL path or a bundled name (${BUNDLED_DATASETS.join(', ')}).`,
    );
  }
  return readProblems(text, { ...options, source: path });
}

// ---------------------------------------------------------------------------------------------
// Records

type JsonRecord = Record<string, unknown>;

function parseRecord(line: string, where: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError(`${where}: not a valid JSON line (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${where}: expected a JSON object per line, found ${Array.isArray(value) ? 'an array' : typeof value}.`);
  }
  return value as JsonRecord;
}

function toProblem(record: JsonRecord, where: string): Problem {
  if ('task_id' in record) return humanEvalPackProblem(record, where);
  if ('name' in record && 'tests' in record) return multiplEProblem(record, where);
  throw new InputError(
    `${where}: unknown record format; expected HumanEvalPack (task_id, prompt, entry_point, test ...) ` +
      'or MultiPL-E (name, prompt, tests ...) fields.',
  );
}

function humanEvalPackProblem(record: JsonRecord, where: string): Problem {
  const prompt = requiredString(record, 'prompt', where);
  const canonical = optionalString(record, 'canonical_solution', where);
  const buggy = optionalString(record, 'buggy_solution', where);
  return {
    id: requiredString(record, 'task_id', where),
    dataset: 'humanevalpack',
    prompt,
    entryPoint: humanEvalPackEntryPoint(record, prompt, where),
    programs: {
      ...(canonical === undefined ? {} : { canonical: prompt + canonical }),
      ...(buggy === undefined ? {} : { buggy: prompt + buggy }),
    },
    visibleTests: optionalString(record, 'example_test', where) ?? '',
    hiddenTests: requiredString(record, 'test', where),
    ...bugTypeOf(record, where),
  };
}

function bugTypeOf(record: JsonRecord, where: string): { bugType?: string } {
  const bugType = optionalString(record, 'bug_type', where);
  return bugType === undefined ? {} : { bugType };
}

/**
 * JavaScript/114's entry_point (`minSubarraySum`) differs from the name its prompt declares and
 * its tests call (`minSubArraySum`); the declared name is the one that works.
 */
function humanEvalPackEntryPoint(record: JsonRecord, prompt: string, where: string): string {
  const entryPoint = requiredString(record, 'entry_point', where);
  const declared = declaredFunctionName(prompt);
  return declared && !declaresName(prompt, entryPoint) ? declared : entryPoint;
}

function multiplEProblem(record: JsonRecord, where: string): Problem {
  const prompt = requiredString(record, 'prompt', where);
  const entryPoint = declaredFunctionName(prompt);
  if (!entryPoint) throw new InputError(`${where}: the prompt declares no function (expected \`function name(args){\`).`);
  return {
    id: requiredString(record, 'name', where),
    dataset: 'multipl-e',
    prompt,
    entryPoint,
    programs: {},
    visibleTests: doctestScript(prompt, entryPoint),
    hiddenTests: requiredString(record, 'tests', where),
  };
}

function requiredString(record: JsonRecord, field: string, where: string): string {
  const value = optionalString(record, field, where);
  if (value === undefined) throw new InputError(`${where}: the record has no "${field}" field.`);
  return value;
}

function optionalString(record: JsonRecord, field: string, where: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InputError(`${where}: field "${field}" should be a string, found ${typeof value}.`);
  return value;
}

const FUNCTION_HEAD = /\bfunction\s+([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\()/g;

/** The prompt ends with the head of the function to complete, so the last declaration is it. */
function declaredFunctionName(prompt: string): string | undefined {
  const names = [...prompt.matchAll(FUNCTION_HEAD)].map((match) => match[1] ?? match[2]);
  return names.at(-1);
}

function declaresName(prompt: string, name: string): boolean {
  return [...prompt.matchAll(FUNCTION_HEAD)].some((match) => (match[1] ?? match[2]) === name);
}

// ---------------------------------------------------------------------------------------------
// Visible tests from doctest examples

/** An example from the prompt comment: `// >>> f(args)` followed by `// expected`. */
export interface DoctestExample {
  /** Argument list text, without the parentheses. */
  args: string;
  expected: string;
}

/**
 * Builds a MultiPL-E-shaped test script from the prompt's doctest examples, or '' when none is
 * usable. Examples whose call is not `entryPoint(...)` (some prompts name another function,
 * e.g. HumanEval_133 calls `lst(...)`) or whose expected value is not a plain JS value are
 * skipped rather than guessed at.
 */
export function doctestScript(prompt: string, entryPoint: string): string {
  const examples = doctestExamples(prompt, entryPoint);
  if (examples.length === 0) return '';
  const assertions = examples.map((example) => `  assert.deepEqual(candidate(${example.args}), ${example.expected});`);
  return [
    "const assert = require('node:assert');",
    '',
    'function test() {',
    `  let candidate = ${entryPoint};`,
    ...assertions,
    '}',
    '',
    'test();',
    '',
  ].join('\n');
}

export function doctestExamples(prompt: string, entryPoint: string): DoctestExample[] {
  const lines = commentLines(prompt);
  const examples: DoctestExample[] = [];
  lines.forEach((line, index) => {
    if (!line.startsWith('>>>')) return;
    const args = entryPointArguments(line.slice(3).trim(), entryPoint);
    const expected = expectedValue(lines.slice(index + 1));
    if (args !== undefined && expected !== undefined) examples.push({ args, expected });
  });
  return examples;
}

/** Text of the `//` comment lines, without the slashes and one following space. */
function commentLines(prompt: string): string[] {
  return prompt
    .split('\n')
    .map((line) => /^\s*\/\/ ?(.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined)
    .map((line) => line.trimEnd());
}

function entryPointArguments(callText: string, entryPoint: string): string | undefined {
  const call = parseOrUndefined(callText);
  if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== entryPoint) return undefined;
  const first = call.arguments[0];
  const last = call.arguments.at(-1);
  return first && last ? callText.slice(first.start ?? 0, last.end ?? 0) : '';
}

/**
 * The expected output is the line after the call; a value written over several lines is joined
 * until it parses. Prose after the examples never parses as a plain value, so it is not taken.
 */
function expectedValue(following: string[]): string | undefined {
  let text = '';
  for (const line of following) {
    if (line.startsWith('>>>') || line.trim() === '') return undefined;
    text = text === '' ? line.trim() : `${text}\n${line.trim()}`;
    const expression = parseOrUndefined(text);
    if (expression && isPlainValue(expression)) return text;
  }
  return undefined;
}

function parseOrUndefined(text: string): t.Expression | undefined {
  try {
    return parseExpression(text);
  } catch {
    return undefined;
  }
}

/** Literals, arrays and objects of them: what a doctest prints, never a reference to a name. */
function isPlainValue(node: t.Node): boolean {
  switch (node.type) {
    case 'NumericLiteral':
    case 'StringLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
      return true;
    case 'Identifier':
      return node.name === 'undefined' || node.name === 'NaN' || node.name === 'Infinity';
    case 'TemplateLiteral':
      return node.expressions.length === 0;
    case 'UnaryExpression':
      return (node.operator === '-' || node.operator === '+') && isPlainValue(node.argument);
    case 'ArrayExpression':
      return node.elements.every((element) => element !== null && isPlainValue(element));
    case 'ObjectExpression':
      return node.properties.every(
        (property) => property.type === 'ObjectProperty' && !property.computed && isPlainValue(property.value),
      );
    default:
      return false;
  }
}
