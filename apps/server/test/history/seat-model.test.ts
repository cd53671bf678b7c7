// The seat model with the checker on small histories written by hand, among them exactly the
// anomaly the checker found before seats were marked in checkout.
import { describe, expect, it } from 'vitest';
import { check } from './checker.js';
import { shrink } from './shrink.js';
import {
  ANSWER,
  UNKNOWN,
  projectBySeat,
  seatModel,
  type SeatOperation,
  type SeatOutput,
  type SeatView,
} from './seat-model.js';

type Span = [call: number, ret: number];

function single(kind: 'hold' | 'release' | 'order') {
  return (client: number, session: string, seat: string, [call, ret]: Span, output: SeatOutput) =>
    ({ client, call, return: ret, input: { kind, session, seat }, output }) as SeatOperation;
}
const hold = single('hold');
const release = single('release');
const order = single('order');
function snapshot(
  client: number,
  session: string,
  [call, ret]: Span,
  views: Record<string, SeatView>,
): SeatOperation {
  const seats = Object.keys(views);
  return {
    client,
    call,
    return: ret,
    input: { kind: 'snapshot', session, seats },
    output: { views },
  };
}

const verdict = (history: SeatOperation[]) => check(seatModel, history).verdict;

describe('seat model', () => {
  // s4 orders B20 in one tab while its other tab releases it; s5 holds it in between.
  const s4holds = hold(0, 's4', 'B20', [0, 1], ANSWER.created);
  const s4orders = (answer: string) => order(0, 's4', 'B20', [2, 10], answer);
  const s4releases = (answer: string) => release(1, 's4', 'B20', [3, 4], answer);
  const s5holds = (answer: string) => hold(2, 's5', 'B20', [5, 6], answer);

  it('finds the anomaly: a release answered 204 during the order, another session held the seat, the order sold it', () => {
    const history = [
      s4holds,
      s4orders(ANSWER.created),
      s4releases(ANSWER.released),
      s5holds(ANSWER.created),
      snapshot(2, 's5', [11, 12], { B20: 'SOLD' }),
    ];
    expect(verdict(history)).toBe('illegal');
    // Without the final read it is already impossible: the sale has no hold to come from.
    expect(verdict(history.slice(0, 4))).toBe('illegal');
    expect(shrink(seatModel, history)).toEqual({
      start: { B20: 'HELD s4' },
      operations: history.slice(1, 4),
    });
  });

  it('accepts the same race with the seat in checkout: the release and the other hold refused', () => {
    const history = [
      s4holds,
      s4orders(ANSWER.created),
      s4releases(ANSWER.inCheckout),
      s5holds(ANSWER.heldByOther),
      snapshot(2, 's5', [11, 12], { B20: 'SOLD' }),
    ];
    expect(verdict(history)).toBe('ok');
  });

  it('accepts a release that came before the checkout: the order is refused, the other session holds', () => {
    const history = [
      s4holds,
      s4orders(ANSWER.notHeld),
      s4releases(ANSWER.released),
      s5holds(ANSWER.created),
      snapshot(2, 's5', [11, 12], { B20: 'MINE' }),
    ];
    expect(verdict(history)).toBe('ok');
    expect(verdict([...history.slice(0, 4), snapshot(2, 's5', [11, 12], { B20: 'SOLD' })])).toBe(
      'illegal',
    );
  });

  it('accepts a release that came after the sale as HOLD_NOT_FOUND, not as 204', () => {
    const after = (answer: string) => release(1, 's4', 'B20', [11, 12], answer);
    expect(verdict([s4holds, s4orders(ANSWER.created), after(ANSWER.holdNotFound)])).toBe('ok');
    expect(verdict([s4holds, s4orders(ANSWER.created), after(ANSWER.released)])).toBe('illegal');
    expect(verdict([s4holds, s4orders(ANSWER.created), after(ANSWER.inCheckout)])).toBe('illegal');
  });

  it('holding again is idempotent; others are refused with held, then sold', () => {
    const history = [
      hold(0, 's1', 'A1', [0, 1], ANSWER.created),
      hold(1, 's1', 'A1', [2, 3], ANSWER.created),
      hold(2, 's2', 'A1', [4, 5], ANSWER.heldByOther),
      release(2, 's2', 'A1', [6, 7], ANSWER.notOwner),
      order(2, 's2', 'A1', [8, 9], ANSWER.notHeld),
      order(0, 's1', 'A1', [10, 11], ANSWER.created),
      hold(2, 's2', 'A1', [12, 13], ANSWER.soldAlready),
      hold(0, 's1', 'A1', [14, 15], ANSWER.soldAlready),
      order(0, 's1', 'A1', [16, 17], ANSWER.seatSold),
      release(0, 's1', 'A1', [18, 19], ANSWER.holdNotFound),
    ];
    expect(verdict(history)).toBe('ok');
    expect(verdict([history[0]!, hold(2, 's2', 'A1', [4, 5], ANSWER.created)])).toBe('illegal');
    expect(verdict([history[0]!, hold(2, 's2', 'A1', [4, 5], ANSWER.soldAlready)])).toBe('illegal');
    expect(verdict([release(0, 's1', 'A1', [0, 1], ANSWER.released)])).toBe('illegal');
  });

  it('two tabs order the same seat: one sale and one CHECKOUT_IN_PROGRESS, never two sales', () => {
    const tab = (client: number, answer: string) => order(client, 's1', 'A1', [2, 6], answer);
    const held = hold(0, 's1', 'A1', [0, 1], ANSWER.created);
    expect(verdict([held, tab(0, ANSWER.created), tab(1, ANSWER.inCheckout)])).toBe('ok');
    expect(verdict([held, tab(0, ANSWER.created), tab(1, ANSWER.created)])).toBe('illegal');
    expect(verdict([held, tab(0, ANSWER.created), tab(1, ANSWER.seatSold)])).toBe('ok');
  });

  it('CHECKOUT_IN_PROGRESS reads the seat held by the caller, and nothing else', () => {
    const refused = release(1, 's1', 'A1', [2, 3], ANSWER.inCheckout);
    expect(verdict([hold(0, 's1', 'A1', [0, 1], ANSWER.created), refused])).toBe('ok');
    expect(verdict([refused])).toBe('illegal');
    expect(verdict([hold(0, 's2', 'A1', [0, 1], ANSWER.created), refused])).toBe('illegal');
  });

  it('an unknown outcome may have happened or not, but not be undone', () => {
    const held = hold(0, 's1', 'A1', [0, 1], ANSWER.created);
    const lost = order(0, 's1', 'A1', [2, Infinity], UNKNOWN);
    const look = (at: number, view: SeatView) => snapshot(1, 's1', [at, at + 1], { A1: view });
    expect(verdict([held, lost, look(5, 'SOLD')])).toBe('ok');
    expect(verdict([held, lost, look(5, 'MINE'), look(7, 'SOLD')])).toBe('ok');
    expect(verdict([held, lost, look(5, 'SOLD'), look(7, 'MINE')])).toBe('illegal');
    expect(verdict([held, lost, hold(2, 's2', 'A1', [5, 6], ANSWER.created)])).toBe('illegal');
  });

  it('a snapshot is one instant: two seats never held together cannot both be mine', () => {
    const history = [
      hold(0, 's1', 'A1', [0, 1], ANSWER.created),
      release(0, 's1', 'A1', [2, 3], ANSWER.released),
      hold(0, 's1', 'A2', [4, 5], ANSWER.created),
      snapshot(1, 's1', [0.5, 6], { A1: 'MINE', A2: 'MINE' }),
    ];
    expect(check(seatModel, history)).toMatchObject({ verdict: 'illegal', partitions: 1 });
    // Seat by seat each read is possible: the projection is the weaker check.
    expect(check(seatModel, projectBySeat(history))).toMatchObject({
      verdict: 'ok',
      partitions: 2,
    });
    const oneInstant = { ...history[3]!, output: { views: { A1: 'AVAILABLE', A2: 'MINE' } } };
    expect(verdict([...history.slice(0, 3), oneInstant as SeatOperation])).toBe('ok');
  });

  it('sees another session as held, not mine, and an answer the contract does not have as illegal', () => {
    const held = hold(0, 's1', 'A1', [0, 1], ANSWER.created);
    expect(verdict([held, snapshot(1, 's2', [2, 3], { A1: 'HELD' })])).toBe('ok');
    expect(verdict([held, snapshot(1, 's2', [2, 3], { A1: 'MINE' })])).toBe('illegal');
    expect(verdict([held, snapshot(1, 's1', [2, 3], { A1: 'HELD' })])).toBe('illegal');
    expect(verdict([hold(0, 's1', 'A1', [0, 1], '422 HOLD_LIMIT')])).toBe('illegal');
  });

  it('splits a history of one-seat calls by seat', () => {
    const history = [
      hold(0, 's1', 'A1', [0, 1], ANSWER.created),
      hold(1, 's2', 'A2', [0, 1], ANSWER.created),
      order(0, 's1', 'A1', [2, 3], ANSWER.created),
    ];
    expect(check(seatModel, history)).toMatchObject({ verdict: 'ok', partitions: 2 });
  });
});
