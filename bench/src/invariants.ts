// The invariant checker (DESIGN.md, "Invariants"): reads the ledger (PostgreSQL) and the hold
// store (Redis) directly, never through the server, and reports every broken rule it can see.
// Used by the bench after each scenario; tests may use it on their own prefix and schema.
import type { Redis } from 'ioredis';
// The server's one builder of Redis key names: reading the store with the same function is what
// keeps this checker in step with the scripts.
import { Keys } from '@ticketmain/server/keys';

import {
  checkStoreState,
  compareSold,
  violation,
  type AcknowledgedOrder,
  type StoreState,
  type Truth,
  type Violation,
} from './invariant-rules.js';
import { field, list, pairs, results, strings } from './replies.js';

export * from './invariant-rules.js';

/** What the checker needs of a pg Pool or Client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const ORDER_BATCH = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvariantChecker {
  private readonly keys: Keys;
  private readonly table: (name: 'orders' | 'tickets') => string;

  constructor(
    private readonly redis: Redis,
    private readonly db: Queryable,
    options: { keyPrefix?: string; schema?: string } = {},
  ) {
    this.keys = new Keys(options.keyPrefix ?? '');
    const { schema } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`bad schema name ${schema}`);
    }
    this.table = (name) => (schema === undefined ? name : `"${schema}".${name}`);
  }

  /** Every check of one event, at rest (no request in flight). */
  async checkEvent(eventId: string): Promise<Violation[]> {
    const [ledger, sold, state] = await Promise.all([
      this.checkLedger(eventId),
      this.ledgerSold(eventId),
      this.readStore(eventId),
    ]);
    const found = [...ledger, ...checkStoreState(eventId, state)];
    found.push(...(await this.checkSessionSets(eventId, state.holders)));
    // A store that is not ready is rebuilt from the ledger before use: nothing to compare yet.
    if (state.ready) found.push(...compareSold(eventId, sold, state.sold));
    return found;
  }

  /** Ledger rules: no seat sold twice, every order has tickets of its event adding up to it. */
  async checkLedger(eventId: string): Promise<Violation[]> {
    const tickets = this.table('tickets');
    const orders = this.table('orders');
    const [twice, empty, totals, foreign] = await Promise.all([
      this.column(
        // Live tickets only: a cancelled seat sold again has one cancelled ticket and one live.
        `SELECT seat_id FROM ${tickets} WHERE event_id = $1 AND status = 'live'
          GROUP BY seat_id HAVING count(*) > 1`,
        [eventId],
      ),
      this.column(
        `SELECT o.id::text FROM ${orders} o WHERE o.event_id = $1
           AND NOT EXISTS (SELECT 1 FROM ${tickets} t WHERE t.order_id = o.id)`,
        [eventId],
      ),
      this.column(
        `SELECT o.id::text FROM ${orders} o JOIN ${tickets} t ON t.order_id = o.id
          WHERE o.event_id = $1 GROUP BY o.id HAVING o.total_cents <> sum(t.price_cents)`,
        [eventId],
      ),
      this.column(
        `SELECT t.seat_id FROM ${tickets} t JOIN ${orders} o ON o.id = t.order_id
          WHERE t.event_id = $1 AND o.event_id <> t.event_id`,
        [eventId],
      ),
    ]);
    return [
      violation('double-sale', eventId, 'seats with more than one ticket', twice),
      violation('order-without-tickets', eventId, 'orders without a ticket', empty),
      violation(
        'order-total',
        eventId,
        'orders whose total is not the sum of their tickets',
        totals,
      ),
      violation(
        'ticket-of-other-event',
        eventId,
        "tickets of another event than their order's",
        foreign,
      ),
    ].filter((v): v is Violation => v !== null);
  }

  /** The seats the ledger has sold (live tickets; a cancelled one frees its seat). */
  async ledgerSold(eventId: string): Promise<Set<string>> {
    const sql = `SELECT seat_id FROM ${this.table('tickets')} WHERE event_id = $1 AND status = 'live'`;
    return new Set(await this.column(sql, [eventId]));
  }

  async readStore(eventId: string): Promise<StoreState> {
    const k = this.keys.event(eventId);
    const replies = await this.redis
      .multi()
      .call('EXISTS', k.ready)
      .call('GET', k.seq)
      .call('HGETALL', k.holder)
      .call('ZRANGE', k.exp, '0', '-1', 'WITHSCORES')
      .call('SMEMBERS', k.sold)
      .exec();
    const [ready, seq, holder, exp, sold] = results(replies, 5);
    const expiries = new Map<string, number>();
    for (const [seat, score] of pairs(exp)) expiries.set(seat, Number(score));
    return {
      ready: Number(ready) === 1,
      seq: typeof seq === 'string' ? Number(seq) : 0,
      holders: new Map(pairs(holder)),
      expiries,
      sold: new Set(strings(sold)),
    };
  }

  /**
   * Checks a few seats while load runs (hold-storm's sampler): one MULTI reads their holders,
   * SOLD marks and expiries; a second reads the holders again with the owners' session sets, and
   * only pairs unchanged in between are held to the session-set rule.
   */
  async sampleSeats(
    eventId: string,
    seatIds: readonly string[],
  ): Promise<{ violations: Violation[]; holders: Map<string, string> }> {
    const k = this.keys.event(eventId);
    const replies = await this.redis
      .multi()
      .call('HMGET', k.holder, ...seatIds)
      .call('SMISMEMBER', k.sold, ...seatIds)
      .call('ZMSCORE', k.exp, ...seatIds)
      .exec();
    const [owners, soldFlags, scores] = results(replies, 3).map(list);
    const state: StoreState = {
      ready: true,
      seq: 0,
      holders: new Map(),
      expiries: new Map(),
      sold: new Set(),
    };
    seatIds.forEach((seat, i) => {
      const owner = owners?.[i];
      if (typeof owner === 'string') state.holders.set(seat, owner);
      if (Number(soldFlags?.[i]) === 1) state.sold.add(seat);
      const score = scores?.[i];
      if (typeof score === 'string') state.expiries.set(seat, Number(score));
    });
    const found = checkStoreState(eventId, state);
    found.push(...(await this.checkSessionSets(eventId, state.holders)));
    return { violations: found, holders: state.holders };
  }

  /** The owners of some seats (seat → session id), the free ones left out. */
  async readHolders(eventId: string, seatIds: readonly string[]): Promise<Map<string, string>> {
    const owners = await this.redis.hmget(this.keys.event(eventId).holder, ...seatIds);
    const holders = new Map<string, string>();
    seatIds.forEach((seat, i) => {
      const owner = owners[i];
      if (typeof owner === 'string') holders.set(seat, owner);
    });
    return holders;
  }

  /** Each held seat is in its owner's session set (the set is a hint the scripts rely on). */
  async checkSessionSets(eventId: string, holders: Map<string, string>): Promise<Violation[]> {
    if (holders.size === 0) return [];
    const k = this.keys.event(eventId);
    const byOwner = new Map<string, string[]>();
    for (const [seat, owner] of holders) byOwner.set(owner, [...(byOwner.get(owner) ?? []), seat]);
    const owners = [...byOwner.keys()];
    let multi = this.redis.multi().call('HMGET', k.holder, ...holders.keys());
    for (const owner of owners)
      multi = multi.call('SMISMEMBER', k.session(owner), ...(byOwner.get(owner) ?? []));
    const replies = results(await multi.exec(), owners.length + 1);
    // Holders read again in the same MULTI as the sets: a pair that changed is not judged.
    const again = new Map<string, unknown>(
      [...holders.keys()].map((s, i) => [s, list(replies[0])?.[i]]),
    );
    const missing: string[] = [];
    owners.forEach((owner, i) => {
      const flags = list(replies[i + 1]) ?? [];
      (byOwner.get(owner) ?? []).forEach((seat, j) => {
        if (again.get(seat) === owner && Number(flags[j]) !== 1) missing.push(seat);
      });
    });
    const v = violation(
      'hold-not-in-session-set',
      eventId,
      "held seats missing from their owner's session set",
      missing,
    );
    return v === null ? [] : [v];
  }

  /** Every acknowledged (201) order is in the ledger with exactly its seats. */
  async checkAcknowledgedOrders(orders: readonly AcknowledgedOrder[]): Promise<Violation[]> {
    const bad = orders.filter((o) => !UUID.test(o.orderId)).map((o) => o.orderId);
    const valid = orders.filter((o) => UUID.test(o.orderId));
    for (let i = 0; i < valid.length; i += ORDER_BATCH) {
      const batch = valid.slice(i, i + ORDER_BATCH);
      const { rows } = await this.db.query(
        `SELECT t.order_id::text AS order_id, t.event_id, t.seat_id FROM ${this.table('tickets')} t
          WHERE t.order_id = ANY($1::uuid[])`,
        [batch.map((o) => o.orderId)],
      );
      const stored = new Map<string, string[]>();
      for (const row of rows) {
        const orderId = field(row, 'order_id');
        stored.set(orderId, [
          ...(stored.get(orderId) ?? []),
          `${field(row, 'event_id')}/${field(row, 'seat_id')}`,
        ]);
      }
      for (const order of batch) {
        const want = order.seatIds.map((s) => `${order.eventId}/${s}`).sort();
        const got = (stored.get(order.orderId) ?? []).sort();
        if (want.join() !== got.join()) bad.push(order.orderId);
      }
    }
    const v = violation(
      'acknowledged-order-missing',
      undefined,
      'orders answered 201 but not in the ledger with their seats',
      bad,
    );
    return v === null ? [] : [v];
  }

  /** The truth to compare a subscriber's view with. */
  async readTruth(eventId: string): Promise<Truth> {
    const [state, sold] = await Promise.all([this.readStore(eventId), this.ledgerSold(eventId)]);
    return { eventId, seq: state.seq, held: new Set(state.holders.keys()), sold };
  }

  private async column(sql: string, params: unknown[]): Promise<string[]> {
    const { rows } = await this.db.query(sql, params);
    return rows.map((row) => {
      if (typeof row !== 'object' || row === null) throw new Error(`unexpected row ${String(row)}`);
      const value = Object.values(row)[0];
      if (typeof value !== 'string') throw new Error(`unexpected value ${String(value)}`);
      return value;
    });
  }
}
