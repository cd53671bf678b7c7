// A naive transcription of holds/README.md (scans instead of indexes) and a generator of random
// calls, to check the in-process store's indexes against the rules read line by line.
import fc from 'fast-check';
import type { ChangeBatch, HeldSeat, SeatChangeRecord } from '../../src/holds/types.js';

export type Op =
  | {
      kind: 'hold';
      event: string;
      session: string;
      seats: string[];
      ttl: number;
      max: number;
      address: string;
      perAddress: number;
    }
  | { kind: 'release'; event: string; session: string; seat: string }
  | { kind: 'begin'; event: string; session: string; seats: string[]; window: number }
  | { kind: 'abort'; event: string; session: string; previous: HeldSeat[] }
  | { kind: 'extend'; event: string; session: string; ttl: number }
  | { kind: 'sold'; event: string; seats: string[]; buyer: string }
  | { kind: 'unsold'; event: string; seats: string[] }
  | { kind: 'expire'; event: string; limit: number }
  | { kind: 'snapshot'; event: string; session: string | undefined }
  | { kind: 'restore'; event: string; seats: string[]; buyer: string }
  | { kind: 'reset'; event: string }
  | { kind: 'age'; event: string; seat: string; at: number }
  | { kind: 'tick'; ms: number };

export const START = 1_000;
const event = fc.constantFrom('e1', 'e2');
const session = fc.constantFrom('s1', 's2', 's3');
const seat = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const seats = fc.array(seat, { maxLength: 4, size: 'max' });
const hold = fc.record({
  kind: fc.constant('hold' as const),
  event,
  session,
  seats,
  ttl: fc.integer({ min: 1, max: 20 }),
  max: fc.integer({ min: 1, max: 4 }),
  address: fc.constantFrom('x', 'y'),
  // 0: no address cap for this call.
  perAddress: fc.integer({ min: 0, max: 5 }),
});
const begin = fc.record({
  kind: fc.constant('begin' as const),
  event,
  session,
  seats,
  window: fc.integer({ min: 0, max: 30 }),
});
const abort = fc.record({
  kind: fc.constant('abort' as const),
  event,
  session,
  previous: fc.array(
    fc.record({ seatId: seat, expiresAt: fc.integer({ min: START, max: START + 100 }) }),
    { maxLength: 3 },
  ),
});
const extend = fc.record({
  kind: fc.constant('extend' as const),
  event,
  session,
  ttl: fc.integer({ min: 1, max: 30 }),
});
const snapshot = fc
  .record({ kind: fc.constant('snapshot' as const), event, session: fc.option(session) })
  .map((op) => ({ ...op, session: op.session ?? undefined }));
const age = fc.record({
  kind: fc.constant('age' as const),
  event,
  seat,
  at: fc.integer({ min: START, max: START + 100 }),
});
// Weighted towards holds and the passing of time, where the rules interact the most.
export const operation: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: hold, weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(8) }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant('release' as const), event, session, seat }),
    weight: 2,
  },
  { arbitrary: begin, weight: 2 },
  { arbitrary: abort, weight: 1 },
  { arbitrary: extend, weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('sold' as const), event, seats, buyer: session }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('unsold' as const), event, seats }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('expire' as const), event, limit: fc.nat(3) }),
    weight: 2,
  },
  { arbitrary: snapshot, weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('restore' as const), event, seats, buyer: session }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('reset' as const), event }), weight: 1 },
  { arbitrary: age, weight: 1 },
);

type ModelSeat =
  | { status: 'SOLD'; buyer: string }
  | {
      status: 'HELD';
      owner: string;
      expiresAt: number;
      checkoutUntil?: number;
      extended?: boolean;
      /** '' when the hold was placed without an address cap. */
      address: string;
    };
interface ModelEvent {
  seq: number;
  seats: Map<string, ModelSeat>;
}

/** holds/README.md read line by line, with scans instead of indexes. */
export class NaiveModel {
  readonly events = new Map<string, ModelEvent>();
  readonly batches: ChangeBatch[] = [];
  constructor(private readonly now: () => number) {}

  call(op: Op): unknown {
    if (op.kind === 'tick') return undefined;
    const ev = this.events.get(op.event);
    if (op.kind === 'restore') return this.restore(op.event, ev, op.seats, op.buyer);
    if (ev === undefined) return op.kind === 'reset' || op.kind === 'age' ? false : NOT_READY;
    const out: SeatChangeRecord[] = [];
    const change = (seatId: string, status: SeatChangeRecord['status']) => {
      ev.seq += 1;
      out.push({ seq: ev.seq, seatId, status });
      if (status === 'AVAILABLE') ev.seats.delete(seatId);
    };
    const result = this.apply(op, ev, change);
    if (out.length > 0) {
      this.batches.push({ kind: 'changes', eventId: op.event, time: this.now(), changes: out });
    }
    return result;
  }

  private apply(
    op: Op,
    ev: ModelEvent,
    change: (id: string, s: SeatChangeRecord['status']) => void,
  ) {
    const now = this.now();
    const heldBy = (id: string, who?: string) => {
      const s = ev.seats.get(id);
      return s?.status === 'HELD' && (who === undefined || s.owner === who) ? s : undefined;
    };
    const sold = (id: string) => ev.seats.get(id)?.status === 'SOLD';
    const lapsed = (ids: string[]) =>
      ids.filter((id, i) => ids.indexOf(id) === i && (heldBy(id)?.expiresAt ?? Infinity) <= now);
    const lapsedFirst = (ids: string[]) =>
      ids
        .map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt ?? Infinity }))
        .filter((e) => e.expiresAt <= now)
        .sort((x, y) => x.expiresAt - y.expiresAt || (x.seatId < y.seatId ? -1 : 1));
    const sell = (ids: string[], buyer: string) => {
      let n = 0;
      for (const id of ids) {
        if (sold(id)) continue;
        ev.seats.set(id, { status: 'SOLD', buyer });
        change(id, 'SOLD');
        n += 1;
      }
      return n;
    };
    switch (op.kind) {
      case 'hold': {
        const ids = [...new Set(op.seats)];
        const own = [...ev.seats.keys()].filter((id) => heldBy(id, op.session)).sort();
        for (const id of lapsed([...own, ...ids])) change(id, 'AVAILABLE');
        const soldIds = ids.filter(sold);
        const heldIds = ids.filter((id) => heldBy(id) && !heldBy(id, op.session));
        if (soldIds.length + heldIds.length > 0) {
          return { ok: false, reason: 'TAKEN', sold: soldIds, held: heldIds };
        }
        const all = [...ev.seats.values()];
        const mine = all.filter((s) => s.status === 'HELD' && s.owner === op.session).length;
        const bought = all.filter((s) => s.status === 'SOLD' && s.buyer === op.session).length;
        const added = ids.filter((id) => !heldBy(id, op.session)).length;
        const wouldHold = mine + bought + added;
        if (wouldHold > op.max) return { ok: false, reason: 'HOLD_LIMIT', wouldHold };
        if (op.perAddress > 0 && added > 0) {
          const fromAddress = all.filter(
            (s) => s.status === 'HELD' && s.address === op.address && s.expiresAt > now,
          ).length;
          if (fromAddress + added > op.perAddress) {
            return { ok: false, reason: 'ADDRESS_LIMIT', wouldHold: fromAddress + added };
          }
        }
        const address = op.perAddress > 0 ? op.address : '';
        for (const id of ids) {
          if (heldBy(id, op.session)) continue;
          ev.seats.set(id, {
            status: 'HELD',
            owner: op.session,
            expiresAt: now + op.ttl,
            address,
          });
          change(id, 'HELD');
        }
        return {
          ok: true,
          holds: ids.map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt })),
        };
      }
      case 'release': {
        const h = heldBy(op.seat);
        if (h === undefined) return { ok: false, reason: 'HOLD_NOT_FOUND' };
        if (h.expiresAt <= now) {
          change(op.seat, 'AVAILABLE');
          return { ok: false, reason: 'HOLD_NOT_FOUND' };
        }
        if (h.owner !== op.session) return { ok: false, reason: 'NOT_OWNER' };
        if ((h.checkoutUntil ?? -Infinity) > now)
          return { ok: false, reason: 'CHECKOUT_IN_PROGRESS' };
        change(op.seat, 'AVAILABLE');
        return { ok: true };
      }
      case 'begin': {
        const ids = [...new Set(op.seats)];
        if (ids.some(sold)) return { ok: false, reason: 'SEAT_SOLD', seats: ids.filter(sold) };
        const live = (id: string) => (heldBy(id, op.session)?.expiresAt ?? -Infinity) > now;
        const missing = ids.filter((id) => !live(id));
        if (missing.length > 0) return { ok: false, reason: 'SEAT_NOT_HELD', seats: missing };
        const busy = ids.filter((id) => (heldBy(id)?.checkoutUntil ?? -Infinity) > now);
        if (busy.length > 0) return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: busy };
        const previous = ids.map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt }));
        for (const id of ids) {
          const h = heldBy(id) as { expiresAt: number; checkoutUntil?: number };
          h.expiresAt = Math.max(h.expiresAt, now + op.window);
          h.checkoutUntil = now + op.window;
        }
        return { ok: true, previous };
      }
      case 'abort': {
        const seen = new Set<string>();
        let changed = 0;
        for (const p of op.previous) {
          if (seen.has(p.seatId)) continue;
          seen.add(p.seatId);
          const h = heldBy(p.seatId, op.session);
          if (h === undefined) continue;
          h.expiresAt = p.expiresAt;
          delete h.checkoutUntil;
          changed += 1;
        }
        return { ok: true, changed };
      }
      case 'extend': {
        const live = [...ev.seats.keys()]
          .filter((id) => (heldBy(id, op.session)?.expiresAt ?? 0) > now)
          .sort();
        if (live.length === 0) return { ok: false, reason: 'HOLD_NOT_FOUND' };
        const free = live.filter((id) => (heldBy(id)?.checkoutUntil ?? -Infinity) <= now);
        if (free.length === 0) return { ok: false, reason: 'CHECKOUT_IN_PROGRESS', seats: live };
        const fresh = free.filter((id) => heldBy(id)?.extended !== true);
        if (fresh.length === 0) return { ok: false, reason: 'ALREADY_EXTENDED' };
        for (const id of fresh) {
          const h = heldBy(id) as { expiresAt: number; extended?: boolean };
          h.expiresAt = Math.max(h.expiresAt, now + op.ttl);
          h.extended = true;
        }
        return {
          ok: true,
          holds: live.map((id) => ({ seatId: id, expiresAt: heldBy(id)?.expiresAt })),
        };
      }
      case 'sold':
        return { ok: true, changed: sell(op.seats, op.buyer) };
      case 'unsold': {
        let changed = 0;
        for (const id of op.seats) {
          if (!sold(id)) continue;
          change(id, 'AVAILABLE');
          changed += 1;
        }
        return { ok: true, changed };
      }
      case 'expire': {
        const due = lapsedFirst([...ev.seats.keys()]).slice(0, Math.max(0, op.limit));
        for (const e of due) change(e.seatId, 'AVAILABLE');
        return { ok: true, changed: due.length };
      }
      case 'snapshot': {
        const all = [...ev.seats];
        const mine = all
          .filter(
            ([id]) => op.session !== undefined && (heldBy(id, op.session)?.expiresAt ?? 0) > now,
          )
          .map(([id, s]) => ({ seatId: id, expiresAt: s.status === 'HELD' ? s.expiresAt : 0 }));
        return sortedSnapshot({
          ok: true,
          seq: ev.seq,
          held: all.filter(([, s]) => s.status === 'HELD').map(([id]) => id),
          sold: all.filter(([, s]) => s.status === 'SOLD').map(([id]) => id),
          mine,
        });
      }
      case 'reset':
        ev.seats.clear();
        ev.seq += 1;
        this.batches.push({ kind: 'replaced', eventId: op.event, time: now, seq: ev.seq });
        return true;
      case 'age': {
        const h = heldBy(op.seat);
        if (h !== undefined) h.expiresAt = op.at;
        return h !== undefined;
      }
      default:
        return op.kind === 'restore' ? sell(op.seats, op.buyer) : 0;
    }
  }

  private restore(eventId: string, ev: ModelEvent | undefined, soldIds: string[], buyer: string) {
    if (ev !== undefined) {
      this.call({ kind: 'sold', event: eventId, seats: soldIds, buyer });
      return undefined;
    }
    const fresh: ModelEvent = { seq: 0, seats: new Map() };
    for (const id of new Set(soldIds)) {
      fresh.seq += 1;
      fresh.seats.set(id, { status: 'SOLD', buyer });
    }
    this.events.set(eventId, fresh);
    this.batches.push({ kind: 'replaced', eventId, time: this.now(), seq: fresh.seq });
    return undefined;
  }
}

export const NOT_READY = { ok: false, reason: 'NOT_READY' };

export function sortedSnapshot<T extends { held: string[]; sold: string[]; mine: HeldSeat[] }>(
  s: T,
): T {
  return {
    ...s,
    held: [...s.held].sort(),
    sold: [...s.sold].sort(),
    mine: [...s.mine].sort((x, y) => (x.seatId < y.seatId ? -1 : 1)),
  };
}
