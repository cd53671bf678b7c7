// Small shared tools of the bench: a seeded random source, a FIFO queue, bounded concurrency,
// percentiles and sleeping. Nothing here knows about Ticketmain.

/** Node's promise timer, named apart from the callback setTimeout that some callers also use. */
export { setTimeout as sleep } from 'node:timers/promises';

/** A seeded PRNG (mulberry32): the same seed gives the same run of seats and sessions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `count` distinct items of `items`, chosen at random. */
export function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, items.length)) picked.add(randomInt(random, items.length));
  return [...picked].map((i) => items[i] as T);
}

/** A queue with O(1) push and shift (Array#shift is O(n)). */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * Runs fn over items with at most `limit` calls in flight, starting no new call after `deadline`
 * (epoch ms). Returns the results in item order; items never started are left undefined.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  deadline: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<{ results: Array<R | undefined>; started: number; timedOut: boolean }> {
  const results: Array<R | undefined> = new Array<R | undefined>(items.length);
  let next = 0;
  let timedOut = false;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (Date.now() >= deadline) {
        timedOut = true;
        return;
      }
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { results, started: next, timedOut };
}

/** The p-th percentile (0–100) of the values, nearest rank; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

export function sortedCopy(values: readonly number[]): number[] {
  // A typed array sorts numerically (Array#sort compares strings).
  return Array.from(Float64Array.from(values).sort());
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
