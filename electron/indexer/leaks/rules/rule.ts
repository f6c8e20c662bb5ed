// A leak rule: one small, readable decision about whether a growing structure is worth a user's time
// (MemLab keeps its leak filters as small rule files too). Rules only remove candidates; ranking is
// by net retained growth. Every rule is listed, with its reason, in docs/LEAKS.md.

export interface Candidate {
  signature: string;
  /** Net growth per interval (oldest first). */
  intervals: { bytes: number; count: number }[];
  /** Sums over the intervals. */
  bytes: number;
  count: number;
  /** Own-size growth of the holders (a BytesIO getting bigger), summed over the intervals. */
  ownBytes: number;
  /** Objects its holders replaced by new ones (new objects up to the number freed), summed over the intervals. */
  replaced: number;
  /** For growth hanging from new roots: their kind (../new-roots.ts), else null. */
  rootKind: string | null;
  /** New roots minus freed roots per interval (0 for ordinary holders). */
  roots: number[];
}

export interface NoiseFloor {
  bytes: number;
  count: number;
}

export interface LeakRule {
  name: string;
  /** true: keep the candidate. */
  keep(candidate: Candidate, floor: NoiseFloor): boolean;
}
