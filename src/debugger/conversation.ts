import type { TestCase } from '../cases/split.js';
import { InputError, ModelError } from '../errors.js';
import type { ChatMessage, Completion, Model } from '../llm/model.js';
import type { Block } from '../program/model.js';
import type { Outcome, Trace } from '../sandbox/trace.js';
import { compactTrace, type CompactTrace, type VerdictTarget } from './compact.js';
import { extractProgram } from './extract.js';
import * as prompts from './prompts.js';
import { addUsage, emptyTotals, type DebugEvent, type DebugLevel, type TokenTotals, type Verdict } from './result.js';
import { countTokens } from './tokens.js';
import { parseVerdicts, type MissingCode } from './verdicts.js';

/** What the conversation needs to know about the debugging session it serves. */
export interface ConversationSettings {
  model: Model;
  task?: string;
  filename: string;
  entryPoint?: string;
  level: DebugLevel;
  /** Tokens of trace text per verification prompt. */
  traceBudget: number;
  /** Tokens the session may still spend (undefined: no budget); a call whose prompt alone exceeds it is not made. */
  tokensLeft?: () => number | undefined;
  signal?: AbortSignal;
  emit(event: DebugEvent): void;
}

/** The program a request is about: its text and blocks (parsed once by the loop), and the failing case. */
export interface Subject {
  /** Iteration index, for usage events. */
  index: number;
  code: string;
  blocks: Block[];
  testCase: TestCase;
}

/** What one request to the model produced besides its value: notes for people and the tokens it cost. */
export interface Exchange {
  notes: string[];
  usage: TokenTotals;
}

export interface Verification extends Exchange {
  /** Null when the model's verdicts could not be read, or nothing ran that could be judged. */
  verdicts: Verdict[] | null;
  /** Code the model found missing. */
  missing: MissingCode[];
  /** What the verdict ids stand for (blocks, lines or calls). */
  targets: VerdictTarget[];
}

export interface Fix extends Exchange {
  /** The corrected program; undefined when two replies gave nothing usable. */
  code?: string;
}

/** A model call was not made because the token budget cannot cover its prompt. */
export class OverBudget extends Error {
  override name = 'OverBudget';

  /** What the request had already cost (a retry that could not be afforded follows a first call that was made). */
  constructor(message: string, readonly exchange: Exchange) {
    super(message);
  }
}

/** What a model reply reads as: the value wanted from it, or why it cannot be used. */
type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

/** One request to the model that is asked again once when the reply cannot be used. */
interface Ask<T> {
  purpose: 'verify' | 'fix';
  responseFormat: 'json' | 'text';
  read: (text: string) => Reading<T>;
  /** The follow-up message that tells the model what was wrong with its reply. */
  retryMessage: (problem: string) => ChatMessage;
  /** Opens the note when the first reply cannot be used: "verdicts did not parse". */
  unusable: string;
}

/**
 * The model's side of the LDB loop: verification, fix and seed requests, each read strictly and
 * asked again once with the reason when the reply is unusable. It returns what it learned (values,
 * notes, usage); the loop alone builds its iterations.
 */
export class Conversation {
  /** Top-level functions the tests call: every patch must still define them. */
  private required: string[] = [];

  constructor(private readonly settings: ConversationSettings) {}

  require(functions: string[]): void {
    this.required = functions;
  }

  /** The trace as the verification prompt shows it. */
  compact(subject: Subject, trace: Trace): CompactTrace {
    const { settings } = this;
    return compactTrace({ trace, blocks: subject.blocks, source: subject.code, level: settings.level, budgetTokens: settings.traceBudget });
  }

  async verify(subject: Subject, trace: Trace, compact: CompactTrace): Promise<Verification> {
    const { settings } = this;
    const exchange: Exchange = { notes: [], usage: emptyTotals() };
    const known = compact.targets.map((t) => t.id);
    if (known.length === 0) {
      // Nothing of the program ran (e.g. the test calls a missing function): nothing to judge.
      exchange.notes.push('no block of the program ran; asking for a fix from the failure alone');
      return { ...exchange, verdicts: null, missing: [], targets: [] };
    }
    const messages = prompts.verificationMessages({
      task: settings.task,
      code: subject.code,
      filename: settings.filename,
      testCase: subject.testCase,
      outcome: trace.outcome,
      compact,
      level: settings.level,
      console: trace.console,
    });
    const parsed = await this.askTwice(subject.index, exchange, messages, {
      purpose: 'verify',
      responseFormat: 'json',
      read: (text) => {
        const result = parseVerdicts(text, known);
        return result.ok ? { ok: true, value: result } : { ok: false, problem: result.error };
      },
      retryMessage: (problem) => prompts.verdictRetryMessage(problem),
      unusable: 'verdicts did not parse',
    });
    if (!parsed.ok) {
      exchange.notes.push(`verdicts still did not parse (${parsed.problem}); going on without them`);
      return { ...exchange, verdicts: null, missing: [], targets: compact.targets };
    }
    return { ...exchange, verdicts: parsed.value.verdicts, missing: parsed.value.missing, targets: compact.targets };
  }

  /** `verification` is 'no-debugger' for the baseline method: the prompt then mentions no debugger at all. */
  async fix(subject: Subject, outcome: Outcome, verification: Verification | null | 'no-debugger'): Promise<Fix> {
    const { settings } = this;
    const exchange: Exchange = { notes: [], usage: emptyTotals() };
    const found = verification === 'no-debugger' ? null : verification;
    const verdicts = verification === 'no-debugger' ? undefined : (verification?.verdicts ?? null);
    const messages = prompts.fixMessages({
      task: settings.task,
      code: subject.code,
      filename: settings.filename,
      testCase: subject.testCase,
      outcome,
      verdicts,
      missing: found?.missing,
      targets: verdicts ? found?.targets : undefined,
      blocks: subject.blocks,
      entryPoint: settings.entryPoint,
    });
    const extracted = await this.askTwice(subject.index, exchange, messages, {
      purpose: 'fix',
      responseFormat: 'text',
      read: (text) => this.readProgram(text),
      retryMessage: (problem) => prompts.fixRetryMessage(problem),
      unusable: 'the fix was unusable',
    });
    if (extracted.ok) return { ...exchange, code: extracted.value };
    exchange.notes.push(`the fix was still unusable (${extracted.problem}); stopping`);
    return exchange;
  }

  /** A first program written from the task alone, for problems that come without one. */
  async seed(usage: TokenTotals): Promise<string> {
    const { settings } = this;
    if (!settings.task) throw new InputError('debug: give either `code` or a `prompt` to write the first program from');
    const language = /\.[cm]?tsx?$/.test(settings.filename) ? 'typescript' : 'javascript';
    const messages = prompts.seedMessages({ task: settings.task, language, entryPoint: settings.entryPoint });
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await this.request(messages, 'text');
      addUsage(usage, reply.usage);
      settings.emit({ type: 'usage', index: -1, usage: reply.usage, purpose: 'seed' });
      const program = this.readProgram(reply.text);
      if (program.ok) {
        settings.emit({ type: 'seed', code: program.value, usage: reply.usage });
        return program.value;
      }
      messages.push({ role: 'assistant', content: reply.text }, prompts.fixRetryMessage(program.problem));
    }
    throw new ModelError(`${settings.model.id}: could not write a first program from the prompt (no usable code in two replies)`);
  }

  private readProgram(text: string): Reading<string> {
    const { filename, entryPoint } = this.settings;
    const result = extractProgram(text, { filename, entryPoint, required: this.required });
    return result.ok ? { ok: true, value: result.code } : { ok: false, problem: result.reason };
  }

  /**
   * Asks the model, and once more when its reply cannot be used, saying why: a model that slipped
   * on the format usually gets it right when told. Returns what the last reply read as.
   */
  private async askTwice<T>(index: number, exchange: Exchange, messages: ChatMessage[], ask: Ask<T>): Promise<Reading<T>> {
    const reply = await this.complete(index, exchange, messages, ask);
    const reading = ask.read(reply.text);
    if (reading.ok) return reading;
    exchange.notes.push(`${ask.unusable} (${reading.problem}); asked again`);
    const retry = [...messages, { role: 'assistant', content: reply.text } as const, ask.retryMessage(reading.problem)];
    const again = await this.complete(index, exchange, retry, ask);
    return ask.read(again.text);
  }

  private async complete<T>(index: number, exchange: Exchange, messages: ChatMessage[], ask: Ask<T>): Promise<Completion> {
    this.checkBudget(exchange, messages, ask.purpose);
    const reply = await this.request(messages, ask.responseFormat);
    addUsage(exchange.usage, reply.usage);
    this.settings.emit({ type: 'usage', index, usage: reply.usage, purpose: ask.purpose });
    return reply;
  }

  /** Throws OverBudget when the prompt alone costs more tokens than are left (the reply would cost more still). */
  private checkBudget(exchange: Exchange, messages: ChatMessage[], purpose: string): void {
    const left = this.settings.tokensLeft?.();
    if (left === undefined) return;
    const remaining = left - exchange.usage.promptTokens - exchange.usage.completionTokens;
    const prompt = messages.reduce((sum, m) => sum + countTokens(m.content), 0);
    if (prompt > remaining) {
      throw new OverBudget(`stopped before the ${purpose} call: its prompt alone is ${prompt} tokens and the token budget has ${Math.max(0, remaining)} left`, exchange);
    }
  }

  private request(messages: ChatMessage[], responseFormat: 'json' | 'text'): Promise<Completion> {
    return this.settings.model.complete({ messages, temperature: 0, responseFormat, signal: this.settings.signal });
  }
}
