import { z } from 'zod';

/** The model's judgement of one block (or line, or call) of the traced run. */
export interface Verdict {
  block: string;
  correct: boolean;
  explanation: string;
}

/** Code the model says is absent (or never ran when it should have): it belongs after `afterLine`. */
export interface MissingCode {
  afterLine: number;
  explanation: string;
}

export type VerdictParseResult =
  | { ok: true; verdicts: Verdict[]; missing: MissingCode[]; warnings: string[] }
  | { ok: false; error: string };

const TRUTH: Record<string, boolean> = { true: true, false: false };

// Models write "false" as a string often enough (LDB's own prompt asked for "False"); accept it.
const correctField = z.preprocess(
  (value) => (typeof value === 'string' ? (TRUTH[value.trim().toLowerCase()] ?? value) : value),
  z.boolean({ error: (issue) => (issue.input === undefined ? 'is missing (true or false)' : 'must be true or false') }),
);

const verdictSchema = z.object({
  block: z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string id from the trace') }).trim().min(1, 'is empty'),
  correct: correctField,
  explanation: z.string({ error: 'must be a string' }).default(''),
});

const MAX_ISSUES = 5;

/**
 * Reads the verdicts out of a model's reply: a JSON object `{"verdicts": [...]}`, a bare array, or
 * verdict objects one after another, fenced or not, with text around them. Errors are written to
 * be quoted back to the model.
 */
export function parseVerdicts(reply: string, knownBlocks: string[]): VerdictParseResult {
  const found = findJsonValues(reply);
  if (found.values.length === 0) return { ok: false, error: found.error ?? noJson() };
  const missing = missingList(found.values);
  if (typeof missing === 'string') return { ok: false, error: missing };
  const list = verdictList(found.values);
  if (typeof list === 'string') return { ok: false, error: list };
  // Nothing ran, so nothing was asked: an empty answer is the right one.
  if (list.length === 0 && knownBlocks.length === 0) return { ok: true, verdicts: [], missing, warnings: [] };
  // Only missing code, every block judged implicitly fine: the missing entries carry the finding.
  if (list.length === 0 && missing.length > 0) return { ok: true, verdicts: [], missing, warnings: [`no verdict for: ${knownBlocks.join(', ')}`] };
  const checked = validate(list);
  if (typeof checked === 'string') return { ok: false, error: checked };
  const matched = matchKnown(checked, knownBlocks);
  return matched.ok ? { ...matched, missing } : matched;
}

const missingSchema = z.object({
  after_line: z.coerce.number({ error: 'must be a line number' }).int('must be a whole line number').min(0, 'must be 0 or more'),
  explanation: z.string({ error: 'must be a string' }).default(''),
});

/** The optional "missing" list: `[{"after_line": 18, "explanation": "..."}]`. */
function missingList(values: unknown[]): MissingCode[] | string {
  const holder = values.find((v) => isRecord(v) && 'missing' in v) as Record<string, unknown> | undefined;
  if (!holder || holder.missing === null || holder.missing === undefined) return [];
  if (!Array.isArray(holder.missing)) return '"missing" must be an array of {"after_line", "explanation"} objects';
  const found: MissingCode[] = [];
  for (const [i, item] of holder.missing.entries()) {
    const parsed = missingSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `missing[${i}].${issue.path.join('.') || 'entry'} ${issue.message}`;
    }
    found.push({ afterLine: parsed.data.after_line, explanation: parsed.data.explanation.trim() });
  }
  return found;
}

function noJson(): string {
  return 'the reply contains no JSON object; reply with only {"verdicts": [{"block": "<id>", "correct": true, "explanation": "..."}]}';
}

/** Picks the verdict array out of the JSON values found in the reply. */
function verdictList(values: unknown[]): unknown[] | string {
  for (const value of values) {
    if (isRecord(value) && 'missing' in value && !('verdicts' in value)) return [];
    if (Array.isArray(value)) return value;
    if (isRecord(value) && 'verdicts' in value) {
      return Array.isArray(value.verdicts) ? value.verdicts : '"verdicts" must be an array of {"block", "correct", "explanation"} objects';
    }
  }
  const single = values.filter((v) => isRecord(v) && 'block' in v);
  if (single.length > 0) return single;
  return 'the JSON has no "verdicts" array; reply with only {"verdicts": [{"block": "<id>", "correct": true, "explanation": "..."}]}';
}

function validate(list: unknown[]): Verdict[] | string {
  if (list.length === 0) return 'the "verdicts" array is empty; give one verdict for each id';
  const verdicts: Verdict[] = [];
  const issues: string[] = [];
  list.forEach((item, i) => {
    const parsed = verdictSchema.safeParse(item);
    if (parsed.success) verdicts.push(parsed.data);
    else for (const issue of parsed.error.issues) issues.push(describeIssue(i, issue, item));
  });
  if (issues.length === 0) return verdicts;
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  return `invalid verdicts: ${issues.slice(0, MAX_ISSUES).join('; ')}${more}`;
}

function describeIssue(index: number, issue: z.core.$ZodIssue, item: unknown): string {
  const field = issue.path.join('.');
  if (!isRecord(item)) return `verdicts[${index}] must be an object, got ${JSON.stringify(item)}`;
  const got = field && field in item ? ` (got ${JSON.stringify(item[field])})` : '';
  return `verdicts[${index}].${field} ${issue.message}${got}`;
}

/** Keeps verdicts on ids of the trace (matched leniently: "block sumTo#3", "line 11", case); the last of duplicates wins. */
function matchKnown(verdicts: Verdict[], knownBlocks: string[]): VerdictParseResult {
  const byCanonical = new Map(knownBlocks.map((id) => [canonicalId(id), id]));
  const kept = new Map<string, Verdict>();
  const unknown: string[] = [];
  const duplicates = new Set<string>();
  for (const verdict of verdicts) {
    const id = knownBlocks.includes(verdict.block) ? verdict.block : byCanonical.get(canonicalId(verdict.block));
    if (!id) {
      unknown.push(verdict.block);
      continue;
    }
    if (kept.has(id)) duplicates.add(id);
    kept.delete(id);
    kept.set(id, { ...verdict, block: id });
  }
  if (kept.size === 0) {
    return { ok: false, error: `no verdict names an id from the trace (got ${unknown.join(', ')}); use these ids: ${knownBlocks.join(', ')}` };
  }
  const missing = knownBlocks.filter((id) => !kept.has(id));
  const warnings = [
    unknown.length > 0 ? `dropped verdicts on ids that are not in the trace: ${unknown.join(', ')}` : '',
    duplicates.size > 0 ? `judged more than once (the last verdict is kept): ${[...duplicates].join(', ')}` : '',
    missing.length > 0 ? `no verdict for: ${missing.join(', ')}` : '',
  ].filter((w) => w !== '');
  const order = new Map(knownBlocks.map((id, i) => [id, i]));
  const sorted = [...kept.values()].sort((a, b) => order.get(a.block)! - order.get(b.block)!);
  return { ok: true, verdicts: sorted, missing: [], warnings };
}

function canonicalId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/^line\s*(\d+)$/, 'l$1')
    .replace(/^block\s+/, '')
    .replace(/[\s`'"[\]()]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Finding JSON in free text.

interface FoundJson {
  values: unknown[];
  /** Why the most promising candidate did not parse, when none did. */
  error?: string;
}

/**
 * The top-level JSON objects and arrays in the reply, in order. Fenced blocks are tried first:
 * prose outside them may hold brackets ("[BLOCK-1]") that only look like JSON.
 */
function findJsonValues(reply: string): FoundJson {
  const fences = [...reply.matchAll(/```[\w-]*[^\n]*\n([\s\S]*?)(?:```|$)/g)].map((m) => m[1] ?? '');
  let error: string | undefined;
  for (const text of [...fences, reply]) {
    const found = valuesIn(text);
    if (found.values.length > 0) return found;
    error ??= found.error;
  }
  return { values: [], error };
}

function valuesIn(text: string): FoundJson {
  const values: unknown[] = [];
  let error: string | undefined;
  let at = nextOpening(text, 0);
  while (at >= 0) {
    const end = matchingClose(text, at);
    if (end < 0) {
      error ??= `the JSON is cut off: the ${text[at]} at ${lineCol(text, at)} is never closed`;
      at = nextOpening(text, at + 1);
      continue;
    }
    const parsed = parseLenient(text.slice(at, end + 1));
    if ('value' in parsed) {
      values.push(parsed.value);
      at = nextOpening(text, end + 1);
    } else {
      const where = parsed.position !== undefined ? ` at ${lineCol(text, at + parsed.position)}` : '';
      if (text[at] === '{') error ??= `the JSON does not parse: ${parsed.error}${where}`;
      at = nextOpening(text, at + 1);
    }
  }
  return { values, error };
}

function nextOpening(text: string, from: number): number {
  const brace = text.indexOf('{', from);
  const bracket = text.indexOf('[', from);
  if (brace < 0) return bracket;
  if (bracket < 0) return brace;
  return Math.min(brace, bracket);
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when it is never closed. */
function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** JSON.parse, then once more with the two slips models make most: trailing commas and Python's True/False. */
function parseLenient(text: string): { value: unknown } | { error: string; position?: number } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    try {
      return { value: JSON.parse(repairOutsideStrings(text)) as unknown };
    } catch {
      return describeJsonError(error);
    }
  }
}

function repairOutsideStrings(text: string): string {
  return text
    .split(/("(?:\\.|[^"\\])*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/,(\s*[}\]])/g, '$1').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false')))
    .join('');
}

/** V8's message without its "in JSON at position N" tail; the position is returned to be shown as line and column. */
function describeJsonError(error: unknown): { error: string; position?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '');
  return position ? { error: reason, position: Number(position[1]) } : { error: reason };
}

function lineCol(text: string, index: number): string {
  const before = text.slice(0, index).split('\n');
  return `line ${before.length} column ${before[before.length - 1]!.length + 1}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
