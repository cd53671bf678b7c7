// Reports of a history that is not linearizable: the part of it the contradiction needs, from
// the state it starts in, one call per line.
import { search, type Model, type Operation } from './checker.js';

/** Per search: shrinking runs one for each cut and each operation it tries to drop. */
const SHRINK_MAX_STEPS = 200_000;

export interface Shrunk<S, I, O> {
  /** The state every linearization of the dropped beginning ends in. */
  start: S;
  operations: Operation<I, O>[];
}

/**
 * A short sub-history that is still not linearizable: the history up to the earliest moment it
 * cannot be linearized (calls still open then get the unknown output), from the latest quiet
 * moment before that (no call open) after which the state is known for sure, without each
 * call the contradiction does not need among those that cannot change the state (reads,
 * refusals, unknown outcomes of calls made after all the others returned). Other calls are
 * kept: dropping a hold, say, would make a later sale impossible for a reason the server never
 * had.
 */
export function shrink<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
): Shrunk<S, I, O> {
  let shrunk: Shrunk<S, I, O> = {
    start: model.init(),
    operations:
      model.unknown === undefined ? history : earliestIllegal(model, history, model.unknown),
  };
  // Each dropped call may open a quiet moment later on, and each cut may make a call unneeded.
  for (let size = Infinity; shrunk.operations.length < size;) {
    size = shrunk.operations.length;
    shrunk = quietCut(model, shrunk) ?? shrunk;
    shrunk = withoutUnneeded(model, shrunk);
  }
  return shrunk;
}

function withoutUnneeded<S, I, O>(model: Model<S, I, O>, shrunk: Shrunk<S, I, O>): Shrunk<S, I, O> {
  const { start } = shrunk;
  let kept = shrunk.operations;
  for (let i = kept.length - 1; i >= 0; i--) {
    if (!harmless(model, kept, kept[i]!)) continue;
    const without = [...kept.slice(0, i), ...kept.slice(i + 1)];
    if (verdict(model, without, start) === 'illegal') kept = without;
  }
  return { start, operations: kept };
}

/**
 * Whether dropping the call cannot turn a linearizable history into one that is not: it changes
 * no state, or its outcome is unknown and it was made after every other call returned (then it
 * can only take effect after them all, as if never).
 */
function harmless<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  op: Operation<I, O>,
): boolean {
  if (model.readOnly?.(op) === true) return true;
  if (op.return !== Infinity) return false;
  return history.every(
    (other) => other === op || other.return < op.call || other.return === Infinity,
  );
}

/** A search given up on counts as legal: the shrinker keeps what it could not prove unneeded. */
function verdict<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], start: S) {
  return search(model, ops, { start, maxSteps: SHRINK_MAX_STEPS }).verdict;
}

function earliestIllegal<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  unknown: O,
): Operation<I, O>[] {
  const cuts = [...new Set(history.map((op) => op.return))].sort((a, b) => a - b);
  const illegalAt = (i: number) =>
    verdict(model, prefix(history, cuts[i]!, unknown), model.init()) === 'illegal';
  // Illegality only grows with the cut: bisect for the first cut that shows it.
  let [low, high] = [0, cuts.length - 1];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (illegalAt(mid)) high = mid;
    else low = mid + 1;
  }
  return prefix(history, cuts[low] ?? Infinity, unknown);
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

/**
 * The latest quiet moment (every call before it returned, none after it started) at which all
 * linearizations of what came before end in one state, and what comes after is still illegal
 * from it. Every call after such a moment follows every call before it, so the history is
 * linearizable exactly when what follows is, from that state.
 */
function quietCut<S, I, O>(
  model: Model<S, I, O>,
  shrunk: Shrunk<S, I, O>,
): Shrunk<S, I, O> | undefined {
  const ordered = [...shrunk.operations].sort((a, b) => a.call - b.call);
  let latestReturn = -Infinity;
  const quiet: number[] = [];
  ordered.forEach((op, i) => {
    if (i > 0 && latestReturn < op.call) quiet.push(i);
    latestReturn = Math.max(latestReturn, op.return);
  });
  for (const at of quiet.reverse()) {
    const ends = new Map<string, S>();
    const before = search(model, ordered.slice(0, at), {
      start: shrunk.start,
      maxSteps: SHRINK_MAX_STEPS,
      onComplete: (state) => {
        ends.set(model.key(state), state);
        return ends.size < 2;
      },
    });
    const start = [...ends.values()][0];
    if (before.verdict !== 'ok' || ends.size !== 1 || start === undefined) continue;
    const after = ordered.slice(at);
    if (verdict(model, after, start) === 'illegal') return { start, operations: after };
  }
  return undefined;
}

/**
 * The start state, then one line per operation in call order, times from the first call. With
 * the history it was shrunk from, a call cut while still open also shows the answer it got.
 */
export function describeShrunk<S, I, O>(
  model: Model<S, I, O>,
  shrunk: Shrunk<S, I, O>,
  original: Operation<I, O>[] = [],
): string {
  const state = model.key(shrunk.start);
  return `from {${state}}:\n${describeHistory(model, shrunk.operations, original)}`;
}

export function describeHistory<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  original: Operation<I, O>[] = [],
): string {
  const ordered = [...history].sort((a, b) => a.call - b.call);
  const start = ordered[0]?.call ?? 0;
  const ms = (t: number) => (t === Infinity ? '∞' : (t - start).toFixed(2));
  const line = (op: Operation<I, O>) =>
    model.describe?.(op) ?? JSON.stringify({ input: op.input, output: op.output });
  return ordered
    .map((op) => {
      const real = original.find((o) => o.client === op.client && o.call === op.call);
      const cut =
        real !== undefined && real.return !== op.return
          ? ` (open at the cut; then ${line(real)} at ${ms(real.return)})`
          : '';
      return `[${ms(op.call)}, ${ms(op.return)}] client ${op.client}: ${line(op)}${cut}`;
    })
    .join('\n');
}
