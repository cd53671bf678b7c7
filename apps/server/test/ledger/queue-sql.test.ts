// The queues' durable copy on both engines: writes of several replicas merge whatever order they
// land in (an admission before the join it admits, a stale ticket after a rejoin), the draw is
// recorded once, and a load reads it all back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/ledger/db.js';
import { migrate } from '../../src/ledger/migrate.js';
import { QueueSql, type EntryRow } from '../../src/ledger/queue-sql.js';
import { engines, type Opened } from './fixtures.js';

const row = (sessionId: string, ticketId: string, extra: Partial<EntryRow> = {}): EntryRow => ({
  sessionId,
  ticketId,
  arrival: null,
  prequeue: null,
  number: null,
  admittedUntil: null,
  ...extra,
});

describe.each(engines)('QueueSql on $name', (engine) => {
  let opened: Opened;
  let db: Db;
  let sql: QueueSql;
  let events = 0;

  beforeAll(async () => {
    opened = await engine.open();
    db = opened.db;
    await migrate(db);
    sql = new QueueSql(db);
  });
  afterAll(() => opened?.dispose());

  async function queue(): Promise<string> {
    const eventId = `q-${++events}`;
    await sql.upsertQueue({
      eventId,
      opensAt: 1_000,
      salesStartAt: 2_000,
      admitPerMinute: 60,
      admissionSeconds: 600,
      powBits: 0,
      sealedSeed: 'sealed',
      seedCommitment: 'commitment',
    });
    return eventId;
  }

  it('merges entries and counters in any order', async () => {
    const eventId = await queue();
    // The admission lands before the join it admits (two replicas' batches).
    await sql.writeChanges([
      {
        eventId,
        entries: [row('s1', 't1', { number: 1, admittedUntil: 9_000 })],
        servedThrough: 1,
      },
    ]);
    await sql.writeChanges([
      {
        eventId,
        entries: [
          row('s1', 't1', { arrival: 1, prequeue: false, number: 1 }),
          row('s2', 't2', { arrival: 2, prequeue: false, number: 2 }),
        ],
        lastNumber: 2,
        arrivals: 2,
        servedThrough: 0,
        soldOut: true,
      },
    ]);
    // s2 lost its entry and joined again: the new ticket replaces the old one.
    await sql.writeChanges([{ eventId, entries: [row('s2', 't3', { arrival: 3, number: 3 })] }]);
    const loaded = await sql.load(eventId);
    expect(loaded?.queue).toMatchObject({
      servedThrough: 1,
      lastNumber: 2,
      arrivals: 2,
      soldOut: true,
      sealedSeed: 'sealed',
      drawn: false,
    });
    const entries = [...(loaded?.entries ?? [])].sort((a, b) =>
      a.sessionId.localeCompare(b.sessionId),
    );
    expect(entries).toEqual([
      row('s1', 't1', { arrival: 1, prequeue: false, number: 1, admittedUntil: 9_000 }),
      row('s2', 't3', { arrival: 3, number: 3 }),
    ]);
    expect(await sql.queuedEventIds()).toContain(eventId);
    expect(await sql.load('no-such-queue')).toBeNull();
  });

  it('records the draw once and keeps settings apart from the counters', async () => {
    const eventId = await queue();
    await sql.recordDraw(eventId, ['b', 'a', 'late'], 2, 3);
    await sql.recordDraw(eventId, ['x'], 1, 1);
    await sql.patchQueue(eventId, 120, true);
    const loaded = await sql.load(eventId);
    expect(loaded?.queue).toMatchObject({
      drawn: true,
      drawnOrder: ['b', 'a', 'late'],
      prequeueCount: 2,
      lastNumber: 3,
      admitPerMinute: 120,
      paused: true,
    });
  });
});
