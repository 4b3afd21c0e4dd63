/**
 * Strict fakes of OpenAI-compatible servers as their documentation and trackers describe them:
 *
 * - LM Studio refuses `response_format: {type: "json_object"}` with
 *   {"error": "'response_format.type' must be 'json_schema' or 'text'"} (lmstudio-bug-tracker #189, #307)
 *   and wants no key;
 * - OpenRouter wants a Bearer key (401 "No auth credentials found"), reports errors as
 *   {error: {code, message, metadata}} and, once generation started, as HTTP 200 with that error and
 *   no answer (https://openrouter.ai/docs/api/reference/errors-and-debugging); see `midGenerationError`;
 * - Ollama's /v1 wants no key and ignores what it does not support
 *   (https://github.com/ollama/ollama/blob/main/docs/openai.md).
 */
import { chatCompletionReply, modelOf } from './fake-openai.js';
import { bearerOf, startScriptedServer, type FakeScript, type FakeServer, type FakeStep } from './fake-server.js';

export function startFakeLMStudio(script: FakeScript): Promise<FakeServer> {
  return startScriptedServer({
    paths: ['/v1/chat/completions'],
    basePath: '/v1',
    script,
    check: (request) => {
      const format = request.body.response_format as { type?: unknown } | undefined;
      if (format !== undefined && format.type !== 'json_schema' && format.type !== 'text') {
        return { status: 400, body: { error: "'response_format.type' must be 'json_schema' or 'text'" } };
      }
      return undefined;
    },
    renderReply: (step, request, index) => chatCompletionReply(step, request, index, false),
    renderError: (_status, message) => ({ error: message }),
  });
}

export function startFakeOpenRouter(script: FakeScript, options: { apiKey: string }): Promise<FakeServer> {
  return startScriptedServer({
    paths: ['/api/v1/chat/completions'],
    basePath: '/api/v1',
    script,
    check: (request) => {
      const key = bearerOf(request);
      if (key === undefined) return { status: 401, body: { error: { code: 401, message: 'No auth credentials found' } } };
      if (key !== options.apiKey) return { status: 401, body: { error: { code: 401, message: 'User not found.' } } };
      return undefined;
    },
    renderReply: (step, request, index) => chatCompletionReply(step, request, index, false),
    renderError: (status, message) => ({ error: { code: status, message, metadata: {} } }),
  });
}

/** OpenRouter's error after the model started: HTTP 200, an `error` object, no answer. */
export function midGenerationError(code: number, message: string): FakeStep {
  return { json: { id: 'gen-fake', object: 'chat.completion', model: 'fake', choices: [], error: { code, message } } };
}

export function startFakeOllama(script: FakeScript): Promise<FakeServer> {
  return startScriptedServer({
    paths: ['/v1/chat/completions'],
    basePath: '',
    script,
    check: (request) => (typeof request.body.model === 'string' ? undefined : { status: 400, body: { error: { message: 'model is required', type: 'invalid_request_error', param: null, code: null } } }),
    renderReply: (step, request, index) => ({ ...(chatCompletionReply(step, request, index, false) as object), model: modelOf(request), system_fingerprint: 'fp_ollama' }),
    renderError: (_status, message) => ({ error: { message, type: 'api_error', param: null, code: null } }),
  });
}
