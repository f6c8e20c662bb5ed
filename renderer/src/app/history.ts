// Back/forward over selections, as a browser does: pushing after going back drops the forward entries.

export class History<T> {
  private entries: T[] = [];
  private cursor = -1;

  constructor(
    private readonly same: (a: T, b: T) => boolean = Object.is,
    private readonly limit = 200,
  ) {}

  get current(): T | undefined {
    return this.entries[this.cursor];
  }

  get canBack(): boolean {
    return this.cursor > 0;
  }

  get canForward(): boolean {
    return this.cursor < this.entries.length - 1;
  }

  /** Records `entry` unless it equals the current one. */
  push(entry: T): void {
    const current = this.current;
    if (current !== undefined && this.same(current, entry)) return;
    this.entries = this.entries.slice(0, this.cursor + 1);
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    this.cursor = this.entries.length - 1;
  }

  back(): T | undefined {
    if (!this.canBack) return undefined;
    this.cursor--;
    return this.current;
  }

  forward(): T | undefined {
    if (!this.canForward) return undefined;
    this.cursor++;
    return this.current;
  }
}
