// Anthropic Messages API over fetch (https://docs.anthropic.com/en/api/messages).
import { ModelError } from '../errors.js';
import { completeWithAdjustments, initialBudget, type ReadReply } from './exchange.js';
import { resolveRequest, type ChatMessage, type Completion, type CompletionRequest, type ResolvedRequest } from './model.js';
import { ParameterMemory } from './parameter-memory.js';
import { pricedCompletion } from './pricing.js';
import type { ProviderModel, ProviderOptions } from './provider-options.js';
import { anthropicMessageSchema } from './replies.js';
import type { AnthropicConfig } from './spec.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export function createAnthropicModel(config: AnthropicConfig, options: ProviderOptions): ProviderModel {
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
          url: `${config.baseUrl}/v1/messages`,
          headers: { 'content-type': 'application/json', accept: 'application/json', 'anthropic-version': ANTHROPIC_VERSION, ...config.headers },
          body: messagesBody(config.model, resolved, maxTokens, options.reasoningEffort),
          signal: resolved.signal,
        }),
        read: (data) => readMessage(config, data),
      });
      return pricedCompletion(config.model, reply, options.prices);
    },
  };
}

/**
 * System messages go to the top-level `system` field (the API has no system role in `messages`).
 * There is no JSON mode: the prompt itself asks for JSON, and the caller validates it. Recent
 * models refuse `temperature` ("`temperature` is deprecated for this model"); that 400 is learned
 * once (ParameterMemory). Effort is `output_config.effort`
 * (https://platform.claude.com/docs/en/build-with-claude/effort); a model without it refuses it the same way.
 */
export function messagesBody(model: string, request: ResolvedRequest, maxTokens: number, reasoningEffort?: string): Record<string, unknown> {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const body: Record<string, unknown> = {
    model,
    max_tokens: maxTokens,
    messages: mergeTurns(request.messages.filter((m) => m.role !== 'system')),
    temperature: request.temperature,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (reasoningEffort !== undefined) body.output_config = { effort: reasoningEffort };
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

function readMessage(config: AnthropicConfig, data: unknown): ReadReply {
  const parsed = anthropicMessageSchema.safeParse(data);
  if (!parsed.success) {
    const hint = `check that ${config.baseUrl} serves the Anthropic Messages API`;
    throw new ModelError(`${config.id}: the reply has no content blocks: ${hint}`, { code: 'response', hint });
  }
  const reply = parsed.data;
  const text = reply.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  const usage = reply.usage;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const thinking = reply.content.some((block) => block.type === 'thinking' || block.type === 'redacted_thinking');
  return {
    reply: {
      text,
      model: reply.model || config.model,
      // input_tokens excludes the cache's reads and writes; ldb counts every prompt token.
      promptTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
      completionTokens: usage?.output_tokens ?? 0,
      cachedPromptTokens: cacheRead || undefined,
      cacheWriteTokens: cacheWrite || undefined,
    },
    cutOff: reply.stop_reason === 'max_tokens',
    // Anthropic does not count thinking tokens apart; a thinking block says the model reasons.
    reasoningTokens: thinking ? 1 : 0,
  };
}
