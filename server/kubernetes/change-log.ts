// The numbered change log of a watch cache: subscribers resume from a position in it, and a
// position from before the last full (re)load, or older than the log reaches, needs a snapshot.
import type { LiveChange } from './types';

export class ChangeLog {
  private readonly entries: { seq: number; change: LiveChange }[] = [];
  private current = 0;
  /** Position of the last full (re)load: a subscriber from before it needs a snapshot. */
  private resetSeq = 0;

  constructor(private readonly size: number) {}

  /** The position of the newest change (or reset). */
  get seq(): number {
    return this.current;
  }

  /** Records a full (re)load and returns its position. */
  reset(): number {
    this.current += 1;
    this.resetSeq = this.current;
    return this.current;
  }

  /** Appends the changes (one position each), keeps the newest `size`, returns the last position. */
  append(changes: LiveChange[]): number {
    for (const change of changes) {
      this.current += 1;
      this.entries.push({ seq: this.current, change });
    }
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
    return this.current;
  }

  /** Changes after `seq`, or undefined when the log no longer reaches back that far. */
  since(seq: number): LiveChange[] | undefined {
    if (seq > this.current || seq < this.resetSeq) return undefined;
    if (seq === this.current) return [];
    const first = this.entries[0];
    if (!first || first.seq > seq + 1) return undefined;
    return this.entries.filter((entry) => entry.seq > seq).map((entry) => entry.change);
  }
}
