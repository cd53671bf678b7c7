// The live seat state of one event: a pure reducer over server snapshots and ordered deltas, plus
// this buyer's optimistic holds and releases. The renderer reads it; nothing here does I/O.
import {
  GA_PLACE_SEPARATOR,
  isSeatChange,
  type FeedChange,
  type GaAvailability,
  type MyHold,
  type SeatSnapshot,
  type SeatStatus,
  type SeatsMessage,
  type SnapshotMessage,
} from '@ticketmain/protocol';
import type { SeatLookup } from './venue';

/** What the map shows for a seat; values index the per-seat Uint8Arrays. */
export const Status = {
  Available: 0,
  HeldByMe: 1,
  Held: 2,
  Sold: 3,
  SoldToMe: 4,
} as const;
export type DisplayStatus = (typeof Status)[keyof typeof Status];

const SERVER_CODE: Record<SeatStatus, DisplayStatus> = {
  AVAILABLE: Status.Available,
  HELD: Status.Held,
  SOLD: Status.Sold,
};

/** 'released': a release in flight whose AVAILABLE echo the server already sent. */
export type PendingOp = 'hold' | 'release' | 'released';

export interface LiveState {
  readonly lookup: SeatLookup;
  /** Sequence number of the last change applied; null before the first snapshot. */
  readonly seq: number | null;
  /** A gap or a server resync: deltas are ignored until the next snapshot. */
  readonly needsResync: boolean;
  /** Server truth per seat: Available, Held or Sold. Replaced, never mutated. */
  readonly status: Uint8Array;
  /** This session's confirmed holds: seat → expiry (epoch ms, server clock). */
  readonly mine: ReadonlyMap<number, number>;
  /** Requests in flight, shown optimistically. */
  readonly pending: ReadonlyMap<number, PendingOp>;
  /** Seats of an order in flight: a SOLD delta for them is this buyer's own sale. */
  readonly checkingOut: ReadonlySet<number>;
  /** Seats this buyer bought (remembered per event in local storage). */
  readonly soldToMe: ReadonlySet<number>;
  /**
   * Seats we released (or whose hold ran out) that the server still lists as held: shown
   * available until the next change of the seat, our release's echo or someone's new hold.
   */
  readonly released: ReadonlySet<number>;
  /** General-admission sections: places left, by section id (server truth, in sequence). */
  readonly areas: ReadonlyMap<string, number>;
  /** This session's held general-admission places: place id → section and expiry (epoch ms). */
  readonly places: ReadonlyMap<string, HeldPlace>;
}

/** A hold as the server reports it; a hold's answer names the section, GET /seats does not. */
export type ReportedHold = MyHold & { sectionId?: string };

export interface HeldPlace {
  sectionId: string;
  expiresAt: number;
}

export type LiveAction =
  | { type: 'snapshot'; message: SnapshotMessage }
  | { type: 'seats'; message: SeatsMessage }
  /** The server dropped our backlog, or we saw a gap and asked: a snapshot follows. */
  | { type: 'resync' }
  /**
   * GET /seats with our token: the only source of `mine` besides our own requests. `keep`: seats
   * whose hold was confirmed while this snapshot was in flight (it may predate them).
   */
  | { type: 'restSnapshot'; snapshot: SeatSnapshot; keep?: readonly string[] }
  | { type: 'holdRequested'; seatId: string }
  | { type: 'holdConfirmed'; holds: readonly ReportedHold[] }
  | { type: 'holdRejected'; seatIds: readonly string[] }
  | { type: 'releaseRequested'; seatId: string }
  | { type: 'releaseConfirmed'; seatId: string }
  /** `stillMine`: false when the server says we held no such seat (expired, or never). */
  | { type: 'releaseRejected'; seatId: string; stillMine: boolean }
  | { type: 'holdsExpired'; seatIds: readonly string[] }
  | { type: 'checkoutStarted'; seatIds: readonly string[] }
  | { type: 'orderPlaced'; seatIds: readonly string[] }
  /** `lost`: seats the server says we no longer hold. */
  | { type: 'checkoutFailed'; seatIds: readonly string[]; lost: readonly string[] }
  | { type: 'soldToMeLoaded'; seatIds: readonly string[] }
  /** General-admission places that are no longer ours (released, expired). */
  | { type: 'placesDropped'; placeIds: readonly string[] };

export function initialLiveState(lookup: SeatLookup): LiveState {
  return {
    lookup,
    seq: null,
    needsResync: false,
    status: new Uint8Array(lookup.count),
    mine: new Map(),
    pending: new Map(),
    checkingOut: new Set(),
    soldToMe: new Set(),
    released: new Set(),
    areas: new Map(),
    places: new Map(),
  };
}

export function reduceLive(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'snapshot':
      return applySnapshot(state, action.message);
    case 'seats':
      return applyChanges(state, action.message.changes);
    case 'resync':
      return state.needsResync ? state : { ...state, needsResync: true };
    case 'restSnapshot':
      return applyRestSnapshot(state, action.snapshot, action.keep ?? []);
    case 'holdRequested':
      // A seat we just released stays in `released` until the echo of that release arrives: the
      // echo must not end the new hold (see applyChanges).
      return withPending(state, action.seatId, 'hold');
    case 'holdConfirmed':
      return confirmHolds(state, action.holds);
    case 'holdRejected':
      return unreleased(withoutPending(state, action.seatIds), action.seatIds);
    case 'releaseRequested':
      return withPending(state, action.seatId, 'release');
    case 'releaseConfirmed': {
      const seat = state.lookup.indexById.get(action.seatId);
      const echoed = seat !== undefined && state.pending.get(seat) === 'released';
      const settled = dropMine(withoutPending(state, [action.seatId]), [action.seatId]);
      return echoed ? settled : released(settled, [action.seatId]);
    }
    case 'releaseRejected': {
      const settled = withoutPending(state, [action.seatId]);
      return action.stillMine ? settled : dropMine(settled, [action.seatId]);
    }
    case 'holdsExpired':
      return released(dropMine(state, action.seatIds), action.seatIds);
    case 'checkoutStarted':
      return { ...state, checkingOut: new Set(indexes(state, action.seatIds)) };
    case 'orderPlaced':
      return dropPlaces(placeOrder(state, action.seatIds), action.seatIds);
    case 'checkoutFailed':
      return dropPlaces(dropMine({ ...state, checkingOut: new Set() }, action.lost), action.lost);
    case 'soldToMeLoaded':
      return { ...state, soldToMe: new Set(indexes(state, action.seatIds)) };
    case 'placesDropped':
      return dropPlaces(state, action.placeIds);
  }
}

function indexes(state: LiveState, seatIds: readonly string[]): number[] {
  const out: number[] = [];
  for (const id of seatIds) {
    const i = state.lookup.indexById.get(id);
    if (i !== undefined) out.push(i);
  }
  return out;
}

function statusFrom(state: LiveState, held: readonly string[], sold: readonly string[]) {
  const status = new Uint8Array(state.lookup.count);
  for (const i of indexes(state, held)) status[i] = Status.Held;
  for (const i of indexes(state, sold)) status[i] = Status.Sold;
  return status;
}

/**
 * A snapshot resets the base whatever its seq (the sequence restarts after a state loss). It does
 * not take seats out of `mine` that it shows available: it may predate a hold we were just
 * granted. The REST snapshot and the deltas settle `mine`.
 */
function applySnapshot(state: LiveState, message: SnapshotMessage): LiveState {
  const status = statusFrom(state, message.held, message.sold);
  return {
    ...state,
    seq: message.seq,
    needsResync: false,
    status,
    mine: withoutSoldToOthers(state, state.mine, status),
    released: new Set(),
    areas: message.ga ? areasFrom(message.ga) : state.areas,
  };
}

function areasFrom(ga: readonly GaAvailability[]): Map<string, number> {
  return new Map(ga.map((a) => [a.sectionId, a.available]));
}

function withoutSoldToOthers(
  state: LiveState,
  mine: ReadonlyMap<number, number>,
  status: Uint8Array,
) {
  let next: Map<number, number> | null = null;
  for (const seat of mine.keys()) {
    if (status[seat] === Status.Sold && !state.checkingOut.has(seat)) {
      next ??= new Map(mine);
      next.delete(seat);
    }
  }
  return next ?? mine;
}

function applyChanges(state: LiveState, changes: readonly FeedChange[]): LiveState {
  if (state.seq === null || state.needsResync) return state;
  let seq = state.seq;
  let status: Uint8Array | null = null;
  let mine: Map<number, number> | null = null;
  let releasedSeats: Set<number> | null = null;
  let pending: Map<number, PendingOp> | null = null;
  let areas: Map<string, number> | null = null;
  let gap = false;
  for (const change of changes) {
    if (change.seq <= seq) continue; // already applied
    if (change.seq !== seq + 1) {
      gap = true;
      break;
    }
    seq = change.seq;
    if (!isSeatChange(change)) {
      areas ??= new Map(state.areas);
      areas.set(change.sectionId, change.available);
      continue;
    }
    const seat = state.lookup.indexById.get(change.seatId);
    if (seat === undefined) continue;
    const code = SERVER_CODE[change.status];
    status ??= state.status.slice();
    status[seat] = code;
    // The first change of a seat we released is the echo of that release.
    const echo = (releasedSeats ?? state.released).has(seat);
    if (echo) {
      releasedSeats ??= new Set(state.released);
      releasedSeats.delete(seat);
    }
    if (code === Status.Available && state.pending.get(seat) === 'release') {
      pending ??= new Map(state.pending);
      pending.set(seat, 'released');
    }
    // A hold of ours that the server ends (expiry, reset, or a sale we did not start); not the
    // late echo of an earlier release of ours when we have held the seat again since.
    if (code !== Status.Held && !echo && (mine ?? state.mine).has(seat)) {
      if (!state.checkingOut.has(seat)) {
        mine ??= new Map(state.mine);
        mine.delete(seat);
      }
    }
  }
  if (seq === state.seq && !gap) return state;
  return {
    ...state,
    seq,
    needsResync: gap,
    status: status ?? state.status,
    mine: mine ?? state.mine,
    released: releasedSeats ?? state.released,
    pending: pending ?? state.pending,
    areas: areas ?? state.areas,
  };
}

/**
 * The REST snapshot carries `mine`. When it is at least as new as our base it replaces the base
 * and `mine` (except seats in checkout or kept); an older one only adds holds it knows of.
 */
function applyRestSnapshot(
  state: LiveState,
  snapshot: SeatSnapshot,
  keep: readonly string[],
): LiveState {
  const reported = new Map<number, number>();
  const places = new Map<string, HeldPlace>();
  for (const hold of snapshot.mine) {
    const seat = state.lookup.indexById.get(hold.seatId);
    const expiresAt = Date.parse(hold.expiresAt);
    if (seat !== undefined) reported.set(seat, expiresAt);
    else {
      const sectionId = placeSection(state, hold);
      if (sectionId !== undefined) places.set(hold.seatId, { sectionId, expiresAt });
    }
  }
  if (state.seq !== null && snapshot.seq < state.seq) {
    // An older snapshot: it may miss places granted since, so it only adds.
    const kept = new Map([...places, ...state.places]);
    const mine = new Map(state.mine);
    for (const [seat, expiresAt] of reported) {
      const op = state.pending.get(seat);
      if (state.status[seat] === Status.Held && (op === undefined || op === 'hold')) {
        mine.set(seat, expiresAt);
      }
    }
    return { ...state, mine, places: kept };
  }
  for (const id of keep) {
    const place = state.places.get(id);
    if (place !== undefined && !places.has(id)) places.set(id, place);
  }
  const mine = reported;
  for (const seat of [...indexes(state, keep), ...state.checkingOut]) {
    const expiresAt = state.mine.get(seat);
    if (expiresAt !== undefined && !mine.has(seat)) mine.set(seat, expiresAt);
  }
  return {
    ...state,
    seq: snapshot.seq,
    needsResync: false,
    status: statusFrom(state, snapshot.held, snapshot.sold),
    mine,
    released: new Set(),
    areas: snapshot.ga ? areasFrom(snapshot.ga) : state.areas,
    places,
  };
}

function withPending(state: LiveState, seatId: string, op: PendingOp): LiveState {
  const seat = state.lookup.indexById.get(seatId);
  if (seat === undefined) return state;
  const pending = new Map(state.pending);
  pending.set(seat, op);
  return { ...state, pending };
}

function withoutPending(state: LiveState, seatIds: readonly string[]): LiveState {
  const seats = indexes(state, seatIds).filter((seat) => state.pending.has(seat));
  if (seats.length === 0) return state;
  const pending = new Map(state.pending);
  for (const seat of seats) pending.delete(seat);
  return { ...state, pending };
}

/** The general-admission section of a place we hold, or undefined for anything else. */
function placeSection(state: LiveState, hold: ReportedHold): string | undefined {
  const known = hold.sectionId ?? state.places.get(hold.seatId)?.sectionId;
  const cut = hold.seatId.lastIndexOf(GA_PLACE_SEPARATOR);
  const sectionId = known ?? (cut > 0 ? hold.seatId.slice(0, cut) : undefined);
  return sectionId !== undefined && state.lookup.areaIds?.has(sectionId) ? sectionId : undefined;
}

function confirmHolds(state: LiveState, holds: readonly ReportedHold[]): LiveState {
  const settled = withoutPending(
    state,
    holds.map((h) => h.seatId),
  );
  const mine = new Map(settled.mine);
  let places: Map<string, HeldPlace> | null = null;
  for (const hold of holds) {
    const seat = state.lookup.indexById.get(hold.seatId);
    const expiresAt = Date.parse(hold.expiresAt);
    if (seat !== undefined) mine.set(seat, expiresAt);
    else {
      // A place id the server chose; an extension names no section, the place keeps its own.
      const sectionId = placeSection(state, hold);
      if (sectionId === undefined) continue;
      places ??= new Map(state.places);
      places.set(hold.seatId, { sectionId, expiresAt });
    }
  }
  return { ...settled, mine, places: places ?? state.places };
}

function dropPlaces(state: LiveState, placeIds: readonly string[]): LiveState {
  const ids = placeIds.filter((id) => state.places.has(id));
  if (ids.length === 0) return state;
  const places = new Map(state.places);
  for (const id of ids) places.delete(id);
  return { ...state, places };
}

/** Marks seats as released by us while the server may still list them as held. */
function released(state: LiveState, seatIds: readonly string[]): LiveState {
  const seats = indexes(state, seatIds).filter((seat) => state.status[seat] === Status.Held);
  if (seats.length === 0) return state;
  return { ...state, released: new Set([...state.released, ...seats]) };
}

function unreleased(state: LiveState, seatIds: readonly string[]): LiveState {
  const seats = indexes(state, seatIds).filter((seat) => state.released.has(seat));
  if (seats.length === 0) return state;
  const next = new Set(state.released);
  for (const seat of seats) next.delete(seat);
  return { ...state, released: next };
}

function dropMine(state: LiveState, seatIds: readonly string[]): LiveState {
  const seats = indexes(state, seatIds).filter((seat) => state.mine.has(seat));
  if (seats.length === 0) return state;
  const mine = new Map(state.mine);
  for (const seat of seats) mine.delete(seat);
  return { ...state, mine };
}

function placeOrder(state: LiveState, seatIds: readonly string[]): LiveState {
  const seats = indexes(state, seatIds);
  const status = state.status.slice();
  for (const seat of seats) status[seat] = Status.Sold; // the SOLD delta may still be on its way
  const soldToMe = new Set(state.soldToMe);
  for (const seat of seats) soldToMe.add(seat);
  return {
    ...dropMine(state, seatIds),
    status,
    soldToMe,
    checkingOut: new Set(),
  };
}

/** What the map shows for one seat. */
export function displayStatus(state: LiveState, seat: number): DisplayStatus {
  const server = (state.status[seat] ?? Status.Available) as DisplayStatus;
  const op = state.pending.get(seat);
  if (op === 'hold') return Status.HeldByMe;
  if (op !== undefined) return server === Status.Sold ? Status.Sold : Status.Available;
  if (server === Status.Sold) {
    if (state.soldToMe.has(seat)) return Status.SoldToMe;
    return state.checkingOut.has(seat) && state.mine.has(seat) ? Status.HeldByMe : Status.Sold;
  }
  if (state.mine.has(seat)) return Status.HeldByMe;
  return server === Status.Held && state.released.has(seat) ? Status.Available : server;
}

/** Fills `out` (one byte per seat) with displayStatus for every seat, in O(seats + overlays). */
export function fillDisplay(state: LiveState, out: Uint8Array): void {
  out.set(state.status);
  for (const seat of state.soldToMe) out[seat] = displayStatus(state, seat);
  for (const seat of state.released) out[seat] = displayStatus(state, seat);
  for (const seat of state.mine.keys()) out[seat] = displayStatus(state, seat);
  for (const seat of state.pending.keys()) out[seat] = displayStatus(state, seat);
}
