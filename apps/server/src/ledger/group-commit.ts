// Group commit: items submitted while a write is in flight wait and go out together, as one
// batch, when a write slot frees up. No timer: an item that finds a free slot is written at once.

export interface GroupCommitOptions {
  /** Most items written together. */
  maxBatch: number;
  /** Batches written at the same time; more items queue until one of them ends. */
  maxInFlight: number;
}

/** Writes a batch; answers one settled result per item, in the items' order. */
export type WriteBatch<T, R> = (items: T[]) => Promise<Array<PromiseSettledResult<R>>>;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (reason: unknown) => void;
}

export class GroupCommit<T, R> {
  private readonly queue: Array<Waiting<T, R>> = [];
  private inFlight = 0;

  constructor(
    private readonly writeBatch: WriteBatch<T, R>,
    private readonly options: GroupCommitOptions,
  ) {
    if (options.maxBatch < 1 || options.maxInFlight < 1) {
      throw new RangeError('group commit: maxBatch and maxInFlight must be at least 1');
    }
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Items waiting for a write slot (not those being written). */
  get queued(): number {
    return this.queue.length;
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      this.inFlight++;
      void this.flush(this.queue.splice(0, this.options.maxBatch));
    }
  }

  private async flush(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => {
        const result = results[i];
        if (result === undefined) waiting.reject(new Error('group commit: no result for an item'));
        else if (result.status === 'fulfilled') waiting.resolve(result.value);
        else waiting.reject(result.reason);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight--;
      this.drain();
    }
  }
}
