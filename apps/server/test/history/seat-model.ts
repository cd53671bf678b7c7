// The seat contract of docs/api.md as a sequential model for the checker: each seat AVAILABLE,
// HELD by a session or SOLD to one, and the HTTP answer each call gets in each state.
import type { Model, Operation } from './checker.js';

export type SeatState = 'AVAILABLE' | `HELD ${string}` | `SOLD ${string}`;

/** A call of the API by a session: one seat, or a seat snapshot (with the session's token). */
export type SeatCall =
  | { kind: 'hold' | 'release' | 'order'; session: string; seat: string }
  | { kind: 'snapshot'; session: string; seats: string[] };

/**
 * A seat as a snapshot with the reader's token shows it: in none of the lists, in `mine` (and
 * `held`), in `held` only, in `sold`; or any other combination, e.g. `IN mine+sold`, which no
 * state shows.
 */
export type SeatView = 'AVAILABLE' | 'MINE' | 'HELD' | 'SOLD' | `IN ${string}`;

/** A status and code, e.g. `201` or `409 SEAT_UNAVAILABLE held` (the detail: held or sold). */
export type Answer = string;

/** An answer that never came (a 5xx, a dropped connection): the call may or may not have run. */
export const UNKNOWN = 'UNKNOWN';

export type SeatOutput = Answer | { views: Record<string, SeatView> };

export type SeatOperation = Operation<SeatCall, SeatOutput>;

/** The answers the server gives, as `answerOf` (http-history.ts) spells them. */
export const ANSWER = {
  created: '201',
  released: '204',
  heldByOther: '409 SEAT_UNAVAILABLE held',
  soldAlready: '409 SEAT_UNAVAILABLE sold',
  notOwner: '403 NOT_OWNER',
  holdNotFound: '404 HOLD_NOT_FOUND',
  inCheckout: '409 CHECKOUT_IN_PROGRESS',
  notHeld: '409 SEAT_NOT_HELD',
  seatSold: '409 SEAT_SOLD',
} as const;

/** Seat → state; a seat not listed is AVAILABLE. */
export type EventState = Readonly<Record<string, SeatState>>;

type SingleCall = Extract<SeatCall, { seat: string }>;

/**
 * The answers a call may get in a state, with the state after each; the first is the one it
 * gets when it runs (used for an unknown outcome). Not modelled: expiry (a test ends long
 * before the hold TTL) and HOLD_LIMIT (no test session holds MAX_SEATS_PER_SESSION seats).
 */
export function transitions(state: SeatState, call: SingleCall): [Answer, SeatState][] {
  const mine = state === `HELD ${call.session}`;
  const heldByOther = state.startsWith('HELD ') && !mine;
  const sold = state.startsWith('SOLD ');
  switch (call.kind) {
    case 'hold':
      if (sold) return [[ANSWER.soldAlready, state]];
      if (heldByOther) return [[ANSWER.heldByOther, state]];
      // Holding a seat you already hold succeeds and keeps it.
      return [[ANSWER.created, `HELD ${call.session}`]];
    case 'release':
      if (heldByOther) return [[ANSWER.notOwner, state]];
      // While an order of the seat is in flight the release is refused; the order takes effect
      // later (or fails), so a refusal reads the seat HELD by this session and changes nothing.
      if (mine)
        return [
          [ANSWER.released, 'AVAILABLE'],
          [ANSWER.inCheckout, state],
        ];
      return [[ANSWER.holdNotFound, state]];
    case 'order':
      if (sold) return [[ANSWER.seatSold, state]];
      // A second order while the first is in flight: refused, the seat still held.
      if (mine)
        return [
          [ANSWER.created, `SOLD ${call.session}`],
          [ANSWER.inCheckout, state],
        ];
      return [[ANSWER.notHeld, state]];
  }
}

export function viewOf(state: SeatState, reader: string): SeatView {
  if (state === 'AVAILABLE') return 'AVAILABLE';
  if (state.startsWith('SOLD ')) return 'SOLD';
  return state === `HELD ${reader}` ? 'MINE' : 'HELD';
}

function seatOf(state: EventState, seat: string): SeatState {
  return state[seat] ?? 'AVAILABLE';
}

function step(state: EventState, call: SeatCall, output: SeatOutput): EventState | undefined {
  if (call.kind === 'snapshot') {
    if (output === UNKNOWN) return state;
    if (typeof output === 'string') return undefined;
    const views = output.views;
    const same = call.seats.every((s) => views[s] === viewOf(seatOf(state, s), call.session));
    return same ? state : undefined;
  }
  const options = transitions(seatOf(state, call.seat), call);
  const taken = output === UNKNOWN ? options[0] : options.find(([answer]) => answer === output);
  if (taken === undefined) return undefined;
  const next = taken[1];
  if (next === seatOf(state, call.seat)) return state;
  // AVAILABLE seats are left out, so equal states have equal keys.
  const { [call.seat]: _dropped, ...others } = state;
  return next === 'AVAILABLE' ? others : { ...others, [call.seat]: next };
}

function key(state: EventState): string {
  return Object.keys(state)
    .sort()
    .map((seat) => `${seat}=${state[seat]}`)
    .join(',');
}

function seatsOf(call: SeatCall): string[] {
  return call.kind === 'snapshot' ? call.seats : [call.seat];
}

/**
 * Seats are independent in the model, so a history of one-seat calls is checked seat by seat.
 * A snapshot reads every seat at one instant, which a per-seat check cannot see: a history with
 * one is checked whole (see `projectBySeat` for the cheaper, weaker check).
 */
function partition(history: SeatOperation[]): SeatOperation[][] {
  if (history.some((op) => seatsOf(op.input).length > 1)) return [history];
  const bySeat = new Map<string, SeatOperation[]>();
  for (const op of history) {
    const seat = seatsOf(op.input)[0];
    if (seat === undefined) continue;
    const ops = bySeat.get(seat) ?? [];
    ops.push(op);
    bySeat.set(seat, ops);
  }
  return [...bySeat.values()];
}

/**
 * The history with each snapshot cut into one read per seat: each seat's own history, checked
 * alone. Weaker than the whole (it cannot tell a snapshot mixing two instants), much cheaper.
 */
export function projectBySeat(history: SeatOperation[]): SeatOperation[] {
  return history.flatMap((op) => {
    const { input, output } = op;
    if (input.kind !== 'snapshot') return [op];
    return input.seats.map((seat) => ({
      ...op,
      input: { ...input, seats: [seat] },
      output:
        typeof output === 'string'
          ? output
          : { views: { [seat]: output.views[seat] ?? 'AVAILABLE' } },
    }));
  });
}

/** Snapshots and refusals change nothing; a success or an unknown outcome may. */
function readOnly(op: SeatOperation): boolean {
  if (op.input.kind === 'snapshot') return true;
  return op.output !== UNKNOWN && op.output !== ANSWER.created && op.output !== ANSWER.released;
}

function describe(op: SeatOperation): string {
  const { input, output } = op;
  if (input.kind !== 'snapshot') {
    return `${input.session} ${input.kind} ${input.seat} → ${String(output)}`;
  }
  const views =
    typeof output === 'string'
      ? output
      : input.seats.map((seat) => `${seat} ${output.views[seat] ?? '?'}`).join(', ');
  return `${input.session} snapshot → ${views}`;
}

/**
 * Refusals for CHECKOUT_IN_PROGRESS that no order of the seat by the same session overlaps.
 * The model lets one happen whenever the session holds the seat; the server only refuses while
 * such an order is being placed, so each must overlap one (an unknown one overlaps all later).
 */
export function checkoutRefusalsWithoutOrder(history: SeatOperation[]): SeatOperation[] {
  const orders = history.filter((op) => op.input.kind === 'order');
  return history.filter((op) => {
    const { input } = op;
    if (op.output !== ANSWER.inCheckout || input.kind === 'snapshot') return false;
    return !orders.some(
      (o) =>
        o !== op &&
        o.input.session === input.session &&
        o.input.kind === 'order' &&
        o.input.seat === input.seat &&
        o.call <= op.return &&
        op.call <= o.return,
    );
  });
}

export const seatModel: Model<EventState, SeatCall, SeatOutput> = {
  init: () => ({}),
  step,
  key,
  partition,
  unknown: UNKNOWN,
  readOnly,
  describe,
};
