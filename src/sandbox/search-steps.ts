import type { TestCase } from '../cases/split.js';
import { InputError } from '../errors.js';
import type { CompiledProgram } from '../instrument/instrument.js';
import { resolveLimits, type LimitsInput } from './limits.js';
import { Sandbox } from './sandbox.js';

/** One recorded step as the search sees it: its number in the run and its rendered variables. */
export interface SearchableStep {
  step: number;
  vars: Record<string, string>;
}

export interface FindStepOptions {
  /** A JavaScript expression over the step's variables, e.g. `total > 10` or `Number.isNaN(x)`. */
  expression: string;
  /** The steps to test, in the order they are to be tried (the first match wins). */
  steps: SearchableStep[];
  sandbox?: Sandbox;
  limits?: LimitsInput;
}

/** Carries no source: the search runs entirely in the case body. */
const EMPTY_PROGRAM: CompiledProgram = {
  code: '',
  map: { version: 3, sources: [], names: [], mappings: '' },
  filename: 'ldb-search.js',
};

/**
 * The number of the first step whose variables make `expression` true, or undefined. The
 * expression runs inside a sandbox isolate, never in ldb's process: each rendered value is read
 * back as JavaScript where it parses as such (`[ 1, 2 ]`, `'a'`, `NaN`, `{ k: 1 }`), else kept as
 * its text (`Map(1) { ... }`). An expression that throws on a step is false there.
 */
export async function findStep(options: FindStepOptions): Promise<number | undefined> {
  checkExpression(options.expression);
  if (options.steps.length === 0) return undefined;
  const sandbox = options.sandbox ?? new Sandbox();
  try {
    const run = await sandbox.run(EMPTY_PROGRAM, searchCase(options), resolveLimits(options.limits));
    if (run.outcome.kind !== 'pass') {
      const why = run.outcome.kind === 'error' ? `${run.outcome.name}: ${run.outcome.message}` : run.outcome.kind;
      throw new InputError(`search: the expression '${options.expression}' could not be evaluated (${why})`);
    }
    const answer = run.console.find((line) => line.startsWith('ldb-search:'));
    const step = answer ? Number(answer.slice('ldb-search:'.length)) : -1;
    return step >= 0 ? step : undefined;
  } finally {
    if (!options.sandbox) sandbox.dispose();
  }
}

/** A syntax error is the user's typo: said at once, before any step is tried. */
function checkExpression(expression: string): void {
  try {
    // Parsed only (never called) in ldb's process: the Function body is not run here.
    new Function(`return (${expression}\n);`);
  } catch (error) {
    throw new InputError(`search: '${expression}' is not a JavaScript expression (${(error as Error).message})`);
  }
}

function searchCase(options: FindStepOptions): TestCase {
  const data = JSON.stringify(JSON.stringify({ expression: options.expression, steps: options.steps }));
  const body = `(${guestSearch.toString()})(JSON.parse(${data}), console);`;
  return { index: 0, source: `/${options.expression}`, file: 'ldb-search.js', line: 1, column: 0, body, async: false };
}

/** Runs in the isolate: self-contained, names nothing outside itself but standard built-ins. */
function guestSearch(input: { expression: string; steps: SearchableStep[] }, out: { log(text: string): void }): void {
  const identifier = /^[A-Za-z_$][\w$]*$/;
  const parsed = new Map<string, unknown>();
  const readValue = (text: string): unknown => {
    if (parsed.has(text)) return parsed.get(text);
    let value: unknown = text;
    try {
      value = (0, eval)(`(${text}\n)`);
    } catch {
      value = text;
    }
    parsed.set(text, value);
    return value;
  };
  const predicates = new Map<string, ((...values: unknown[]) => unknown) | null>();
  const predicateFor = (names: string[]) => {
    const key = names.join(',');
    if (!predicates.has(key)) {
      let compiled: ((...values: unknown[]) => unknown) | null = null;
      try {
        compiled = new Function(...names, `return (${input.expression}\n);`) as (...values: unknown[]) => unknown;
      } catch {
        compiled = null; // a variable name the expression cannot take as a parameter
      }
      predicates.set(key, compiled);
    }
    return predicates.get(key)!;
  };
  for (const step of input.steps) {
    const names = Object.keys(step.vars).filter((name) => identifier.test(name) && name !== 'this');
    const predicate = predicateFor(names);
    if (!predicate) continue;
    try {
      if (predicate(...names.map((name) => readValue(step.vars[name]!)))) {
        out.log(`ldb-search:${step.step}`);
        return;
      }
    } catch {
      // The expression does not apply to this step (e.g. a variable not yet declared).
    }
  }
  out.log('ldb-search:-1');
}
