// Linearizability of a recorded history against a sequential model: the search of Wing & Gong
// with Lowe's memoisation, as porcupine (github.com/anishathalye/porcupine) does it.

/** One call of a client: when it was made, when its answer came back, and what it was. */
export interface Operation<I, O> {
  client: number;
  call: number;
  /** Infinity when the outcome is unknown: the call may have taken effect at any later time. */
  return: number;
  input: I;
  output: O;
}

/** A sequential specification. States are values: `step` never changes the one it is given. */
export interface Model<S, I, O> {
  init(): S;
  /** The state after `input` answered `output` in `state`; undefined if it cannot answer so. */
  step(state: S, input: I, output: O): S | undefined;
  /** Equal for equal states: the memo keys on it. */
  key(state: S): string;
  /** Sub-histories on independent parts of the state (P-compositionality); default: one. */
  partition?(history: Operation<I, O>[]): Operation<I, O>[][];
  /** The output of a call whose answer never came: it may have taken effect, or not. */
  unknown?: O;
  /** True if the operation changes no state wherever it is placed (a read, a refusal). */
  readOnly?(op: Operation<I, O>): boolean;
  describe?(op: Operation<I, O>): string;
}

export interface CheckOptions {
  /** Search steps allowed per partition before giving up ('unknown'). */
  maxSteps?: number;
}

export type Verdict = 'ok' | 'illegal' | 'unknown';

export interface CheckResult<I, O> {
  verdict: Verdict;
  partitions: number;
  operations: number;
  /** Search steps taken, summed over the partitions. */
  steps: number;
  /** The first partition that is not linearizable (or was given up on). */
  failing?: Operation<I, O>[];
}

const DEFAULT_MAX_STEPS = 5_000_000;

export function check<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  const partitions = model.partition?.(history) ?? [history];
  let steps = 0;
  for (const part of partitions) {
    const outcome = search(model, part, options.maxSteps ?? DEFAULT_MAX_STEPS);
    steps += outcome.steps;
    if (outcome.verdict !== 'ok') {
      return {
        verdict: outcome.verdict,
        partitions: partitions.length,
        operations: history.length,
        steps,
        failing: part,
      };
    }
  }
  return { verdict: 'ok', partitions: partitions.length, operations: history.length, steps };
}

/**
 * A short sub-history that is still not linearizable, for reports: the history up to the
 * earliest moment it cannot be linearized (calls still open then get the unknown output), then
 * without each read-only operation the contradiction does not need. Other operations are kept:
 * dropping a hold, say, would make a later sale impossible for a reason the server never had.
 */
export function shrink<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): Operation<I, O>[] {
  const illegal = (ops: Operation<I, O>[]) =>
    search(model, ops, options.maxSteps ?? DEFAULT_MAX_STEPS).verdict === 'illegal';
  let kept = history;
  if (model.unknown !== undefined) {
    const unknown = model.unknown;
    const cuts = [...new Set(history.map((op) => op.return))].sort((a, b) => a - b);
    // Illegality only grows with the cut: bisect for the first cut that shows it.
    let [low, high] = [0, cuts.length - 1];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (illegal(prefix(history, cuts[mid]!, unknown))) high = mid;
      else low = mid + 1;
    }
    kept = prefix(history, cuts[low] ?? Infinity, unknown);
  }
  for (let i = kept.length - 1; i >= 0; i--) {
    if (model.readOnly?.(kept[i]!) !== true) continue;
    const without = [...kept.slice(0, i), ...kept.slice(i + 1)];
    if (illegal(without)) kept = without;
  }
  return kept;
}

/**
 * What had happened by `time`: the calls made by then, those still open with an unknown outcome.
 * Linearizable whenever the whole history is (the open calls can take effect then or never).
 */
export function prefix<I, O>(
  history: Operation<I, O>[],
  time: number,
  unknown: O,
): Operation<I, O>[] {
  return history
    .filter((op) => op.call <= time)
    .map((op) => (op.return <= time ? op : { ...op, return: Infinity, output: unknown }));
}

/** One line per operation, in call order, times relative to the first call. */
export function describeHistory<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
): string {
  const ordered = [...history].sort((a, b) => a.call - b.call);
  const start = ordered[0]?.call ?? 0;
  const ms = (t: number) => (t === Infinity ? '∞' : (t - start).toFixed(2));
  return ordered
    .map((op) => {
      const what = model.describe?.(op) ?? JSON.stringify({ input: op.input, output: op.output });
      return `[${ms(op.call)}, ${ms(op.return)}] client ${op.client}: ${what}`;
    })
    .join('\n');
}

/** A call or return in the time-ordered list the search walks; a call knows its return. */
interface Entry {
  id: number;
  time: number;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

function search<S, I, O>(
  model: Model<S, I, O>,
  ops: Operation<I, O>[],
  maxSteps: number,
): { verdict: Verdict; steps: number } {
  const head = entryList(ops);
  const linearized = new Bits(ops.length);
  const seen = new Set<string>();
  const stack: { entry: Entry; state: S }[] = [];
  let state = model.init();
  let entry = head.next;
  let steps = 0;
  while (head.next !== undefined) {
    if (++steps > maxSteps) return { verdict: 'unknown', steps };
    if (entry === undefined) throw new Error('a call without its return');
    if (entry.match !== undefined) {
      const op = ops[entry.id]!;
      const next = model.step(state, op.input, op.output);
      if (next !== undefined) {
        linearized.set(entry.id);
        const key = `${linearized.key()}|${model.key(next)}`;
        if (!seen.has(key)) {
          // Linearize this call here and start again from the earliest remaining entry.
          seen.add(key);
          stack.push({ entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        linearized.clear(entry.id);
      }
      entry = entry.next;
    } else {
      // A return whose call was not linearized before it: undo the last choice.
      const top = stack.pop();
      if (top === undefined) return { verdict: 'illegal', steps };
      state = top.state;
      linearized.clear(top.entry.id);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return { verdict: 'ok', steps };
}

/** Calls and returns by time (a call first on a tie: touching intervals overlap), after a head. */
function entryList<I, O>(ops: Operation<I, O>[]): Entry {
  const events = ops.flatMap((op, id) => [
    { id, time: op.call, isCall: true },
    { id, time: op.return, isCall: false },
  ]);
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const returns = ops.map((op, id) => newEntry(id, op.return, undefined));
  const head = newEntry(-1, -Infinity, undefined);
  let last = head;
  for (const event of events) {
    const entry = event.isCall
      ? newEntry(event.id, event.time, returns[event.id])
      : returns[event.id]!;
    entry.prev = last;
    last.next = entry;
    last = entry;
  }
  return head;
}

function newEntry(id: number, time: number, match: Entry | undefined): Entry {
  return { id, time, match, prev: undefined, next: undefined };
}

/** Takes a call and its return out of the list. */
function lift(call: Entry): void {
  unlink(call);
  unlink(call.match!);
}

/** Puts them back where they were (in reverse order of lift). */
function unlift(call: Entry): void {
  relink(call.match!);
  relink(call);
}

function unlink(entry: Entry): void {
  entry.prev!.next = entry.next;
  if (entry.next !== undefined) entry.next.prev = entry.prev;
}

function relink(entry: Entry): void {
  entry.prev!.next = entry;
  if (entry.next !== undefined) entry.next.prev = entry;
}

/** The set of linearized operations; its key is one UTF-16 unit per 16 operations. */
class Bits {
  private readonly words: Uint16Array;
  constructor(size: number) {
    this.words = new Uint16Array(Math.ceil(size / 16));
  }
  set(i: number): void {
    this.words[i >> 4]! |= 1 << (i & 15);
  }
  clear(i: number): void {
    this.words[i >> 4]! &= ~(1 << (i & 15));
  }
  key(): string {
    return String.fromCharCode(...this.words);
  }
}
