/**
 * The entity refs the catalog was seen to have, each remembered for a while, so that CI sending a batch of events
 * every few seconds for the same services does not make the catalog look them up (and gzip its answer, and sign and
 * check a token) for every batch. Only a ref the catalog has is remembered: a ref it does not have is asked again
 * next time, so an entity registered a moment ago is accepted at once. An entity deleted from the catalog is still
 * accepted for at most `ttlMs` after it was last seen.
 */
export class KnownEntities {
  /** ref → when it stops being trusted (epoch ms); insertion order is the order the refs were last seen. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly options: {
      /** How long a seen ref is trusted without asking the catalog again. */
      ttlMs: number;
      /** How many refs are remembered; the least recently seen go first. */
      maxEntries: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** The refs of these not seen in the catalog within the time to live. */
  unknown(entityRefs: string[]): string[] {
    const now = this.now();
    return entityRefs.filter(ref => {
      const until = this.seen.get(ref);
      if (until === undefined) return true;
      if (until <= now) {
        this.seen.delete(ref);
        return true;
      }
      return false;
    });
  }

  /** Remembers that the catalog has these refs, now. */
  remember(entityRefs: string[]): void {
    const until = this.now() + this.options.ttlMs;
    for (const ref of entityRefs) {
      // Delete first so that the ref moves to the end of the insertion order.
      this.seen.delete(ref);
      this.seen.set(ref, until);
    }
    const excess = this.seen.size - this.options.maxEntries;
    if (excess > 0) {
      let dropped = 0;
      for (const ref of this.seen.keys()) {
        if (dropped++ >= excess) break;
        this.seen.delete(ref);
      }
    }
  }
}
