// The shapes of what providers answer, checked with zod instead of by hand. Each schema holds
// only the fields ldb reads; everything else a server adds passes through unread.
import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * OpenAI Chat Completions reply (https://platform.openai.com/docs/api-reference/chat/object).
 * `usage.prompt_tokens_details.cached_tokens` and `completion_tokens_details.reasoning_tokens`
 * are documented there too; OpenRouter reports the same fields
 * (https://openrouter.ai/docs/use-cases/usage-accounting). Local servers may omit usage.
 */
export const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            // Ollama and OpenRouter return a reasoning model's thinking here, apart from the answer.
            reasoning: z.string().nullish(),
            reasoning_content: z.string().nullish(),
          })
          .optional(),
        finish_reason: z.string().nullish(),
        // OpenRouter: a choice that ended in an error carries it (finish_reason "error").
        error: z.object({ message: z.string().optional(), code: z.union([z.number(), z.string()]).optional() }).nullish(),
      }),
    )
    .optional(),
  usage: z
    .object({
      prompt_tokens: count.optional(),
      completion_tokens: count.optional(),
      prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
      completion_tokens_details: z.object({ reasoning_tokens: count.nullish() }).nullish(),
    })
    .nullish(),
  // OpenRouter: "any error occurred while the LLM is producing the output will be emitted in the
  // response body" with HTTP 200 (https://openrouter.ai/docs/api/reference/errors-and-debugging).
  error: z.object({ message: z.string().optional(), code: z.union([z.number(), z.string()]).optional() }).optional(),
});
export type ChatCompletionReply = z.infer<typeof chatCompletionSchema>;

/**
 * Anthropic Messages reply (https://docs.anthropic.com/en/api/messages). `input_tokens` excludes
 * cache reads and writes, which come as `cache_read_input_tokens` / `cache_creation_input_tokens`
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching).
 */
export const anthropicMessageSchema = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z
    .object({
      input_tokens: count.optional(),
      output_tokens: count.optional(),
      cache_read_input_tokens: count.nullish(),
      cache_creation_input_tokens: count.nullish(),
    })
    .optional(),
});
export type AnthropicMessageReply = z.infer<typeof anthropicMessageSchema>;

/**
 * Error bodies: OpenAI `{error: {message, type, param, code}}`
 * (https://platform.openai.com/docs/guides/error-codes), Anthropic `{type: "error", error: {type,
 * message}}` (https://docs.anthropic.com/en/api/errors), OpenRouter `{error: {code, message,
 * metadata}}`, Ollama and LM Studio `{error: "..."}`, vLLM `{message}`.
 */
const errorObjectSchema = z.object({
  message: z.string().optional(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  param: z.string().nullish(),
  // Anthropic's spend limit: a 429 rate_limit_error with details.error_code "enforced_spend_limit_reached".
  details: z.object({ error_code: z.string().optional() }).nullish(),
});
const errorBodySchema = z.object({
  error: z.union([z.string(), errorObjectSchema]).optional(),
  message: z.string().optional(),
});

/** What a server said when it refused: the fields ldb acts on, and the text it shows the user. */
export interface ServerError {
  message: string;
  type?: string;
  code?: string;
  param?: string;
}

export function readServerError(text: string): ServerError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { message: text };
  }
  const parsed = errorBodySchema.safeParse(data);
  // JSON without a message of its own says nothing worth repeating.
  if (!parsed.success) return { message: '' };
  const { error, message } = parsed.data;
  if (typeof error === 'string') return { message: error };
  if (error) {
    return {
      message: error.message ?? message ?? '',
      type: error.type ?? undefined,
      code: error.details?.error_code ?? (error.code === null || error.code === undefined ? undefined : String(error.code)),
      param: error.param ?? undefined,
    };
  }
  return { message: message ?? '' };
}
