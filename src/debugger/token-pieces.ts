import type { Tiktoken } from 'js-tiktoken/lite';

export type Encoder = Pick<Tiktoken, 'encode'>;
export type Ranks = ConstructorParameters<typeof Tiktoken>[0];

/** Distinct pieces remembered before the cache starts over (a few MB; a trace has a few thousand). */
const MAX_CACHED_PIECES = 200_000;

/**
 * Token counts equal to the tokenizer's, at a fraction of its cost. A BPE tokenizer first splits
 * text into pieces with its pattern (words, runs of up to 3 digits, punctuation, whitespace) and
 * encodes each piece on its own, so a text's count is the sum of its pieces' counts. Trace text
 * repeats the same few hundred pieces (variable names, `=`, indentation, small numbers), and
 * encoding a piece is the expensive part (bytes, a string key per byte pair), so each distinct
 * piece is encoded once and its count remembered.
 */
export class PieceCounter {
  private readonly pattern: RegExp;
  /** The same pattern for checking a piece alone: matching with it must not move `pattern`'s position. */
  private readonly check: RegExp;
  private readonly cache = new Map<string, number>();
  /** Whether summing pieces is known to match the tokenizer; false once a piece did not split back to itself. */
  private exact = true;

  constructor(
    private readonly encoder: Encoder,
    patternSource: string,
  ) {
    // The flags js-tiktoken uses for the same pattern.
    this.pattern = new RegExp(patternSource, 'gu');
    this.check = new RegExp(patternSource, 'gu');
  }

  count(text: string): number {
    if (!this.exact) return this.encode(text);
    let total = 0;
    this.pattern.lastIndex = 0;
    for (let match = this.pattern.exec(text); match !== null; match = this.pattern.exec(text)) {
      const piece = match[0];
      // Every alternative of the pattern takes at least one character; this only guards the loop.
      if (piece === '') {
        this.pattern.lastIndex++;
        continue;
      }
      const known = this.cache.get(piece);
      if (known !== undefined) {
        total += known;
        continue;
      }
      const counted = this.countPiece(piece);
      if (counted === undefined) return this.encode(text);
      total += counted;
    }
    return total;
  }

  /**
   * The count of one piece, by the tokenizer itself. Encoding the piece alone re-splits it with the
   * pattern; should that ever give more than the piece (a look-ahead that saw further in the whole
   * text), the sum would not be exact, so counting falls back to whole texts from then on.
   */
  private countPiece(piece: string): number | undefined {
    const split = piece.match(this.check);
    if (split?.length !== 1 || split[0] !== piece) {
      this.exact = false;
      return undefined;
    }
    const counted = this.encode(piece);
    if (this.cache.size >= MAX_CACHED_PIECES) this.cache.clear();
    this.cache.set(piece, counted);
    return counted;
  }

  // Empty lists for allowed and disallowed specials: a program containing "<|endoftext|>" is plain text to us.
  private encode(text: string): number {
    return this.encoder.encode(text, [], []).length;
  }
}
