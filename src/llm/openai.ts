// OpenAI Chat Completions over fetch; also serves Ollama, vLLM, llama.cpp, LM Studio and OpenRouter.
import { ModelError } from '../errors.js';
import { cutOffError, estimateTokens, resolveRequest, type Completion, type CompletionRequest, type Model, type ResolvedRequest } from './model.js';
import { pricedCompletion, type PriceTable, type ProviderReply } from './pricing.js';
import { postJson, type RetryOptions } from './retry.js';
import type { OpenAIChatConfig } from './spec.js';

export function createOpenAIChatModel(config: OpenAIChatConfig, options: RetryOptions & { prices: PriceTable }): Model {
  return {
    id: config.id,
    async complete(request: CompletionRequest): Promise<Completion> {
      const resolved = resolveRequest(request);
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
      const data = await postJson(
        config,
        { url: `${config.baseUrl}/chat/completions`, headers, body: chatCompletionsBody(config, resolved), signal: resolved.signal },
        options,
      );
      return pricedCompletion(config.model, readChatCompletion(config, resolved, data), options.prices);
    },
  };
}

export function chatCompletionsBody(config: Pick<OpenAIChatConfig, 'provider' | 'model'>, request: ResolvedRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: config.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
  };
  if (config.provider === 'openai' && isReasoningModel(config.model)) {
    // o-series and GPT-5 reject max_tokens and any temperature but the default.
    body.max_completion_tokens = request.maxTokens;
  } else {
    body.temperature = request.temperature;
    body.max_tokens = request.maxTokens;
  }
  if (request.responseFormat === 'json') body.response_format = { type: 'json_object' };
  return body;
}

/** OpenAI's reasoning families: o1, o3, o4-mini ... and gpt-5*. */
export function isReasoningModel(model: string): boolean {
  return /^o\d+(-|$)/.test(model) || model.startsWith('gpt-5');
}

function readChatCompletion(config: OpenAIChatConfig, request: ResolvedRequest, data: unknown): ProviderReply {
  const choice = record(array(record(data)?.choices)?.[0]);
  const message = record(choice?.message);
  const content = message?.content;
  const finish = choice?.finish_reason;
  if (typeof content !== 'string') {
    if (typeof message?.refusal === 'string') {
      throw new ModelError(`${config.id}: the model refused to answer: ${message.refusal}`, { code: 'response' });
    }
    throw new ModelError(`${config.id}: the reply has no choices[0].message.content: check that the server speaks OpenAI Chat Completions`, {
      code: 'response',
      hint: 'check that the server speaks OpenAI Chat Completions',
    });
  }
  if (content === '' && finish === 'length') throw cutOffError(config.id, request.maxTokens);
  const usage = record(record(data)?.usage);
  const prompt = usage?.prompt_tokens;
  const completion = usage?.completion_tokens;
  const model = record(data)?.model;
  return {
    text: content,
    model: typeof model === 'string' && model ? model : config.model,
    // Some local servers omit usage; an estimate keeps totals meaningful.
    promptTokens: typeof prompt === 'number' ? prompt : estimateTokens(request.messages.map((m) => m.content).join('\n')),
    completionTokens: typeof completion === 'number' ? completion : estimateTokens(content),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function array(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
