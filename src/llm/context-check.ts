// A warning before a prompt outgrows the context the user says the server has: Ollama (and other
// local servers) cut an overlong prompt silently, and the model then judges a program it never saw whole.
import { estimateTokens, type Completion, type CompletionRequest, type Model } from './model.js';
import type { Notify } from './parameter-memory.js';

export function withContextWarning(model: Model, contextLength: number, notify: Notify): Model {
  let warned = false;
  return {
    id: model.id,
    complete(request: CompletionRequest): Promise<Completion> {
      const estimate = estimateTokens(request.messages.map((m) => m.content).join('\n'));
      if (!warned && estimate > contextLength) {
        warned = true;
        const raise = model.id.startsWith('ollama:') ? 'raise OLLAMA_CONTEXT_LENGTH on the server' : "raise the server's context length";
        notify(
          `warning: a prompt of about ${estimate} tokens exceeds --context-length ${contextLength}; ` +
            `the server may cut it without saying so: ${raise} and --context-length, or lower --budget`,
        );
      }
      return model.complete(request);
    },
  };
}
