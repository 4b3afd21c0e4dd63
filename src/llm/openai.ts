// OpenAI Chat Completions over fetch; also serves Ollama, vLLM, llama.cpp, LM Studio and OpenRouter.
// Request fields: https://platform.openai.com/docs/api-reference/chat/create
import { ModelError } from '../errors.js';
import { completeWithAdjustments, initialBudget, type ReadReply } from './exchange.js';
import { estimateTokens, resolveRequest, type Completion, type CompletionRequest, type ResolvedRequest } from './model.js';
import { ParameterMemory } from './parameter-memory.js';
import { pricedCompletion } from './pricing.js';
import type { ProviderModel, ProviderOptions } from './provider-options.js';
import { chatCompletionSchema } from './replies.js';
import type { BodyError } from './retry-policy.js';
import type { OpenAIChatConfig } from './spec.js';

export function createOpenAIChatModel(config: OpenAIChatConfig, options: ProviderOptions): ProviderModel {
  const memory = new ParameterMemory(config.id, options.notify);
  return {
    id: config.id,
    adjustments: () => memory.describe(),
    async complete(request: CompletionRequest): Promise<Completion> {
      const resolved = resolveRequest(request);
      const reasoning = memory.reasoning || options.reasoningEffort !== undefined;
      const reply = await completeWithAdjustments({
        endpoint: config,
        memory,
        retry: options.retry,
        notify: options.notify,
        budget: initialBudget(resolved.maxTokens, options.maxTokens, reasoning),
        post: (maxTokens) => ({
          url: `${config.baseUrl}/chat/completions`,
          headers: { 'content-type': 'application/json', accept: 'application/json', ...config.headers },
          body: chatCompletionsBody(config, resolved, maxTokens, options.reasoningEffort),
          signal: resolved.signal,
        }),
        read: (data) => readChatCompletion(config, resolved, data),
        bodyError: errorInBody,
      });
      return pricedCompletion(config.model, reply, options.prices);
    },
  };
}

/**
 * Only what is needed. OpenAI documents `max_completion_tokens` for every chat model (`max_tokens`
 * is deprecated there and refused by reasoning models); other servers know `max_tokens`. A
 * parameter the model refuses is learned from its 400 (see ParameterMemory), not guessed from its name.
 */
export function chatCompletionsBody(
  config: Pick<OpenAIChatConfig, 'provider' | 'model' | 'baseUrl'>,
  request: ResolvedRequest,
  maxTokens: number,
  reasoningEffort?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: config.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    temperature: request.temperature,
  };
  body[config.provider === 'openai' ? 'max_completion_tokens' : 'max_tokens'] = maxTokens;
  // The prompt asks for JSON too, so a server that refuses json_object (LM Studio) loses nothing but the guarantee.
  if (request.responseFormat === 'json') body.response_format = { type: 'json_object' };
  if (reasoningEffort !== undefined) {
    // OpenRouter normalises reasoning as `reasoning: {effort}` (https://openrouter.ai/docs/use-cases/reasoning-tokens);
    // OpenAI and Ollama take `reasoning_effort`.
    if (isOpenRouter(config.baseUrl)) body.reasoning = { effort: reasoningEffort };
    else body.reasoning_effort = reasoningEffort;
  }
  return body;
}

function isOpenRouter(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'openrouter.ai' || host.endsWith('.openrouter.ai');
}

function readChatCompletion(config: OpenAIChatConfig, request: ResolvedRequest, data: unknown): ReadReply {
  const parsed = chatCompletionSchema.safeParse(data);
  const choice = parsed.success ? parsed.data.choices?.[0] : undefined;
  if (!parsed.success || !choice) {
    const hint = 'check that the server speaks OpenAI Chat Completions';
    throw new ModelError(`${config.id}: the reply has no choices[0]: ${hint}`, { code: 'response', hint });
  }
  const message = choice.message;
  const finish = choice.finish_reason;
  const content = message?.content;
  if (typeof content !== 'string' && finish !== 'length') {
    if (typeof message?.refusal === 'string') {
      throw new ModelError(`${config.id}: the model refused to answer: ${message.refusal}`, { code: 'response' });
    }
    const hint = 'check that the server speaks OpenAI Chat Completions';
    throw new ModelError(`${config.id}: the reply has no choices[0].message.content: ${hint}`, { code: 'response', hint });
  }
  const text = content ?? '';
  const usage = parsed.data.usage;
  const thought = message?.reasoning ?? message?.reasoning_content ?? '';
  const reasoningTokens = usage?.completion_tokens_details?.reasoning_tokens ?? estimateTokens(thought);
  return {
    reply: {
      text,
      model: parsed.data.model || config.model,
      // Some local servers omit usage; an estimate keeps totals meaningful.
      promptTokens: usage?.prompt_tokens ?? estimateTokens(request.messages.map((m) => m.content).join('\n')),
      completionTokens: usage?.completion_tokens ?? estimateTokens(text) + reasoningTokens,
      cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? undefined,
    },
    cutOff: finish === 'length',
    reasoningTokens,
  };
}

/**
 * OpenRouter reports a failure after the model started as HTTP 200 with `error: {code, message}`
 * and no answer, or a choice with finish_reason "error"
 * (https://openrouter.ai/docs/api/reference/errors-and-debugging). The code is an HTTP status, so
 * it is retried when transient (408, 429, 5xx) and shown with its message otherwise.
 */
const errorInBody: BodyError = (body) => {
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const choice = parsed.data.choices?.[0];
  const failed = parsed.data.error ?? (choice?.finish_reason === 'error' ? (choice.error ?? {}) : undefined);
  if (!failed || (choice?.message?.content && choice.finish_reason !== 'error')) return undefined;
  const code = Number(failed.code);
  const status = Number.isInteger(code) && code >= 400 && code < 600 ? code : 502;
  return { status, server: { message: failed.message ?? 'the provider reported an error during generation', code: String(failed.code ?? status) } };
};
