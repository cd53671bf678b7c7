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
    const outcome = search(model, part, { maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS });
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

/** A call or return in the time-ordered list the search walks; a call knows its return. */
interface Entry {
  id: number;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

export interface SearchOptions<S> {
  /** The state before the first call; default `model.init()`. */
  start?: S;
  maxSteps: number;
  /** Called with the state after each complete linearization; `true` goes on looking for more. */
  onComplete?: (state: S) => boolean;
}

/**
 * Looks for an order of the calls that respects real time (a call that returned before another
 * was made comes first) and the model. `ok`: one was found (with `onComplete` asking for more:
 * at least one); `illegal`: there is none; `unknown`: the step budget ran out first.
 */
export function search<S, I, O>(
  model: Model<S, I, O>,
  ops: Operation<I, O>[],
  options: SearchOptions<S>,
): { verdict: Verdict; steps: number } {
  const head = entryList(ops);
  const linearized = new Bits(ops.length);
  const seen = new Set<string>();
  const stack: { entry: Entry; state: S }[] = [];
  let state = options.start ?? model.init();
  let entry = head.next;
  let steps = 0;
  let complete = false;
  for (;;) {
    if (++steps > options.maxSteps) return { verdict: 'unknown', steps };
    if (head.next === undefined) {
      complete = true;
      if (options.onComplete?.(state) !== true) return { verdict: 'ok', steps };
    } else {
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
        continue;
      }
    }
    // A return whose call was not linearized before it (or a complete order, when looking for
    // more): undo the last choice.
    const top = stack.pop();
    if (top === undefined) return { verdict: complete ? 'ok' : 'illegal', steps };
    state = top.state;
    linearized.clear(top.entry.id);
    unlift(top.entry);
    entry = top.entry.next;
  }
}

/** Calls and returns by time (a call first on a tie: touching intervals overlap), after a head. */
function entryList<I, O>(ops: Operation<I, O>[]): Entry {
  const events = ops.flatMap((op, id) => [
    { id, time: op.call, isCall: true },
    { id, time: op.return, isCall: false },
  ]);
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const returns = ops.map((_, id) => newEntry(id, undefined));
  const head = newEntry(-1, undefined);
  let last = head;
  for (const event of events) {
    const entry = event.isCall ? newEntry(event.id, returns[event.id]) : returns[event.id]!;
    entry.prev = last;
    last.next = entry;
    last = entry;
  }
  return head;
}

function newEntry(id: number, match: Entry | undefined): Entry {
  return { id, match, prev: undefined, next: undefined };
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
