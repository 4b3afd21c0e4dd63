// The one interface every provider implements, and the request defaults they all share.
import { ModelError } from '../errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  /** Default 0: debugging verdicts should be reproducible (and cacheable). */
  temperature?: number;
  /** Default 2048. */
  maxTokens?: number;
  responseFormat?: 'text' | 'json';
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Null when the price of the model is unknown (local models, exec commands). */
  costUsd: number | null;
  /** True when the reply came from the on-disk cache (then costUsd is 0). */
  cached: boolean;
}

export interface Completion {
  text: string;
  usage: Usage;
  /** The model that answered, as the provider named it. */
  model: string;
}

export interface Model {
  /** The normalised model spec, e.g. `openai:gpt-4o-mini` or `ollama:qwen2.5-coder:7b`. */
  readonly id: string;
  complete(request: CompletionRequest): Promise<Completion>;
}

export const DEFAULT_TEMPERATURE = 0;
export const DEFAULT_MAX_TOKENS = 2048;

/** A request with its defaults filled in, so providers and the cache key agree on what was asked. */
export interface ResolvedRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  responseFormat: 'text' | 'json';
  signal: AbortSignal | undefined;
}

export function resolveRequest(request: CompletionRequest): ResolvedRequest {
  return {
    messages: request.messages,
    temperature: request.temperature ?? DEFAULT_TEMPERATURE,
    maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    responseFormat: request.responseFormat ?? 'text',
    signal: request.signal,
  };
}

/** A rough token count (about four characters a token) for replies that carry no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The reply hit maxTokens before producing any text: retrying the same request cannot help. */
export function cutOffError(modelId: string, maxTokens: number): ModelError {
  const hint = 'raise maxTokens (reasoning models spend tokens thinking before they answer)';
  return new ModelError(`${modelId}: the reply was cut off at ${maxTokens} tokens before any text: ${hint}`, { code: 'response', hint });
}
