// One event page's live session: feeds the reducer from the socket and the REST snapshot, turns
// clicks into optimistic holds and releases, expires holds, and places the order. The thin shell
// around the pure state: it does the I/O, the reducer decides.
import { ErrorCode, type MyHold, type Order, type QueueMessage } from '@ticketmain/protocol';
import { heldMessage, loneSeatMessage, noSeatsMessage, type BestChoice } from '../state/best';
import { endedHolds, expiredSeats, expiryMessage } from '../state/cart';
import { buyerConnection, recovered, type BuyerConnection } from '../state/connection';
import { attemptFor, keepAttemptAfter, type CheckoutAttempt } from '../state/checkout';
import { seatLabel } from '../state/format';
import { placesHeldMessage, placesUnavailableMessage } from '../state/ga';
import { DEFAULT_SEATS_PER_BUYER, seatLimitFromDetail } from '../state/limits';
import { canAskMoreTime, type Extension } from '../state/hold-timer';
import {
  displayStatus,
  initialLiveState,
  reduceLive,
  Status,
  type LiveAction,
  type LiveState,
} from '../state/live';
import { Observable } from '../state/observable';
import type { Venue } from '../state/venue';
import { describeFailure } from '../net/failure';
import { SeatSocket, type ConnectionStatus, type WebSocketFactory } from '../net/seat-socket';
import { loadOrders, saveOrder } from '../net/storage';
import { delay } from './delay';
import type { Services } from './services';

export type CheckoutView =
  { phase: 'idle' } | { phase: 'placing' } | { phase: 'confirmed'; order: Order };

/** What "Best available" answered, in words for the buyer and for screen readers. */
export type BestOutcome = { ok: true; message: string } | { ok: false; message: string };

/** The seats a "Best available" pick held, for the map to show; `n` tells two picks apart. */
export interface Picked {
  seats: readonly number[];
  n: number;
}

export interface EventControllerOptions {
  services: Services;
  venue: Venue;
  socketUrl: string;
  createSocket: WebSocketFactory;
}

const EXPIRY_CHECK_MS = 500;
/** While the socket is down, the REST snapshot keeps the map roughly current. */
const FALLBACK_POLL_MS = 5000;
const ORDER_RETRY_DELAYS_MS = [1000, 2000];
const OFFLINE_MESSAGE = 'You are offline: seats can be held or released once you are back online.';
/** Actions by which the server, not this buyer, may take seats out of the cart. */
const SERVER_ACTIONS: ReadonlySet<LiveAction['type']> = new Set([
  'snapshot',
  'seats',
  'restSnapshot',
]);

export class EventController {
  readonly live: Observable<LiveState>;
  readonly connection = new Observable<BuyerConnection>('connecting');
  private socketStatus: ConnectionStatus = 'connecting';
  private online = true;
  readonly checkout = new Observable<CheckoutView>({ phase: 'idle' });
  readonly seatLimit = new Observable<number>(DEFAULT_SEATS_PER_BUYER);
  /** How many people look at the event now, this buyer included; null until the server says. */
  readonly viewers = new Observable<number | null>(null);
  /** The buyer's one request for more time, for the holds now in the cart. */
  readonly extension = new Observable<Extension>({ state: 'idle' });
  /** The seats of the last "Best available" pick, highlighted on the map; null: none yet. */
  readonly picked = new Observable<Picked | null>(null);
  /** The waiting room's latest frame, once watchQueue() asked for them. */
  readonly queueFrame = new Observable<QueueMessage | null>(null);
  /** Told when the server refused a hold for want of admission (it may have just ended). */
  onAdmissionRequired: (() => void) | null = null;
  /** Why holds are refused here now (the buyer waits in the queue); null: they are not. */
  private holdsLockedBecause: string | null = null;
  private readonly socket: SeatSocket;
  private attempt: CheckoutAttempt | null = null;
  /** Hold confirmations seen while a REST snapshot is in flight, one set per request. */
  private readonly confirmedWatchers = new Set<Set<string>>();
  private timers: ReturnType<typeof setInterval>[] = [];
  private disposed = false;

  constructor(private readonly options: EventControllerOptions) {
    this.live = new Observable(initialLiveState(options.venue));
    this.socket = new SeatSocket({
      url: options.socketUrl,
      eventId: options.venue.eventId,
      createSocket: options.createSocket,
      onMessage: (message) => {
        if (message.type === 'snapshot') this.dispatch({ type: 'snapshot', message });
        else if (message.type === 'seats') this.dispatch({ type: 'seats', message });
        else if (message.type === 'resync') this.dispatch({ type: 'resync' });
        else if (message.type === 'viewers') this.viewers.set(message.count);
        else if (message.type === 'queue') this.queueFrame.set(message);
      },
      onStatus: (status) => this.onConnection(status),
    });
  }

  private get services(): Services {
    return this.options.services;
  }

  private get eventId(): string {
    return this.options.venue.eventId;
  }

  start(): void {
    const bought = loadOrders(this.services.storage, this.eventId).flatMap((o) => o.seatIds);
    this.dispatch({ type: 'soldToMeLoaded', seatIds: bought });
    void this.refreshFromRest();
    this.socket.start();
    this.timers.push(setInterval(() => this.expireHolds(), EXPIRY_CHECK_MS));
    this.timers.push(
      setInterval(() => {
        const status = this.connection.get();
        if (status !== 'live' && status !== 'outdated') void this.refreshFromRest();
      }, FALLBACK_POLL_MS),
    );
    this.online = navigator.onLine;
    this.updateConnection();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  dispose(): void {
    this.disposed = true;
    this.socket.stop();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
  }

  /** Asks the socket for the event's queue frames (now and after every reconnection). */
  watchQueue(): void {
    this.socket.watchQueue();
  }

  /** While set, a seat click holds nothing and says why; releases and the order still work. */
  lockHolds(reason: string | null): void {
    this.holdsLockedBecause = reason;
  }

  holdsLocked(): boolean {
    return this.holdsLockedBecause !== null;
  }

  /** A click, Enter or Space on a seat. */
  toggle(seat: number): void {
    const state = this.live.get();
    if (state.pending.has(seat) || state.checkingOut.has(seat)) return;
    if (this.connection.get() === 'offline') {
      // An error, so that it goes once the connection is back.
      this.services.toasts.push(OFFLINE_MESSAGE, 'error');
      return;
    }
    const status = displayStatus(state, seat);
    if (
      this.holdsLockedBecause !== null &&
      status !== Status.HeldByMe &&
      status !== Status.SoldToMe
    ) {
      this.services.toasts.push(this.holdsLockedBecause, 'info');
      return;
    }
    switch (status) {
      case Status.Available:
        void this.hold(seat, true);
        return;
      case Status.HeldByMe:
        void this.release(seat);
        return;
      case Status.SoldToMe:
        this.services.toasts.push(`You bought ${seatLabel(this.options.venue, seat)}.`, 'info');
        return;
      default:
        // Our view may be a few ms behind: the server has the last word, and the buyer hears it.
        void this.hold(seat, false);
    }
  }

  dismissConfirmation(): void {
    this.checkout.set({ phase: 'idle' });
  }

  /** Places the order for every confirmed hold; a second call while one is in flight is ignored. */
  async buy(): Promise<void> {
    if (this.checkout.get().phase === 'placing') return;
    const { venue } = this.options;
    const state = this.live.get();
    const seatIds = [
      ...[...state.mine.keys()].map((seat) => venue.ids[seat] ?? ''),
      ...state.places.keys(),
    ];
    if (seatIds.length === 0) return;
    const attempt = attemptFor(this.attempt, seatIds, newIdempotencyKey);
    this.attempt = attempt;
    this.checkout.set({ phase: 'placing' });
    this.dispatch({ type: 'checkoutStarted', seatIds: attempt.seatIds });
    try {
      const order = await this.placeWithRetries(attempt);
      this.attempt = null;
      const bought = order.seats.map((s) => s.seatId);
      saveOrder(this.services.storage, this.eventId, { orderId: order.orderId, seatIds: bought });
      this.dispatch({ type: 'orderPlaced', seatIds: bought });
      this.checkout.set({ phase: 'confirmed', order });
    } catch (error) {
      const failure = describeFailure(error);
      if (!keepAttemptAfter(failure)) this.attempt = null;
      const lost = ['SEAT_NOT_HELD', 'SEAT_SOLD'].includes(failure.code) ? failure.seats : [];
      this.dispatch({ type: 'checkoutFailed', seatIds: attempt.seatIds, lost });
      this.checkout.set({ phase: 'idle' });
      this.services.toasts.push(failure.detail);
    }
  }

  /** The same key on every try: the server returns the one order however often it is asked. */
  private async placeWithRetries(attempt: CheckoutAttempt): Promise<Order> {
    for (let tryIndex = 0; ; tryIndex++) {
      try {
        return await this.services.api.placeOrder(this.eventId, attempt.seatIds, attempt.key);
      } catch (error) {
        const wait = ORDER_RETRY_DELAYS_MS[tryIndex];
        const failure = describeFailure(error);
        if (wait === undefined || !keepAttemptAfter(failure) || this.disposed) throw error;
        await delay(wait);
      }
    }
  }

  private async hold(seat: number, optimistic: boolean): Promise<void> {
    const seatId = this.options.venue.ids[seat] ?? '';
    if (optimistic) this.dispatch({ type: 'holdRequested', seatId });
    try {
      const { holds } = await this.services.api.hold(this.eventId, [seatId]);
      for (const watcher of this.confirmedWatchers) for (const h of holds) watcher.add(h.seatId);
      this.dispatch({ type: 'holdConfirmed', holds });
    } catch (error) {
      this.dispatch({ type: 'holdRejected', seatIds: [seatId] });
      const failure = describeFailure(error);
      if (failure.code === ErrorCode.QueueAdmissionRequired) this.onAdmissionRequired?.();
      if (failure.code === ErrorCode.HoldLimit) {
        this.seatLimit.set(seatLimitFromDetail(failure.detail) ?? this.seatLimit.get());
      }
      const message =
        failure.code === ErrorCode.SingleSeat
          ? loneSeatMessage(this.options.venue, failure.seats, [seatId])
          : failure.detail;
      this.services.toasts.push(message);
    }
  }

  /** Places in a general-admission area, by quantity; the answer in words for the stepper. */
  async holdPlaces(sectionId: string, quantity: number): Promise<BestOutcome> {
    if (this.connection.get() === 'offline') return { ok: false, message: OFFLINE_MESSAGE };
    if (this.holdsLockedBecause !== null) return { ok: false, message: this.holdsLockedBecause };
    const area = this.options.venue.areas.find((a) => a.id === sectionId);
    if (area === undefined) return { ok: false, message: 'No such area.' };
    try {
      const { holds } = await this.services.api.holdPlaces(this.eventId, [{ sectionId, quantity }]);
      for (const watcher of this.confirmedWatchers) for (const h of holds) watcher.add(h.seatId);
      this.dispatch({ type: 'holdConfirmed', holds });
      return { ok: true, message: placesHeldMessage(area, holds.length) };
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.code === ErrorCode.QueueAdmissionRequired) this.onAdmissionRequired?.();
      if (failure.code === ErrorCode.HoldLimit) {
        this.seatLimit.set(seatLimitFromDetail(failure.detail) ?? this.seatLimit.get());
      }
      const sections = failure.sections ?? [];
      if (failure.code === ErrorCode.SeatUnavailable && sections.length > 0) {
        return {
          ok: false,
          message: placesUnavailableMessage(this.options.venue, sections, this.live.get().areas),
        };
      }
      return { ok: false, message: failure.detail };
    }
  }

  /** Releases every place this buyer holds in one area (the cart's one line for them). */
  async releasePlaces(sectionId: string): Promise<void> {
    const ids = [...this.live.get().places]
      .filter(([, place]) => place.sectionId === sectionId)
      .map(([id]) => id);
    const results = await Promise.allSettled(
      ids.map((id) => this.services.api.release(this.eventId, id)),
    );
    const gone: string[] = [];
    let failed: string | null = null;
    results.forEach((result, i) => {
      const id = ids[i] ?? '';
      if (result.status === 'fulfilled') gone.push(id);
      else {
        const failure = describeFailure(result.reason);
        // 404 / 403: the place is not ours any more, which is what we wanted.
        if (failure.status === 404 || failure.status === 403) gone.push(id);
        else failed = failure.detail;
      }
    });
    this.dispatch({ type: 'placesDropped', placeIds: gone });
    if (failed !== null) this.services.toasts.push(failed);
  }

  /**
   * "Best available": the server picks and holds the seats in one step (no optimistic seat: the
   * buyer does not know which ones until it answers).
   */
  async holdBest(choice: BestChoice): Promise<BestOutcome> {
    if (this.connection.get() === 'offline') return { ok: false, message: OFFLINE_MESSAGE };
    const { venue } = this.options;
    try {
      const { holds, adjacent } = await this.services.api.holdBest(this.eventId, {
        quantity: choice.quantity,
        ...(choice.maxPrice !== undefined && { maxPrice: choice.maxPrice }),
        ...(choice.sectionId !== undefined && { sectionIds: [choice.sectionId] }),
      });
      for (const watcher of this.confirmedWatchers) for (const h of holds) watcher.add(h.seatId);
      this.dispatch({ type: 'holdConfirmed', holds });
      const seats = holds.flatMap((h) => {
        const seat = venue.indexById.get(h.seatId);
        return seat === undefined ? [] : [seat];
      });
      this.picked.set({ seats, n: (this.picked.get()?.n ?? 0) + 1 });
      return { ok: true, message: heldMessage(venue, seats, adjacent) };
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.code === ErrorCode.NoSeatsAvailable) {
        return { ok: false, message: noSeatsMessage(venue, choice) };
      }
      if (failure.code === ErrorCode.HoldLimit) {
        this.seatLimit.set(seatLimitFromDetail(failure.detail) ?? this.seatLimit.get());
      }
      return { ok: false, message: failure.detail };
    }
  }

  /**
   * Seats the server held for this session (a waiting-list offer): in the cart as the
   * session's own holds, each until the offer's end.
   */
  offered(holds: readonly MyHold[]): void {
    if (this.disposed) return;
    for (const watcher of this.confirmedWatchers) for (const h of holds) watcher.add(h.seatId);
    this.dispatch({ type: 'holdConfirmed', holds });
  }

  /** "More time": every hold gets the hold time again from now; offered once per cart. */
  async moreTime(): Promise<void> {
    if (!canAskMoreTime(this.extension.get())) return;
    this.extension.set({ state: 'asking' });
    try {
      const { holds } = await this.services.api.extendHolds(this.eventId);
      this.dispatch({ type: 'holdConfirmed', holds });
      this.extension.set({ state: 'granted' });
    } catch (error) {
      this.extension.set({ state: 'refused', message: describeFailure(error).detail });
    }
  }

  private async release(seat: number): Promise<void> {
    const seatId = this.options.venue.ids[seat] ?? '';
    this.dispatch({ type: 'releaseRequested', seatId });
    try {
      await this.services.api.release(this.eventId, seatId);
      this.dispatch({ type: 'releaseConfirmed', seatId });
    } catch (error) {
      const failure = describeFailure(error);
      // 404 HOLD_NOT_FOUND / 403 NOT_OWNER: the seat is not ours any more, which is what we wanted.
      const stillMine = failure.status !== 404 && failure.status !== 403;
      this.dispatch({ type: 'releaseRejected', seatId, stillMine });
      if (stillMine) this.services.toasts.push(failure.detail);
    }
  }

  private expireHolds(): void {
    const state = this.live.get();
    const now = this.services.clock.now();
    const endedPlaces = [...state.places]
      .filter(([, place]) => place.expiresAt <= now)
      .map(([id]) => id);
    if (endedPlaces.length > 0 && this.checkout.get().phase !== 'placing') {
      this.dispatch({ type: 'placesDropped', placeIds: endedPlaces });
      this.services.toasts.push('Your held places ran out of time.', 'info', true);
    }
    const seats = expiredSeats(state.mine, state.checkingOut, this.services.clock.now());
    if (seats.length === 0) return;
    const { venue } = this.options;
    this.dispatch({ type: 'holdsExpired', seatIds: seats.map((seat) => venue.ids[seat] ?? '') });
    const message = expiryMessage(venue, seats);
    if (message !== null) this.services.toasts.push(message, 'info', true);
  }

  /** GET /seats: the only way to learn `mine` after a reload or a server restart. */
  private async refreshFromRest(): Promise<void> {
    const confirmed = new Set<string>();
    this.confirmedWatchers.add(confirmed);
    try {
      const snapshot = await this.services.api.getSeats(this.eventId);
      if (!this.disposed) this.dispatch({ type: 'restSnapshot', snapshot, keep: [...confirmed] });
    } catch (error) {
      console.warn('[seatmap] seat snapshot failed', error);
    } finally {
      this.confirmedWatchers.delete(confirmed);
    }
  }

  private onConnection(status: ConnectionStatus): void {
    this.socketStatus = status;
    this.updateConnection();
    // A dropped connection may have missed changes: wait for the next snapshot.
    if (status === 'reconnecting') this.dispatch({ type: 'resync' });
    // Each new connection's first snapshot: the server may have restarted and lost our holds.
    if (status === 'live') void this.refreshFromRest();
  }

  private updateConnection(): void {
    const before = this.connection.get();
    const after = buyerConnection(this.socketStatus, this.online);
    this.connection.set(after);
    if (recovered(before, after)) this.services.toasts.clearErrors();
  }

  private readonly onOnline = (): void => {
    this.online = true;
    this.updateConnection();
    this.socket.reconnectNow();
  };

  private readonly onOffline = (): void => {
    this.online = false;
    this.updateConnection();
  };

  private dispatch(action: LiveAction): void {
    if (this.disposed) return;
    const before = this.live.get();
    this.live.set(reduceLive(before, action));
    // An empty cart ends the extension: the next holds may ask for more time again.
    if (this.live.get().mine.size === 0 && this.extension.get().state !== 'idle') {
      this.extension.set({ state: 'idle' });
    }
    if (SERVER_ACTIONS.has(action.type)) this.tellEndedHolds(before.mine);
  }

  /** Holds the server ended (swept expiry, reset, restart) leave the cart with a message. */
  private tellEndedHolds(before: LiveState['mine']): void {
    const after = this.live.get().mine;
    const now = this.services.clock.now();
    const { message } = endedHolds(this.options.venue, before, after, now);
    if (message !== null) this.services.toasts.push(message, 'info', true);
  }
}

/** 128 random bits; crypto.randomUUID only exists on secure origins. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
