/**
 * Group commit, as the daily quiz's SubmissionWriter: an item that arrives while earlier ones are
 * being written waits for the next statement, which writes every waiting item at once (items with
 * the same key go to different statements). Thousands of members starting or submitting an exam in
 * the same seconds become a few dozen statements and commits instead of one each; on a quiet server
 * an item is written at once. `write` answers one result per item, in the batch's order.
 */
export class GroupWriter<Item, Result> {
  private waiting: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  private running = 0;

  constructor(
    private readonly write: (batch: Item[]) => Promise<Result[]>,
    private readonly keyOf: (item: Item) => string,
    private readonly maxBatch = 500,
    private readonly maxStatements = 3,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxStatements && this.waiting.length > 0) {
      const keys = new Set<string>();
      const batch: typeof this.waiting = [];
      const later: typeof this.waiting = [];
      for (const w of this.waiting) {
        const key = this.keyOf(w.item);
        if (batch.length < this.maxBatch && !keys.has(key)) { keys.add(key); batch.push(w); } else later.push(w);
      }
      this.waiting = later;
      this.running++;
      void this.run(batch).finally(() => { this.running--; this.pump(); });
    }
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      // one bad item must not fail the others: alone, each gets its own answer
      if (batch.length === 1) { batch[0]!.reject(error); return; }
      for (const w of batch) {
        try { w.resolve((await this.write([w.item]))[0]!); } catch (e) { w.reject(e); }
      }
    }
  }
}
