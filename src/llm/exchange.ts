// One completion from an HTTP provider: post, and ask again (at most a few times) when the server
// refused a parameter ldb can do without, or when the reply was cut off and the budget may grow.
import { ModelError } from '../errors.js';
import { RejectedRequestError, type Endpoint } from './error-messages.js';
import { DEFAULT_MAX_TOKENS } from './model.js';
import type { ParameterMemory, Notify } from './parameter-memory.js';
import type { ProviderReply } from './pricing.js';
import { DEFAULT_DEADLINE_MS, postJson, type BodyError, type RetryOptions } from './retry-policy.js';
import type { JsonPost } from './transport.js';

/**
 * OpenAI: "reserve at least 25,000 tokens for reasoning and outputs when you start experimenting"
 * (https://platform.openai.com/docs/guides/reasoning, "Allocating space for reasoning").
 */
export const REASONING_MAX_TOKENS = 25_000;
/** A plain model cut off mid-reply gets this many times its budget once, never more than the reasoning budget. */
const GROWTH = 4;

/** The output budget of one request: `fixed` when the caller or the user chose it (then it never grows). */
export interface Budget {
  tokens: number;
  fixed: boolean;
}

export function initialBudget(requested: number | undefined, configured: number | undefined, reasoning: boolean): Budget {
  const chosen = requested ?? configured;
  if (chosen !== undefined) return { tokens: chosen, fixed: true };
  return { tokens: reasoning ? REASONING_MAX_TOKENS : DEFAULT_MAX_TOKENS, fixed: false };
}

/** What a provider read from one reply: the reply, whether it hit the budget, and the tokens it spent thinking. */
export interface ReadReply {
  reply: ProviderReply;
  cutOff: boolean;
  reasoningTokens: number;
}

export interface ProviderCall {
  endpoint: Endpoint;
  memory: ParameterMemory;
  retry: RetryOptions;
  notify: Notify;
  budget: Budget;
  /** The request for an output budget, before the memory adjusts its body. */
  post(maxTokens: number): JsonPost & { body: Record<string, unknown> };
  read(data: unknown, maxTokens: number): ReadReply;
  bodyError?: BodyError;
}

/** Bounds the asking again: one per refusable parameter is plenty. */
const MAX_ADJUSTMENTS = 4;

export async function completeWithAdjustments(call: ProviderCall): Promise<ProviderReply> {
  const now = call.retry.now ?? Date.now;
  const deadline = now() + (call.retry.deadlineMs ?? DEFAULT_DEADLINE_MS);
  let tokens = call.budget.tokens;
  let grown = false;
  let adjustments = 0;
  const spent = { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0 };
  for (;;) {
    const post = call.post(tokens);
    const body = call.memory.apply(post.body);
    let data: unknown;
    try {
      data = await postJson(call.endpoint, { ...post, body }, { ...call.retry, deadlineMs: Math.max(1, deadline - now()) }, call.bodyError);
    } catch (error) {
      if (error instanceof RejectedRequestError && adjustments < MAX_ADJUSTMENTS && call.memory.learnFrom(error, body)) {
        adjustments += 1;
        continue;
      }
      throw error;
    }
    const read = call.read(data, tokens);
    if (read.reasoningTokens > 0) call.memory.reasoning = true;
    if (!read.cutOff) return addSpent(read.reply, spent);
    const next = grown || call.budget.fixed ? undefined : grownBudget(tokens, call.memory.reasoning);
    if (next === undefined) throw cutOffError(call.endpoint.id, tokens, read.reply.text !== '', call.budget.fixed);
    spent.promptTokens += read.reply.promptTokens;
    spent.completionTokens += read.reply.completionTokens;
    spent.cachedPromptTokens += read.reply.cachedPromptTokens ?? 0;
    call.notify(`${call.endpoint.id}: a reply was cut off at ${tokens} output tokens; asking again with ${next} (set --max-tokens to choose)`);
    grown = true;
    tokens = next;
  }
}

function grownBudget(tokens: number, reasoning: boolean): number | undefined {
  const next = reasoning ? Math.max(REASONING_MAX_TOKENS, tokens) : Math.min(tokens * GROWTH, REASONING_MAX_TOKENS);
  return next > tokens ? next : undefined;
}

/** The tokens of cut-off attempts were paid for too. */
function addSpent(reply: ProviderReply, spent: { promptTokens: number; completionTokens: number; cachedPromptTokens: number }): ProviderReply {
  if (spent.promptTokens === 0 && spent.completionTokens === 0) return reply;
  return {
    ...reply,
    promptTokens: reply.promptTokens + spent.promptTokens,
    completionTokens: reply.completionTokens + spent.completionTokens,
    cachedPromptTokens: (reply.cachedPromptTokens ?? 0) + spent.cachedPromptTokens,
  };
}

/** The reply hit its output budget: reasoning models spend it thinking before any text. */
export function cutOffError(modelId: string, maxTokens: number, hadText: boolean, fixed: boolean): ModelError {
  const hint = fixed
    ? 'raise --max-tokens (LDB_MAX_TOKENS); reasoning models spend tokens thinking before they answer'
    : 'set a larger --max-tokens (LDB_MAX_TOKENS), or a lower --reasoning-effort';
  const where = hadText ? 'mid-reply' : 'before any text';
  return new ModelError(`${modelId}: the reply was cut off at ${maxTokens} output tokens ${where}: ${hint}`, { code: 'response', hint });
}
