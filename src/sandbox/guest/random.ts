/**
 * mulberry32: a small, fast generator giving the same numbers for the same seed. Self-contained
 * like everything in guest/: the sandbox's seeded Math.random is built from its text, and the
 * debugging loop uses it to pick a failing case reproducibly.
 */
export function createSeededRandom(seed: number): () => number {
  const imul = Math.imul;
  let state = seed >>> 0;
  // A method, not an arrow or a function: like the built-in, it has no prototype and cannot be `new`ed.
  return {
    random() {
      state = (state + 0x6d2b79f5) >>> 0;
      let r = imul(state ^ (state >>> 15), 1 | state);
      r = (r + imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    },
  }.random;
}
