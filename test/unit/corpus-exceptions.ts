// Corpus cases where this project deliberately differs from a peer guard's label, each with the reason.
// The corpus itself is never edited (shared/corpus/README.md); these cases are reported, not scored.

export interface CorpusException {
  readonly cmd: string;
  /** The decision this project gives instead: `allow`, or `stop` (confirm or block). */
  readonly ours: 'allow' | 'stop';
  readonly reason: string;
}

export const CORPUS_EXCEPTIONS: readonly CorpusException[] = [];
