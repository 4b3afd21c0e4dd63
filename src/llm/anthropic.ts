// Anthropic Messages API over fetch.
import { ModelError } from '../errors.js';
import { cutOffError, resolveRequest, type ChatMessage, type Completion, type CompletionRequest, type Model, type ResolvedRequest } from './model.js';
import { pricedCompletion, type PriceTable, type ProviderReply } from './pricing.js';
import { postJson, type RetryOptions } from './retry.js';
import type { AnthropicConfig } from './spec.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export function createAnthropicModel(config: AnthropicConfig, options: RetryOptions & { prices: PriceTable }): Model {
  return {
    id: config.id,
    async complete(request: CompletionRequest): Promise<Completion> {
      const resolved = resolveRequest(request);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        'anthropic-version': ANTHROPIC_VERSION,
      };
      if (config.apiKey) headers['x-api-key'] = config.apiKey;
      const data = await postJson(
        config,
        { url: `${config.baseUrl}/v1/messages`, headers, body: messagesBody(config.model, resolved), signal: resolved.signal },
        options,
      );
      return pricedCompletion(config.model, readMessage(config, resolved, data), options.prices);
    },
  };
}

/**
 * System messages go to the top-level `system` field (the API has no system role in `messages`).
 * There is no JSON mode: the prompt itself asks for JSON, and the caller validates it.
 */
export function messagesBody(model: string, request: ResolvedRequest): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const body: Record<string, unknown> = {
    model,
    max_tokens: request.maxTokens,
    messages: mergeTurns(request.messages.filter((m) => m.role !== 'system')),
    temperature: request.temperature,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  return body;
}

/** Consecutive messages of one role become one turn, as the API expects turns to alternate. */
function mergeTurns(messages: ChatMessage[]): Array<{ role: string; content: string }> {
  const turns: Array<{ role: string; content: string }> = [];
  for (const { role, content } of messages) {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content = `${last.content}\n\n${content}`;
    else turns.push({ role, content });
  }
  return turns;
}

function readMessage(config: AnthropicConfig, request: ResolvedRequest, data: unknown): ProviderReply {
  const reply = record(data);
  const content = reply?.content;
  if (!Array.isArray(content)) {
    throw new ModelError(`${config.id}: the reply has no content blocks: check that ${config.baseUrl} serves the Anthropic Messages API`, {
      code: 'response',
      hint: `check that ${config.baseUrl} serves the Anthropic Messages API`,
    });
  }
  const text = content
    .map(record)
    .filter((block) => block?.type === 'text' && typeof block.text === 'string')
    .map((block) => String(block?.text))
    .join('');
  if (text === '' && reply?.stop_reason === 'max_tokens') throw cutOffError(config.id, request.maxTokens);
  const usage = record(reply?.usage);
  const input = usage?.input_tokens;
  const output = usage?.output_tokens;
  const model = reply?.model;
  return {
    text,
    model: typeof model === 'string' && model ? model : config.model,
    promptTokens: typeof input === 'number' ? input : 0,
    completionTokens: typeof output === 'number' ? output : 0,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
