// Kernels: loops that run on either thread, each over its own part of the work. Their source text is
// what the helper thread runs (helper.ts sends `fn.toString()`), so this module imports nothing and
// no function here refers to anything outside this file: a kernel may call only the functions
// listed in EDGE_SOURCE below (and join.ts's JOIN_SOURCE, graph/order.ts's ORDER_SOURCE), by name. Arrays they share with the other thread live in
// SharedArrayBuffers; every kernel writes only to memory no other running kernel touches.

/**
 * Fills the strong references out of sources [lo, hi) into the retainer index (graph/retainers.ts),
 * each at `at[t]` of its target t, and moves `at[t]` on: down (`step` -1: `at[t]` starts at the end
 * of the row's strong part, sources are visited in descending order) or up (`step` 1: `at[t]`
 * starts at the row's start, ascending order). Either way a row comes out sorted by ascending
 * source, and two threads can fill one row at once without touching the same slot: one the sources
 * above a split, down from the row's end, the other those below it, up from its start; the two
 * parts meet exactly, as together they are all the row's strong references. Weak edges are skipped:
 * the caller places those (they are rare).
 */
export function fillRetainers(
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  weakKind: number,
  at: Uint32Array,
  retainerSrc: Uint32Array,
  retainerEdge: Uint32Array,
  lo: number,
  hi: number,
  step: number,
): number {
  if (step < 0) {
    for (let v = hi - 1; v >= lo; v--) {
      for (let e = firstEdge[v + 1]! - 1; e >= firstEdge[v]!; e--) {
        if (edgeKind[e] === weakKind) continue;
        const slot = --at[edgeTarget[e]!]!;
        retainerSrc[slot] = v;
        retainerEdge[slot] = e;
      }
    }
  } else {
    for (let v = lo; v < hi; v++) {
      for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
        if (edgeKind[e] === weakKind) continue;
        const slot = at[edgeTarget[e]!]!++;
        retainerSrc[slot] = v;
        retainerEdge[slot] = e;
      }
    }
  }
  return hi - lo;
}

/**
 * Two bitsets (a bit a node) from one pass over the edges: `noOut`, objects with no strong
 * reference out (the BFS gives them a distance but no turn in its queue), and `skip`, those of
 * them referenced strongly exactly once and in no root group: the dominator stage leaves these out
 * (graph/dominators.ts). Run on the helper while the other thread lays out the retainer index.
 */
export function strongLeaves(
  firstEdge: Uint32Array,
  edgeKind: Uint8Array,
  weakKind: number,
  strongIn: Uint32Array,
  groups: Uint8Array,
  firstObject: number,
  noOut: Int32Array,
  skip: Int32Array,
): number {
  const n = strongIn.length;
  let e = firstEdge[firstObject]!;
  let count = 0;
  for (let v = firstObject; v < n; v++) {
    const end = firstEdge[v + 1]!;
    let strongOut = false;
    for (; e < end; e++) if (edgeKind[e] !== weakKind) strongOut = true;
    if (strongOut) continue;
    noOut[v >>> 5] |= 1 << (v & 31);
    if (strongIn[v] === 1 && groups[v] === 0) {
      skip[v >>> 5] |= 1 << (v & 31);
      count++;
    }
  }
  return count;
}

/**
 * Breadth-first depth from node 0 over strong edges (graph/distances.ts): `distance` starts at -1
 * everywhere; nodes below `firstObject` take their out-edges from the synthetic CSR. The groups in
 * `lastResort` (graph/layout.ts LAST_RESORT_GROUPS) get their depth with the other groups but are
 * expanded only once the queue has run dry, one after another, each restarting at depth 1: their
 * members reached through references keep that depth, the others are seeded at 2. `tier` gets the
 * phase that reached each node (0: the first BFS, p: the p-th deferred group; written only for
 * p > 0, which reach few nodes). Every node is still queued at most once (plus the deferred groups
 * again), so the work is the same as one BFS.
 * Per chunk of the queue, each node's row bounds are gathered first, in a loop of independent loads
 * whose cache misses the CPU overlaps; the expansion loop then reads them sequentially. `seen` is a
 * bit per node (n/8 bytes stay in cache, `distance` does not). Returns the number reached.
 */
export function breadthFirst(
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  edgeKind: Uint8Array,
  weakKind: number,
  synFirst: Uint32Array,
  synTarget: Uint32Array,
  firstObject: number,
  lastResort: Uint32Array,
  distance: Int32Array,
  tier: Uint8Array,
  noOut: Int32Array,
): number {
  const CHUNK = 1 << 18;
  const n = distance.length;
  const queue = new Uint32Array(n + lastResort.length);
  const seen = new Int32Array((n >>> 5) + 1);
  const rows = new Uint32Array(2 * CHUNK);
  seen[0] = 1;
  distance[0] = 0;
  let head = 0;
  let tail = 1;
  let leaves = 0;
  // The queue holds one level after another: the next level starts where the queue ended when the
  // current one began, so a node's depth is known from its place, not read back from `distance` (a
  // cache miss for each of millions of queued nodes).
  let depth = 0;
  let levelEnd = 1;
  for (let phase = 0; phase <= lastResort.length; phase++) {
    if (phase > 0) {
      // The deferred group again, alone at depth 1: its unseen members are seeded at depth 2.
      head = tail;
      queue[tail++] = lastResort[phase - 1]!;
      depth = 1;
      levelEnd = tail;
    }
    while (head < tail) {
      const stop = Math.min(tail, head + CHUNK);
      for (let q = head, k = 0; q < stop; q++, k += 2) {
        const v = queue[q]!;
        if (v < firstObject) continue;
        rows[k] = firstEdge[v]!;
        rows[k + 1] = firstEdge[v + 1]!;
      }
      for (let q = head, k = 0; q < stop; q++, k += 2) {
        if (q === levelEnd) {
          depth++;
          levelEnd = tail;
        }
        const v = queue[q]!;
        const d = depth + 1;
        let from = rows[k]!;
        let end = rows[k + 1]!;
        let targets = edgeTarget;
        if (v < firstObject) {
          from = synFirst[v]!;
          end = synFirst[v + 1]!;
          targets = synTarget;
          // A deferred group's turn comes in its own phase (its first visit, from node 0, is skipped).
          if (phase === 0) for (let p = 0; p < lastResort.length; p++) if (lastResort[p] === v) end = from;
        }
        for (let e = from; e < end; e++) {
          if (v >= firstObject && edgeKind[e] === weakKind) continue;
          const t = targets[e]!;
          if ((seen[t >>> 5]! & (1 << (t & 31))) === 0) {
            seen[t >>> 5] |= 1 << (t & 31);
            distance[t] = d;
            if (phase > 0) tier[t] = phase;
            // An object with no strong reference out leads nowhere: it needs a distance, not a
            // turn in the queue (half of a Python heap; each turn read its row bounds at random).
            if ((noOut[t >>> 5]! & (1 << (t & 31))) === 0) queue[tail++] = t;
            else leaves++;
          }
        }
      }
      head = stop;
    }
  }
  return tail - lastResort.length + leaves;
}

/**
 * out[r] = pre[src[r]] for r in [from, to): the preorder number of each retainer's source, for the
 * semidominator loop (graph/dominators.ts). Independent loads, so the CPU overlaps their misses.
 */
export function gatherPreorder(
  pre: Uint32Array,
  src: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
): number {
  for (let r = from; r < to; r++) out[r] = pre[src[r]!]!;
  return to - from;
}

/**
 * Per type name k (typeIdx2Name maps TYPE records to names): the object count and shallow size, the
 * least distance of its objects (`nearest`, -1 to start with and when none is reachable), the
 * first slot of its list (nameFirst, m + 1 entries), and the list itself in node order
 * (graph/aggregates.ts).
 */
export function indexTypes(
  nodeType: Uint32Array,
  typeIdx2Name: Uint32Array,
  size: Float64Array,
  distance: Int32Array,
  firstObject: number,
  count: Float64Array,
  shallow: Float64Array,
  nearest: Int32Array,
  nameFirst: Uint32Array,
  nameNodesByIndex: Uint32Array,
): number {
  const n = nodeType.length;
  for (let v = firstObject; v < n; v++) {
    const k = typeIdx2Name[nodeType[v]!]!;
    count[k]++;
    shallow[k] += size[v]!;
    const d = distance[v]!;
    if (d >= 0 && (d < nearest[k]! || nearest[k]! < 0)) nearest[k] = d;
  }
  for (let k = 0; k < count.length; k++) nameFirst[k + 1] = nameFirst[k]! + count[k]!;
  const cursor = nameFirst.slice(0, count.length);
  nameNodesByIndex.fill(0); // written at random: filled front to back first, so its pages map in order
  for (let v = firstObject; v < n; v++) nameNodesByIndex[cursor[typeIdx2Name[nodeType[v]!]!]!++] = v;
  return n;
}

/**
 * Objects by label: those labelled with string s are labelNodes[labelFirst[s]..labelFirst[s+1]),
 * in node order (label search), and labelType[j] the type name of labelNodes[j] (read in order by a
 * search that matches types too, where nodeType would be read at random). Allocated here, in shared
 * memory (the reply shares it, not copies), because only the counting pass knows their length.
 * Needs no stage after `read`: it runs while the other thread computes semidominators.
 */
export function indexLabels(
  label: Uint32Array,
  nodeType: Uint32Array,
  typeIdx2Name: Uint32Array,
  firstObject: number,
  strings: number,
): { labelFirst: Uint32Array; labelNodes: Uint32Array; labelType: Uint32Array } {
  const labelFirst = new Uint32Array(new SharedArrayBuffer(4 * (strings + 1)));
  const n = label.length;
  for (let v = firstObject; v < n; v++) {
    const l = label[v]!;
    if (l < strings) labelFirst[l + 1]++;
  }
  for (let s = 0; s < strings; s++) labelFirst[s + 1] += labelFirst[s]!;
  const cursor = labelFirst.slice(0, strings);
  // Written at random: filled front to back first, so their pages are mapped in order.
  const labelNodes = new Uint32Array(new SharedArrayBuffer(4 * labelFirst[strings]!)).fill(0);
  const labelType = new Uint32Array(new SharedArrayBuffer(4 * labelFirst[strings]!)).fill(0);
  for (let v = firstObject; v < n; v++) {
    const l = label[v]!;
    if (l < strings) {
      const j = cursor[l]!++;
      labelNodes[j] = v;
      labelType[j] = typeIdx2Name[nodeType[v]!]!;
    }
  }
  return { labelFirst, labelNodes, labelType };
}

/**
 * labelRetained[j] = retained[labelNodes[j]], written by replaying indexLabels' cursors (retained
 * read in order, where a gather through labelNodes would read it at random). Then the best entry
 * of each block of 2^blockBits entries (largest retained size, ties by lowest node) into
 * blockRetained / blockNode, for label search to skip blocks that cannot make its first page.
 */
export function fillLabelRetained(
  label: Uint32Array,
  retained: Float64Array,
  labelFirst: Uint32Array,
  labelNodes: Uint32Array,
  firstObject: number,
  labelRetained: Float64Array,
  blockBits: number,
  blockRetained: Float64Array,
  blockNode: Uint32Array,
): number {
  const strings = labelFirst.length - 1;
  const cursor = labelFirst.slice(0, strings);
  labelRetained.fill(0); // written at random: pages mapped in order first
  const n = label.length;
  for (let v = firstObject; v < n; v++) {
    const l = label[v]!;
    if (l < strings) labelRetained[cursor[l]!++] = retained[v]!;
  }
  const entries = labelNodes.length;
  for (let b = 0; b < blockRetained.length; b++) {
    const to = Math.min(entries, (b + 1) << blockBits);
    let bestKey = -1;
    let bestNode = 0xffffffff;
    for (let j = b << blockBits; j < to; j++) {
      const k = labelRetained[j]!;
      if (k > bestKey || (k === bestKey && labelNodes[j]! < bestNode)) {
        bestKey = k;
        bestNode = labelNodes[j]!;
      }
    }
    blockRetained[b] = bestKey;
    blockNode[b] = bestNode;
  }
  return n;
}

/**
 * Maps in the pages of `columns` (views over SharedArrayBuffers that another thread is filling
 * front to back) from their ends backward, one page each step, in 64 slices taken in turn across
 * the columns so that it stays as far as possible ahead of the filler in each; stops as soon as
 * `stop[0]` is set. The touch is `Atomics.add(x, 0)`: a write, which a page fault needs to map a
 * page for real (a read maps the shared zero page), and atomic, so a value the filler already
 * wrote is never overwritten. Returns the pages touched.
 */
export function touchPages(columns: Int32Array[], stop: Int32Array): number {
  const PAGE = 1024; // int32s in 4 KiB
  const SLICES = 64;
  let touched = 0;
  for (let k = SLICES - 1; k >= 0; k--) {
    for (let c = 0; c < columns.length; c++) {
      const a = columns[c]!;
      const lo = Math.floor((a.length * k) / SLICES);
      const hi = Math.floor((a.length * (k + 1)) / SLICES);
      if (hi <= lo) continue; // an empty slice (a short or empty column)
      for (let i = hi - 1 - ((hi - 1) % PAGE); i >= lo; i -= PAGE) {
        if (Atomics.load(stop, 0) !== 0) return touched;
        Atomics.add(a, i, 0);
        touched++;
      }
    }
  }
  return touched;
}

/**
 * The dominator tree as rows of children (CSR over nodes, each row in node order), in arrays it
 * allocates shared. `none` marks nodes with no dominator. Runs on the helper during the retained
 * stage, which needs only the other thread (graph/aggregates.ts).
 */
export function dominatorRows(
  nodeIdx2Dominator: Uint32Array,
  none: number,
): { domFirst: Uint32Array; domChildren: Uint32Array } {
  const n = nodeIdx2Dominator.length;
  // Both are written at random: their pages are mapped in order first (fill).
  const domFirst = new Uint32Array(new SharedArrayBuffer(4 * (n + 1))).fill(0);
  for (let v = 0; v < n; v++) {
    const d = nodeIdx2Dominator[v]!;
    if (d !== none) domFirst[d + 1]++;
  }
  for (let v = 0; v < n; v++) domFirst[v + 1] += domFirst[v]!;
  const domChildren = new Uint32Array(new SharedArrayBuffer(4 * domFirst[n]!)).fill(0);
  const cursor = domFirst.slice(0, n);
  for (let v = 0; v < n; v++) {
    const d = nodeIdx2Dominator[v]!;
    if (d !== none) domChildren[cursor[d]!++] = v;
  }
  return { domFirst, domChildren };
}

/**
 * For each string s > 0, how many leading bytes it shares with string s - 1 (at most 255; string 0:
 * 0). Label search (format/strings.ts) uses it to pass along a run of strings that all hold the
 * needle at the same offset without comparing their bytes.
 */
export function commonPrefixes(blob: Uint8Array, offsets: Uint32Array, count: number): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(Math.max(count, 1)));
  for (let s = 1; s < count; s++) {
    const a = offsets[s - 1]!;
    const b = offsets[s]!;
    const max = Math.min(255, b - a, offsets[s + 1]! - b);
    let i = 0;
    while (i < max && blob[a + i] === blob[b + i]) i++;
    out[s] = i;
  }
  return out;
}

/** `out` from `from` on: a copy of `src` (the retained stage's starting values, copied early). */
export function copyFrom(src: Float64Array, out: Float64Array, from: number): number {
  out.set(src.subarray(from), from);
  return src.length - from;
}

/** The functions in this file, in an order the helper thread can define them in. */
export const EDGE_SOURCE = [
  touchPages,
  dominatorRows,
  copyFrom,
  fillRetainers,
  strongLeaves,
  breadthFirst,
  gatherPreorder,
  indexTypes,
  indexLabels,
  fillLabelRetained,
  commonPrefixes,
];
