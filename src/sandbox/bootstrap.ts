import { createAssert } from './guest/assert.js';
import { createHarness, type HarnessConfig } from './guest/harness.js';
import { createRenderer } from './guest/render.js';
import { createTracer, type TracerConfig } from './guest/tracer.js';

export interface BootstrapConfig {
  /** Global name of the tracer (the probes call it); absent for uninstrumented runs. */
  tracerName?: string;
  tracer: TracerConfig;
  harnessName: string;
  harness: HarnessConfig;
  /** Seed of Math.random, so that a traced run repeats the plain run exactly. */
  seed: number;
}

let source: string | undefined;

/**
 * The code that prepares a fresh context before any user code runs: it builds the renderer,
 * assert module, tracer and harness from their self-contained factories and installs them.
 * The script evaluates to a function of (JSON config, the host's checkpoint callback); it is
 * compiled once per isolate and called once per context.
 */
export function bootstrapSource(): string {
  source ??= `(function (configJson, checkpoint) {
  'use strict';
  const config = JSON.parse(configJson);
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
  const deepFreeze = (value) => {
    if ((typeof value === 'object' || typeof value === 'function') && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Reflect.ownKeys(value)) {
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d && 'value' in d) deepFreeze(d.value);
      }
    }
    return value;
  };
  const renderer = (${createRenderer.toString()})();
  const render = renderer.render;
  const assert = deepFreeze((${createAssert.toString()})((value) => render(value, config.tracer.caps)));
  const harness = (${createHarness.toString()})(render, assert, config.harness);
  define(config.harnessName, harness);
  if (config.tracerName) define(config.tracerName, (${createTracer.toString()})(config.tracer, render, checkpoint));
  let seed = config.seed >>> 0;
  Object.defineProperty(Math, 'random', {
    value: function random() {
      // mulberry32: small, fast, and the same sequence for the same seed
      seed = (seed + 0x6d2b79f5) >>> 0;
      let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    },
    writable: true,
    configurable: true,
  });
  globalThis.console = harness.console;
  globalThis.require = harness.require;
  globalThis.module = { exports: {} };
  globalThis.exports = globalThis.module.exports;
})`;
  return source;
}
