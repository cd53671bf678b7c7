// The outbox on both engines: appendOutbox writes an event if and only if the transaction of the
// change commits, fans it out to the subscribed, enabled endpoints (and 'mail'), writes nothing
// that no target wants, and the dispatcher's claim keeps the order per order and target.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/ledger/db.js';
import { migrate } from '../../src/ledger/migrate.js';
import { appendOutbox, MAIL_TARGET, type OutboxRow } from '../../src/ledger/outbox.js';
import { OutboxSql } from '../../src/ledger/outbox-sql.js';
import { engines, type Opened } from './fixtures.js';

describe.each(engines)('the outbox on $name', (engine) => {
  let opened: Opened;
  let db: Db;
  let outbox: OutboxSql;
  const hook = randomUUID();
  const off = randomUUID();

  beforeAll(async () => {
    opened = await engine.open();
    db = opened.db;
    await migrate(db);
    outbox = new OutboxSql(db);
    await outbox.createEndpoint({
      id: hook,
      url: 'https://a.example/',
      events: ['order.cancelled'],
      sealedSecret: 'x',
    });
    await outbox.createEndpoint({
      id: off,
      url: 'https://b.example/',
      events: ['order.cancelled'],
      sealedSecret: 'x',
    });
    await outbox.disableEndpoint(off);
  });
  afterAll(() => opened?.dispose());

  const cancelled = (orderId: string): OutboxRow => ({
    type: 'order.cancelled',
    orderId,
    eventId: 'ev',
    data: { orderId },
  });
  const deliveries = (orderId: string) =>
    db.query<{ target: string }>(
      'SELECT target FROM outbox_deliveries WHERE order_id = $1 ORDER BY id',
      [orderId],
    );

  it('writes with the transaction that commits, and not with one that rolls back', async () => {
    const kept = randomUUID();
    const dropped = randomUUID();
    await db.transaction(async (tx) => {
      expect(await appendOutbox(tx, [cancelled(kept)])).toBe(1);
    });
    await expect(
      db.transaction(async (tx) => {
        await appendOutbox(tx, [cancelled(dropped)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await deliveries(kept)).map((d) => d.target)).toEqual([hook]);
    expect(await deliveries(dropped)).toEqual([]);
  });

  it('writes nothing nobody wants, and a mail row for the mailer', async () => {
    const orderId = randomUUID();
    const rows: OutboxRow[] = [
      { type: 'ticket.checked_in', orderId, eventId: 'ev', data: {} },
      { type: 'mail.order_confirmation', orderId, eventId: 'ev', data: { orderId } },
    ];
    expect(await db.transaction((tx) => appendOutbox(tx, rows))).toBe(1);
    expect((await deliveries(orderId)).map((d) => d.target)).toEqual([MAIL_TARGET]);
  });

  it('claims one delivery per order and target at a time, in order', async () => {
    const orderId = randomUUID();
    await db.transaction((tx) => appendOutbox(tx, [cancelled(orderId)]));
    await db.transaction((tx) => appendOutbox(tx, [cancelled(orderId)]));
    const first = (await outbox.claim(100, 60_000)).filter((d) => d.data.orderId === orderId);
    expect(first).toHaveLength(1);
    expect((await outbox.claim(100, 60_000)).filter((d) => d.data.orderId === orderId)).toEqual([]);
    const [claimed] = first;
    if (claimed === undefined) throw new Error('nothing claimed');
    // A stale attempt's result is not written; the holder's is.
    await outbox.record([
      {
        id: claimed.id,
        attempt: claimed.attempt + 1,
        state: 'delivered',
        status: 200,
        error: null,
        retryInMs: null,
      },
    ]);
    expect((await outbox.claim(100, 60_000)).filter((d) => d.data.orderId === orderId)).toEqual([]);
    await outbox.record([
      {
        id: claimed.id,
        attempt: claimed.attempt,
        state: 'delivered',
        status: 200,
        error: null,
        retryInMs: null,
      },
    ]);
    const second = (await outbox.claim(100, 60_000)).filter((d) => d.data.orderId === orderId);
    expect(second.map((d) => d.outboxId)).toEqual([expect.any(Number)]);
    expect(second[0]?.outboxId).toBeGreaterThan(claimed.outboxId);
    expect(await outbox.attempts(hook, 10)).toMatchObject([
      { deliveryId: claimed.id, status: 200, type: 'order.cancelled' },
    ]);
  });
});
