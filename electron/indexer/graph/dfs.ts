// Depth-first preorder numbering over strong edges, the first half of the dominator computation.
// Iterative with explicit stacks: heaps have reference chains millions deep (linked lists, frames),
// and recursion would overflow the JS stack long before that.
import { EDGE_KIND } from '../format/spec';
import { prefaulted, sharedUint32 } from '../parallel/shared';
import { FIRST_OBJECT } from './layout';
import type { SyntheticEdges } from './roots';

const STACK_START = 1 << 16;

export interface Preorder {
  /** nodeIdx2Preorder: 1-based preorder number, 0 = not visited. */
  pre: Uint32Array;
  /** preorder2NodeIdx (index 0 unused). */
  vertex: Uint32Array;
  /** preorder2ParentPreorder in the DFS tree; 0 for a tree root. */
  parent: Uint32Array;
  /** Numbers handed out so far. */
  count: number;
}

export class DepthFirst {
  readonly order: Preorder;
  private stackNode: Uint32Array;
  private stackPos: Uint32Array;
  /**
   * One bit per node, set when numbered. The per-edge "seen?" test reads this (n/8 bytes: it stays
   * in cache) instead of `pre` (4n bytes: a cache miss per edge on a large heap).
   */
  private seen: Int32Array;
  private sp = 0;

  constructor(
    n: number,
    private readonly firstEdge: Uint32Array,
    private readonly edgeTarget: Uint32Array,
    private readonly edgeKind: Uint8Array,
    public synthetic: SyntheticEdges,
    /** Nodes never to number (a bitset): they start out "seen", so no edge leads the DFS into them. */
    skip: Int32Array,
  ) {
    this.order = {
      // Written at random (see parallel/shared.ts); shared: the helper gathers from it.
      pre: prefaulted(sharedUint32(n)),
      vertex: new Uint32Array(n + 1),
      parent: new Uint32Array(n + 1),
      count: 0,
    };
    // Grown on demand: a heap's depth is rarely more than thousands, but can be n (a linked list);
    // n-sized stacks from the start cost 8 bytes an object at the stage where memory peaks.
    this.stackNode = new Uint32Array(STACK_START);
    this.stackPos = new Uint32Array(STACK_START);
    this.seen = Int32Array.from(skip);
  }

  /** Numbers `v` as a child of preorder number `parentPre` (0: a new tree) and queues it for expansion. */
  start(v: number, parentPre: number): void {
    const o = this.order;
    const num = ++o.count;
    o.pre[v] = num;
    this.seen[v >>> 5] |= 1 << (v & 31);
    o.vertex[num] = v;
    o.parent[num] = parentPre;
    if (this.sp === this.stackNode.length) this.grow();
    this.stackNode[this.sp] = v;
    this.stackPos[this.sp] = v < FIRST_OBJECT ? this.synthetic.first[v]! : this.firstEdge[v]!;
    this.sp++;
  }

  private grow(): void {
    const node = new Uint32Array(this.stackNode.length * 2);
    node.set(this.stackNode);
    const pos = new Uint32Array(this.stackPos.length * 2);
    pos.set(this.stackPos);
    this.stackNode = node;
    this.stackPos = pos;
  }

  /** Frees the stacks once numbering is over (they can be as large as the heap). */
  release(): void {
    this.stackNode = new Uint32Array(0);
    this.stackPos = new Uint32Array(0);
    this.seen = new Int32Array(0);
  }

  get done(): boolean {
    return this.sp === 0;
  }

  /** Runs at most `budget` steps; returns steps taken. */
  run(budget: number): number {
    const { firstEdge, edgeTarget, edgeKind, seen } = this;
    let { stackNode, stackPos } = this;
    const { first: synFirst, target: synTarget } = this.synthetic;
    const pre = this.order.pre;
    let steps = 0;
    while (this.sp > 0 && steps < budget) {
      steps++;
      const top = this.sp - 1;
      const v = stackNode[top]!;
      let pos = stackPos[top]!;
      let next = -1;
      if (v < FIRST_OBJECT) {
        const end = synFirst[v + 1]!;
        while (pos < end && next < 0) {
          const t = synTarget[pos++]!;
          if ((seen[t >>> 5]! & (1 << (t & 31))) === 0) next = t;
        }
      } else {
        const end = firstEdge[v + 1]!;
        while (pos < end && next < 0) {
          const e = pos++;
          if (edgeKind[e] === EDGE_KIND.WEAK) continue;
          const t = edgeTarget[e]!;
          if ((seen[t >>> 5]! & (1 << (t & 31))) === 0) next = t;
        }
      }
      stackPos[top] = pos;
      if (next < 0) this.sp--;
      else {
        this.start(next, pre[v]!);
        if (this.stackNode !== stackNode) ({ stackNode, stackPos } = this); // grown
      }
    }
    return steps;
  }
}
