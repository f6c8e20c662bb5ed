// Progress and cancellation for the indexing stages. Stages run in a worker thread; they call
// `checkpoint()` between chunks of work so that progress events go out and an abort is seen.
import { STAGES, type Stage } from '../shared/contract';
import { cancelledError } from './errors';

export interface StageProgress {
  stage: Stage;
  stageIndex: number;
  done: number;
  total: number;
  percent: number;
  /** What the header will say, once the edges stage has dropped the references it cannot resolve. */
  counts?: LoadCounts;
}

/** The snapshot's totals as the header shows them (SnapshotTotals.objects and .edges). */
export interface LoadCounts {
  objects: number;
  edges: number;
}

/** Share of the whole load each stage takes, measured on synthetic 10M-object heaps (sums to 100). */
const STAGE_WEIGHT: Record<Stage, number> = {
  read: 45,
  edges: 15,
  retainers: 10,
  distances: 6,
  dominators: 14,
  retained: 3,
  aggregates: 6,
  insights: 1,
};

/** How often a checkpoint actually yields to the event loop; yielding costs ~0.1 ms. */
const YIELD_EVERY_MS = 40;

export class StageContext {
  private stageIndex = 0;
  private lastYield = performance.now();
  readonly stageSeconds: Partial<Record<Stage, number>> = {};
  /** CPU seconds (user + system) per stage: on a shared machine, wall time also counts waiting. */
  readonly stageCpuSeconds: Partial<Record<Stage, number>> = {};
  /**
   * Page faults per stage: the first touch of each 4 KiB of a new array costs the kernel ~1.4 µs
   * here, ~1 s for a 10M-object heap, so where they happen matters as much as the loops.
   */
  readonly stagePageFaults: Partial<Record<Stage, number>> = {};
  private stageStart = performance.now();
  private stageCpuStart = process.cpuUsage();
  private stageFaultStart = process.resourceUsage().minorPageFault;
  private started = false;
  private counts: LoadCounts | undefined;

  constructor(
    private readonly onProgress: ((p: StageProgress) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Starts `stage`; the previous stage is finished. An abort is seen at every stage boundary. */
  begin(stage: Stage, total: number): void {
    this.throwIfAborted();
    this.finishCurrent();
    this.stageIndex = STAGES.indexOf(stage);
    this.stageStart = performance.now();
    this.stageCpuStart = process.cpuUsage();
    this.stageFaultStart = process.resourceUsage().minorPageFault;
    this.started = true;
    this.emit(0, total);
  }

  /** From here on every event carries `counts` (the edges stage knows which edges are kept). */
  setCounts(counts: LoadCounts): void {
    this.counts = counts;
  }

  /** Records the running stage's wall time; called by `begin` and once after the last stage. */
  finishCurrent(): void {
    if (!this.started) return;
    const stage = STAGES[this.stageIndex]!;
    this.stageSeconds[stage] = (performance.now() - this.stageStart) / 1000;
    const cpu = process.cpuUsage(this.stageCpuStart);
    this.stageCpuSeconds[stage] = (cpu.user + cpu.system) / 1e6;
    this.stagePageFaults[stage] = process.resourceUsage().minorPageFault - this.stageFaultStart;
    this.emit(1, 1);
  }

  /** Reports `done` of `total` and, every few tens of milliseconds, yields and checks for abort. */
  async checkpoint(done: number, total: number): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_EVERY_MS) return;
    this.emit(done, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
    this.throwIfAborted();
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw cancelledError();
  }

  private emit(done: number, total: number): void {
    if (!this.onProgress) return;
    const stage = STAGES[this.stageIndex]!;
    let before = 0;
    for (let i = 0; i < this.stageIndex; i++) before += STAGE_WEIGHT[STAGES[i]!];
    const within = total > 0 ? Math.min(1, done / total) : 0;
    const percent = Math.min(100, before + STAGE_WEIGHT[stage] * within);
    const event: StageProgress = { stage, stageIndex: this.stageIndex, done, total, percent };
    if (this.counts !== undefined) event.counts = this.counts;
    this.onProgress(event);
  }
}
