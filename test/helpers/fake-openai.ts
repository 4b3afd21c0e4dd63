/**
 * A strict fake OpenAI Chat Completions server on 127.0.0.1 for tests, so the real HTTP client path
 * runs without a network. It answers POST /v1/chat/completions (and /chat/completions) from a
 * script, one step per request, records every request, and refuses what OpenAI refuses, with
 * OpenAI's error shape ({error: {message, type, param, code}},
 * https://platform.openai.com/docs/guides/error-codes) before a script step is used:
 *
 * - reasoning models (o-series, gpt-5 by default) refuse `max_tokens` (unsupported_parameter) and
 *   any `temperature` but 1 (unsupported_value), and spend `reasoningTokens` of the budget first;
 * - other models refuse `reasoning_effort`;
 * - `response_format: json_object` needs the word "json" in the messages;
 * - arguments the API does not know are refused ("Unrecognized request argument supplied");
 * - with `apiKey` set, a missing or different Bearer key gets 401.
 *
 *   const server = await startFakeOpenAI([{ status: 429, headers: { 'retry-after-ms': '0' } }, { reply: 'ok' }]);
 *   const model = createModel('openai:gpt-4o-mini', { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: server.url }, cache: false });
 *
 * `server.url` ends in /v1. When the script runs out the server answers 418 (not retried) saying so.
 */
import { startScriptedServer, usageOf, bearerOf, type FakeScript, type FakeServer, type FakeStep, type RecordedRequest, type Refusal } from './fake-server.js';

export type { FakeScript, FakeServer, FakeStep, RecordedRequest } from './fake-server.js';

export interface FakeOpenAIOptions {
  /** Require this Bearer key. Default: any key, or none, is accepted. */
  apiKey?: string;
  /** Which models behave as reasoning models. Default: o1, o3, o4-mini ... and gpt-5*. */
  isReasoningModel?: (model: string) => boolean;
}

const KNOWN_ARGUMENTS = new Set([
  'model', 'messages', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'response_format', 'reasoning_effort',
  'seed', 'stop', 'n', 'stream', 'presence_penalty', 'frequency_penalty', 'user', 'logprobs',
]);

export const defaultReasoningModel = (model: string): boolean => /^o\d+(-|$)/.test(model) || model.startsWith('gpt-5');

export function startFakeOpenAI(script: FakeScript, options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  const isReasoning = options.isReasoningModel ?? defaultReasoningModel;
  return startScriptedServer({
    paths: ['/v1/chat/completions', '/chat/completions'],
    basePath: '/v1',
    script,
    check: (request) => checkOpenAIRequest(request, options.apiKey, isReasoning),
    renderReply: (step, request, index) => chatCompletionReply(step, request, index, isReasoning(modelOf(request))),
    renderError: (status, message, step) => openAIError(status, message, step.code),
  });
}

function checkOpenAIRequest(request: RecordedRequest, apiKey: string | undefined, isReasoning: (model: string) => boolean): Refusal | undefined {
  if (apiKey !== undefined) {
    const given = bearerOf(request);
    if (given === undefined) return refuse(401, "You didn't provide an API key.", { type: 'invalid_request_error' });
    if (given !== apiKey) return refuse(401, 'Incorrect API key provided.', { type: 'invalid_request_error', code: 'invalid_api_key' });
  }
  const { body } = request;
  if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
    return refuse(400, "you must provide a model parameter and 'messages'", { type: 'invalid_request_error' });
  }
  const unknown = Object.keys(body).find((name) => !KNOWN_ARGUMENTS.has(name));
  if (unknown) return refuse(400, `Unrecognized request argument supplied: ${unknown}`, { type: 'invalid_request_error' });
  if (isReasoning(body.model)) {
    if ('max_tokens' in body) {
      return refuse(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", {
        param: 'max_tokens',
        code: 'unsupported_parameter',
      });
    }
    if (body.temperature !== undefined && body.temperature !== 1) {
      return refuse(400, `Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`, {
        param: 'temperature',
        code: 'unsupported_value',
      });
    }
  } else if ('reasoning_effort' in body) {
    return refuse(400, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", { param: 'reasoning_effort', code: 'unsupported_parameter' });
  }
  const format = body.response_format as { type?: unknown } | undefined;
  if (format?.type === 'json_object' && !/json/i.test(JSON.stringify(body.messages))) {
    return refuse(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", { param: 'messages' });
  }
  return undefined;
}

function refuse(status: number, message: string, fields: { type?: string; param?: string; code?: string }): Refusal {
  return { status, body: { error: { message, type: fields.type ?? 'invalid_request_error', param: fields.param ?? null, code: fields.code ?? null } } };
}

export function openAIError(status: number, message: string, code: string | undefined): unknown {
  const type = code === 'insufficient_quota' ? 'insufficient_quota' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: code ?? null } };
}

export function modelOf(request: RecordedRequest): string {
  return typeof request.body.model === 'string' ? request.body.model : 'fake';
}

/**
 * A Chat Completions reply. A reasoning model spends `step.reasoningTokens` first: when the budget
 * (max_completion_tokens or max_tokens) is no larger, the reply is cut off with no text.
 */
export function chatCompletionReply(step: FakeStep, request: RecordedRequest, index: number, reasoning: boolean): unknown {
  const thinking = reasoning ? (step.reasoningTokens ?? 0) : 0;
  const budgetValue = request.body.max_completion_tokens ?? request.body.max_tokens;
  const budget = typeof budgetValue === 'number' ? budgetValue : Number.POSITIVE_INFINITY;
  const cut = thinking >= budget;
  const content = cut ? '' : (step.reply ?? '');
  return {
    id: `chatcmpl-fake-${index}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: modelOf(request),
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: cut ? 'length' : (step.finishReason ?? 'stop') }],
    usage: usageOf(step, (prompt, completion, cached) => ({
      prompt_tokens: prompt,
      completion_tokens: cut ? budget : completion + thinking,
      total_tokens: prompt + (cut ? budget : completion + thinking),
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: cut ? budget : thinking },
    })),
  };
}
