import type { TestCase } from '../cases/split.js';
import { InputError, ModelError } from '../errors.js';
import type { ChatMessage, Completion, Model } from '../llm/model.js';
import type { Outcome, Trace } from '../sandbox/trace.js';
import type { VerdictTarget } from './compact.js';
import { extractProgram } from './extract.js';
import { formatTrace } from './format.js';
import * as prompts from './prompts.js';
import { addUsage, type DebugEvent, type DebugIteration, type DebugLevel, type TokenTotals, type Verdict } from './result.js';
import { parseVerdicts } from './verdicts.js';

/** What the conversation needs to know about the debugging session it serves. */
export interface ConversationSettings {
  model: Model;
  task?: string;
  filename: string;
  entryPoint?: string;
  level: DebugLevel;
  /** Tokens of trace text per verification prompt. */
  traceBudget: number;
  signal?: AbortSignal;
  emit(event: DebugEvent): void;
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
  /** Opens the iteration's note when the first reply cannot be used: "verdicts did not parse". */
  unusable: string;
}

export interface Verification {
  /** Null when the model's verdicts could not be read, or nothing ran that could be judged. */
  verdicts: Verdict[] | null;
  /** What the verdict ids stand for (blocks, lines or calls). */
  targets: VerdictTarget[];
}

/**
 * The model's side of the LDB loop: verification, fix and seed requests, each read strictly
 * and asked again once with the reason when the reply is unusable. Usage lands on the iteration.
 */
export class Conversation {
  constructor(private readonly settings: ConversationSettings) {}

  async verify(iteration: DebugIteration, testCase: TestCase, trace: Trace): Promise<Verification> {
    const { settings } = this;
    const compact = formatTrace(trace, settings.level, { code: iteration.code, filename: settings.filename, budgetTokens: settings.traceBudget });
    settings.emit({ type: 'trace', index: iteration.index, failingCase: iteration.failingCase!, trace, promptTokens: compact.tokens, text: compact.text });
    const known = compact.targets.map((t) => t.id);
    if (known.length === 0) {
      // Nothing of the program ran (e.g. the test calls a missing function): nothing to judge.
      iteration.notes.push('no block of the program ran; asking for a fix from the failure alone');
      return this.verified(iteration, null, []);
    }
    const messages = prompts.verificationMessages({
      task: settings.task,
      code: iteration.code,
      filename: settings.filename,
      testCase,
      outcome: trace.outcome,
      compact,
      level: settings.level,
      console: trace.console,
    });
    const parsed = await this.askTwice(iteration, messages, {
      purpose: 'verify',
      responseFormat: 'json',
      read: (text) => {
        const result = parseVerdicts(text, known);
        return result.ok ? { ok: true, value: result.verdicts } : { ok: false, problem: result.error };
      },
      retryMessage: (problem) => prompts.verdictRetryMessage(problem),
      unusable: 'verdicts did not parse',
    });
    if (!parsed.ok) iteration.notes.push(`verdicts still did not parse (${parsed.problem}); going on without them`);
    return this.verified(iteration, parsed.ok ? parsed.value : null, compact.targets);
  }

  /** The corrected program, or undefined when two replies gave nothing usable. */
  /** `verification` is 'no-debugger' for the baseline method: the prompt then mentions no debugger at all. */
  async fix(
    iteration: DebugIteration,
    testCase: TestCase,
    outcome: Outcome,
    verification: Verification | null | 'no-debugger',
  ): Promise<string | undefined> {
    const { settings } = this;
    const verdicts = verification === 'no-debugger' ? undefined : (verification?.verdicts ?? null);
    const messages = prompts.fixMessages({
      task: settings.task,
      code: iteration.code,
      filename: settings.filename,
      testCase,
      outcome,
      verdicts,
      targets: verdicts && verification !== 'no-debugger' ? verification?.targets : undefined,
      entryPoint: settings.entryPoint,
    });
    const extracted = await this.askTwice(iteration, messages, {
      purpose: 'fix',
      responseFormat: 'text',
      read: (text) => this.readProgram(text),
      retryMessage: (problem) => prompts.fixRetryMessage(problem),
      unusable: 'the fix was unusable',
    });
    if (extracted.ok) return extracted.value;
    iteration.notes.push(`the fix was still unusable (${extracted.problem}); stopping`);
    return undefined;
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

  private verified(iteration: DebugIteration, verdicts: Verdict[] | null, targets: VerdictTarget[]): Verification {
    iteration.verdicts = verdicts;
    this.settings.emit({ type: 'verdicts', index: iteration.index, verdicts, notes: iteration.notes });
    return { verdicts, targets };
  }

  private readProgram(text: string): Reading<string> {
    const result = extractProgram(text, { filename: this.settings.filename, entryPoint: this.settings.entryPoint });
    return result.ok ? { ok: true, value: result.code } : { ok: false, problem: result.reason };
  }

  /**
   * Asks the model, and once more when its reply cannot be used, saying why: a model that slipped
   * on the format usually gets it right when told. Returns what the last reply read as.
   */
  private async askTwice<T>(iteration: DebugIteration, messages: ChatMessage[], ask: Ask<T>): Promise<Reading<T>> {
    const reply = await this.complete(iteration, messages, ask);
    const reading = ask.read(reply.text);
    if (reading.ok) return reading;
    iteration.notes.push(`${ask.unusable} (${reading.problem}); asked again`);
    const retry = [...messages, { role: 'assistant', content: reply.text } as const, ask.retryMessage(reading.problem)];
    const again = await this.complete(iteration, retry, ask);
    return ask.read(again.text);
  }

  private async complete<T>(iteration: DebugIteration, messages: ChatMessage[], ask: Ask<T>): Promise<Completion> {
    const reply = await this.request(messages, ask.responseFormat);
    addUsage(iteration.usage, reply.usage);
    this.settings.emit({ type: 'usage', index: iteration.index, usage: reply.usage, purpose: ask.purpose });
    return reply;
  }

  private request(messages: ChatMessage[], responseFormat: 'json' | 'text'): Promise<Completion> {
    return this.settings.model.complete({ messages, temperature: 0, responseFormat, signal: this.settings.signal });
  }
}
