/**
 * A scripted Anthropic Messages server on 127.0.0.1 for tests: POST /v1/messages, same script
 * steps and recording as fake-openai.ts (see there).
 *
 *   const server = await startFakeAnthropic([{ reply: 'ok' }]);
 *   const model = createModel('anthropic:claude-sonnet-4-5', {
 *     env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url }, cache: false });
 *
 * `server.url` has no /v1 (like ANTHROPIC_BASE_URL). A 529 step mimics Anthropic's "overloaded".
 */
import { startScriptedServer, usageOf, type FakeScript, type FakeServer } from './fake-openai.js';

export type { FakeScript, FakeServer, FakeStep, RecordedRequest } from './fake-openai.js';

export function startFakeAnthropic(script: FakeScript): Promise<FakeServer> {
  return startScriptedServer({
    paths: ['/v1/messages'],
    basePath: '',
    script,
    renderReply: (step, request, index) => ({
      id: `msg_fake_${index}`,
      type: 'message',
      role: 'assistant',
      model: typeof request.body.model === 'string' ? request.body.model : 'fake',
      content: [{ type: 'text', text: step.reply ?? '' }],
      stop_reason: step.finishReason ?? 'end_turn',
      stop_sequence: null,
      usage: usageOf(step, (prompt, completion) => ({ input_tokens: prompt, output_tokens: completion })),
    }),
    renderError: (status, message) => ({ type: 'error', error: { type: errorType(status), message } }),
  });
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
