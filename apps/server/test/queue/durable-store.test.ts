// Embedded mode's waiting room across a restart: the in-process store writes its durable copy to
// PGlite through the same journal and SQL as Redis does to PostgreSQL, and a new process (a new
// store over the same database) finds the line where it was.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import { DurableQueueStore } from '../../src/queue/durable-store.js';
import { QueueJournal } from '../../src/queue/journal.js';
import { MemoryQueueStore } from '../../src/queue/memory-store.js';
import { openPglite, type Opened } from '../ledger/fixtures.js';
import { until } from '../support/wait.js';

const SECRET = randomBytes(32).toString('hex');
const AVAILABLE = { available: true, soldOut: false };

describe('durable in-process queue store (PGlite)', () => {
  let opened: Opened;
  let db: Db;
  let ledger: SqlLedger;
  beforeAll(async () => {
    opened = await openPglite();
    db = opened.db;
    ledger = new SqlLedger(db);
    await ledger.migrate();
  });
  afterAll(() => opened?.dispose());

  const boot = () => {
    const journal = new QueueJournal(ledger.queues, SECRET);
    return {
      journal,
      store: new DurableQueueStore(new MemoryQueueStore(Date.now, journal), journal),
    };
  };

  it('answers the same line after a restart, and keeps the seed sealed', async () => {
    const first = boot();
    const now = Date.now();
    const settings = {
      opensAt: now - 1_000,
      salesStartAt: now + 300,
      admitPerMinute: 6_000,
      admissionSeconds: 600,
      powBits: 0,
    };
    const seed = randomBytes(32).toString('hex');
    expect(await first.store.configure('e', settings, seed)).toMatchObject({ ok: true });
    for (let i = 0; i < 30; i++) await first.store.join('e', `s${i}`, `t${i}`, 0);
    await until('drawn and some admitted', async () => {
      const ticked = await first.store.tick('e', AVAILABLE);
      return ticked.ok && ticked.servedThrough >= 5 ? ticked : undefined;
    });
    await first.store.patch('e', { paused: true });
    const before = await Promise.all(
      Array.from({ length: 30 }, (_, i) => first.store.entry('e', `s${i}`)),
    );
    await first.store.close();

    const [row] = await db.query<{ sealed_seed: string }>('SELECT sealed_seed FROM queues');
    expect(row!.sealed_seed).not.toContain(seed);

    const second = boot();
    for (let i = 0; i < 30; i++) {
      const was = before[i]!;
      const is = await second.store.entry('e', `s${i}`);
      if (!was.ok || !is.ok) throw new Error('entry lost');
      expect(is.entry).toEqual(was.entry);
      expect(is.queue).toMatchObject({ paused: true, servedThrough: was.queue.servedThrough });
    }
    const audit = await second.store.audit('e');
    expect(audit).toMatchObject({ ok: true, seed, prequeue: expect.any(Array) });
    expect(await second.store.join('e', 'late', 't-late', 0)).toMatchObject({
      ok: true,
      created: true,
      entry: { number: 31 },
    });
    await second.store.close();
  });
});
