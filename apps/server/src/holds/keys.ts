// The one place Redis keys of the hold store are built. Every key of an event carries the
// `{ev:<id>}` hash tag, so one event lives in one Redis Cluster slot and its scripts stay atomic.

/** The event's waiting room (queue/README.md). */
export interface QueueKeys {
  /** HASH: settings, seed, draw and admission state (servedThrough, token bucket). */
  cfg: string;
  /** HASH sessionId → ticketId. */
  entries: string;
  /** HASH ticketId → sessionId. */
  owners: string;
  /** ZSET ticketId → arrival: the pre-queue (joined before salesStartAt). */
  pre: string;
  /** ZSET ticketId → arrival: joined after salesStartAt, before the draw was applied. */
  late: string;
  /** ZSET ticketId → number: the line. */
  line: string;
  /** HASH sessionId → admittedUntil (epoch ms): the record the hold gate checks. */
  admitted: string;
  /** ZSET of a session's joins in the last window, scored by time ms: its join rate limit. */
  joins(sessionId: string): string;
}

export interface EventKeys {
  /** Marker set by restore; its absence means the state was never built or was lost. */
  ready: string;
  /** The event's sequence number (last change). */
  seq: string;
  /** HASH seatId → owner sessionId. */
  holder: string;
  /** ZSET seatId → hold expiry (epoch ms). */
  exp: string;
  /** SET of SOLD seat ids. */
  sold: string;
  /**
   * HASH seatId → checkout deadline (epoch ms): an order for the seat is being written; and
   * `+seatId` → the hold's extension mark (dropped with the hold).
   */
  checkout: string;
  /** HASH seatId → the sessionId it was sold to. */
  buyer: string;
  /** HASH sessionId → seats sold to it (its buying limit counts them). */
  bought: string;
  /** HASH seatId → the client address a hold was placed from. */
  placedFrom: string;
  /** HASH GA sectionId → the place number its next search for free places starts at. */
  gaCursor: string;
  /** Sharded pub/sub channel the scripts publish change batches to. */
  channel: string;
  /** HASH replica id → "<viewers>:<expires at ms>": how many look at the event (realtime/presence). */
  viewers: string;
  queue: QueueKeys;
  /** SET of the seat ids a session holds: a hint, always re-checked against `holder`. */
  session(sessionId: string): string;
  /** SET of the seat ids held from a client address: a hint, re-checked against `placedFrom`. */
  address(address: string): string;
}

/** Events whose keys are remembered; past this many the memory is simply cleared. */
const CACHED_EVENTS = 1_000;

export class Keys {
  private readonly cache = new Map<string, EventKeys>();

  constructor(private readonly prefix = '') {}

  /** The keys of an event, built once per event (every store call needs them). */
  event(eventId: string): EventKeys {
    let keys = this.cache.get(eventId);
    if (keys === undefined) {
      if (this.cache.size >= CACHED_EVENTS) this.cache.clear();
      keys = this.build(eventId);
      this.cache.set(eventId, keys);
    }
    return keys;
  }

  private build(eventId: string): EventKeys {
    const base = `${this.prefix}{ev:${eventId}}:`;
    return {
      ready: `${base}ready`,
      seq: `${base}seq`,
      holder: `${base}holder`,
      exp: `${base}exp`,
      sold: `${base}sold`,
      checkout: `${base}checkout`,
      buyer: `${base}buyer`,
      bought: `${base}bought`,
      placedFrom: `${base}from`,
      gaCursor: `${base}ga:cursor`,
      channel: `${base}changes`,
      viewers: `${base}viewers`,
      queue: {
        cfg: `${base}q:cfg`,
        entries: `${base}q:entries`,
        owners: `${base}q:owners`,
        pre: `${base}q:pre`,
        late: `${base}q:late`,
        line: `${base}q:line`,
        admitted: `${base}q:admitted`,
        joins: (sessionId: string) => `${base}q:joins:${sessionId}`,
      },
      session: (sessionId: string) => `${base}sess:${sessionId}`,
      address: (address: string) => `${base}addr:${address}`,
    };
  }
}
