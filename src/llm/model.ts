// The one interface every provider implements, and the request defaults they all share.
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  /** Default 0: debugging verdicts should be reproducible (and cacheable). */
  temperature?: number;
  /**
   * The output budget. Default: the model's `maxTokens` option (--max-tokens, LDB_MAX_TOKENS), else
   * 2048, or 25,000 once the model shows it reasons; a default budget grows once when a reply is cut off.
   */
  maxTokens?: number;
  responseFormat?: 'text' | 'json';
  signal?: AbortSignal;
}

export interface Usage {
  /** All prompt tokens, cached ones included. */
  promptTokens: number;
  completionTokens: number;
  /** The part of promptTokens the provider served from its prompt cache (priced at its discount), when it says. */
  cachedPromptTokens?: number;
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
  /** Undefined: the model's default budget (see CompletionRequest.maxTokens). */
  maxTokens: number | undefined;
  responseFormat: 'text' | 'json';
  signal: AbortSignal | undefined;
}

export function resolveRequest(request: CompletionRequest): ResolvedRequest {
  return {
    messages: request.messages,
    temperature: request.temperature ?? DEFAULT_TEMPERATURE,
    maxTokens: request.maxTokens,
    responseFormat: request.responseFormat ?? 'text',
    signal: request.signal,
  };
}

/** A rough token count (about four characters a token) for replies that carry no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
