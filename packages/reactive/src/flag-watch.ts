/**
 * Which flags changed in the previous round, so that iteration i ≥ 1 only re-tests the
 * handlers that watch one of them (the original's `FlagWatch`).
 *
 * Invariants: `pending` collects every set↔unset transition of the current round, in
 * order, duplicates kept; `commit()` at the end of a round makes them the `changes`
 * that gate the next round; `changes` never changes during a round, so a re-test in
 * the middle of a round sees the same gate as the test at its start.
 */
export class FlagWatch {
  iteration = 0;
  #changes = new Set<string>();
  #pending: string[] = [];

  /** Forget everything: iteration 0, no changes (the start and end of a dispatch). */
  reset(): void {
    this.iteration = 0;
    this.#changes = new Set();
    this.#pending = [];
  }

  /** Record one transition of `flag` in the current round. */
  change(flag: string): void {
    this.#pending.push(flag);
  }

  /** End of a round: what changed in it becomes what the next round looks at. */
  commit(): void {
    this.#changes = new Set(this.#pending);
    this.#pending = [];
  }

  /** The flags that changed in the last committed round. */
  get changes(): ReadonlySet<string> {
    return this.#changes;
  }

  /** True if a handler watching `flags` may be tested in the current iteration. */
  watch(flags: readonly string[]): boolean {
    if (this.iteration === 0) return true;
    for (const flag of flags) if (this.#changes.has(flag)) return true;
    return false;
  }
}
