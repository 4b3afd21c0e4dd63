/**
 * A strict fake Anthropic Messages server on 127.0.0.1 for tests: POST /v1/messages, same script
 * steps and recording as fake-server.ts. It refuses what the API refuses, with its error shape
 * ({type: "error", error: {type, message}}, https://docs.anthropic.com/en/api/errors):
 *
 * - no `anthropic-version` header, no `max_tokens`, turns that do not alternate from `user`;
 * - fields the API does not know ("<field>: Extra inputs are not permitted");
 * - `temperature` on recent models ("`temperature` is deprecated for this model");
 * - with `apiKey` set, a request without that key in `x-api-key` or `Authorization: Bearer` gets 401.
 *
 *   const server = await startFakeAnthropic([{ reply: 'ok' }]);
 *   const model = createModel('anthropic:claude-sonnet-4-5', {
 *     env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url }, cache: false });
 *
 * `server.url` has no /v1 (like ANTHROPIC_BASE_URL). A 529 step mimics Anthropic's "overloaded".
 */
import { bearerOf, startScriptedServer, usageOf, type FakeScript, type FakeServer, type RecordedRequest, type Refusal } from './fake-server.js';

export type { FakeScript, FakeServer, FakeStep, RecordedRequest } from './fake-server.js';

export interface FakeAnthropicOptions {
  apiKey?: string;
  /** Models that refuse `temperature`. Default: Opus 4.7 and later, Sonnet 5 and later. */
  refusesTemperature?: (model: string) => boolean;
}

const KNOWN_FIELDS = new Set(['model', 'max_tokens', 'messages', 'system', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream', 'metadata', 'thinking', 'output_config', 'tools', 'tool_choice']);

const recentModel = (model: string): boolean => /^claude-(opus-4-[7-9]|(opus|sonnet|haiku)-[5-9])/.test(model);

export function startFakeAnthropic(script: FakeScript, options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  const refusesTemperature = options.refusesTemperature ?? recentModel;
  return startScriptedServer({
    paths: ['/v1/messages'],
    basePath: '',
    script,
    check: (request) => checkMessagesRequest(request, options.apiKey, refusesTemperature),
    renderReply: (step, request, index) => ({
      id: `msg_fake_${index}`,
      type: 'message',
      role: 'assistant',
      model: typeof request.body.model === 'string' ? request.body.model : 'fake',
      content: [{ type: 'text', text: step.reply ?? '' }],
      stop_reason: step.finishReason ?? 'end_turn',
      stop_sequence: null,
      usage: usageOf(step, (prompt, completion, cached) => ({
        input_tokens: prompt - cached,
        output_tokens: completion,
        cache_read_input_tokens: cached,
        cache_creation_input_tokens: 0,
      })),
    }),
    renderError: (status, message, step) => anthropicError(status, message, step.code),
  });
}

function checkMessagesRequest(request: RecordedRequest, apiKey: string | undefined, refusesTemperature: (model: string) => boolean): Refusal | undefined {
  const { body, headers } = request;
  if (apiKey !== undefined && headers['x-api-key'] !== apiKey && bearerOf(request) !== apiKey) {
    return refusal(401, 'invalid x-api-key');
  }
  if (typeof headers['anthropic-version'] !== 'string') return refusal(400, 'anthropic-version: header is required');
  const extra = Object.keys(body).find((name) => !KNOWN_FIELDS.has(name));
  if (extra) return refusal(400, `${extra}: Extra inputs are not permitted`);
  if (typeof body.max_tokens !== 'number') return refusal(400, 'max_tokens: Field required');
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: unknown }>) : [];
  if (messages.length === 0 || messages[0]?.role !== 'user') return refusal(400, 'messages: first message must use the "user" role');
  if (messages.some((m, i) => i > 0 && m.role === messages[i - 1]?.role)) return refusal(400, 'messages: roles must alternate between "user" and "assistant"');
  if (typeof body.model === 'string' && refusesTemperature(body.model) && 'temperature' in body) {
    return refusal(400, '`temperature` is deprecated for this model.');
  }
  return undefined;
}

function refusal(status: number, message: string): Refusal {
  return { status, body: anthropicError(status, message, undefined) };
}

function anthropicError(status: number, message: string, type: string | undefined): unknown {
  return { type: 'error', error: { type: type ?? errorType(status), message }, request_id: 'req_fake' };
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
