/**
 * Spaces request starts so that no more than `rpm` begin in any minute, across every problem
 * running concurrently. It wraps the provider's HTTP fetch, below the response cache: cached
 * answers cost nothing and are not slowed, and every retry (after a 429 too) counts.
 */
export function rateLimitedFetch(rpm: number, inner: typeof fetch = fetch): typeof fetch {
  const gapMs = 60_000 / rpm;
  let nextSlot = 0;
  const limited = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + gapMs;
    if (slot > now) await sleep(slot - now, init?.signal ?? undefined);
    return inner(input, init);
  };
  return limited as typeof fetch;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
