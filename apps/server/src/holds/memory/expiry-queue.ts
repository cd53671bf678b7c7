// Min-queue of one event's hold expiries, so the sweeper finds the earliest lapsed holds without
// scanning every seat. Superseded entries are dropped lazily; a map says which expiry is current.

export interface Expiry {
  seatId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Earliest expiry first; equal expiries by seat id (code-unit order, as Redis sorts members). */
export function compareExpiry(a: Expiry, b: Expiry): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt - b.expiresAt;
  if (a.seatId === b.seatId) return 0;
  return a.seatId < b.seatId ? -1 : 1;
}

// Stale entries may outnumber live ones by this factor (plus slack) before the heap is rebuilt,
// which keeps memory bounded while each rebuild is paid for by as many updates.
const STALE_FACTOR = 2;
const STALE_SLACK = 64;

export class ExpiryQueue {
  private readonly current = new Map<string, number>();
  private heap: Expiry[] = [];

  /** Number of seats with a current expiry. */
  get size(): number {
    return this.current.size;
  }

  /** Heap entries, stale ones included (for tests of the compaction). */
  get heapSize(): number {
    return this.heap.length;
  }

  get(seatId: string): number | undefined {
    return this.current.get(seatId);
  }

  /** Sets or moves the seat's expiry. */
  set(seatId: string, expiresAt: number): void {
    if (this.current.get(seatId) === expiresAt) return;
    this.current.set(seatId, expiresAt);
    this.push({ seatId, expiresAt });
    this.compactIfBloated();
  }

  delete(seatId: string): void {
    if (this.current.delete(seatId)) this.compactIfBloated();
  }

  clear(): void {
    this.current.clear();
    this.heap = [];
  }

  /** Removes and returns up to `limit` seats whose expiry is `<= now`, in `compareExpiry` order. */
  popExpired(now: number, limit: number): Expiry[] {
    const due: Expiry[] = [];
    while (due.length < limit) {
      const top = this.heap[0];
      if (top === undefined) break;
      if (this.current.get(top.seatId) !== top.expiresAt) {
        this.popTop();
        continue;
      }
      if (top.expiresAt > now) break;
      this.popTop();
      // Deleting the current expiry turns any duplicate entry of the same value stale.
      this.current.delete(top.seatId);
      due.push(top);
    }
    return due;
  }

  private compactIfBloated(): void {
    if (this.heap.length <= STALE_FACTOR * this.current.size + STALE_SLACK) return;
    this.heap = [...this.current].map(([seatId, expiresAt]) => ({ seatId, expiresAt }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private push(entry: Expiry): void {
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
  }

  private popTop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Expiry;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as Expiry;
      if (compareExpiry(entry, above) >= 0) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Expiry;
    const n = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && compareExpiry(heap[right] as Expiry, heap[left] as Expiry) < 0) {
        child = right;
      }
      const below = heap[child] as Expiry;
      if (compareExpiry(below, entry) >= 0) break;
      heap[i] = below;
      i = child;
    }
    heap[i] = entry;
  }
}
