// The ticket signing keys in the ledger, on PostgreSQL and PGlite: created once whoever starts
// first, the same after a restart and on every replica, sealed with SESSION_SECRET, rotated with
// the old keys kept; orders from before the keys existed are signed with the first key.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb, createPgDb } from '../../src/ledger/db.js';
import { SqlLedger } from '../../src/ledger/sql-ledger.js';
import type { OrderRecord } from '../../src/ledger/types.js';
import { OrderPresenter } from '../../src/orders/present.js';
import { TicketKeyring } from '../../src/tickets/keyring.js';
import { DATABASE_URL, engines, openPostgres, type Opened } from '../ledger/fixtures.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

function orderRecord(signingKid: string | null): OrderRecord {
  return {
    id: randomUUID(),
    eventId: 'ev',
    sessionId: randomUUID(),
    idempotencyKey: 'k',
    tickets: [{ ticketId: randomUUID(), seatId: 'A1', sectionId: 's', price: 100 }],
    total: 100,
    currency: 'EUR',
    createdAt: new Date('2030-01-01T20:00:00.000Z'),
    accessKey: 'key',
    signingKid,
    buyer: null,
    cancelledAt: null,
    refund: null,
  };
}

const present = (keyring: TicketKeyring, order: OrderRecord) =>
  new OrderPresenter(keyring, '').present(order);

const kidOfCode = (code: string) =>
  (JSON.parse(Buffer.from(code.split('.')[0] ?? '', 'base64url').toString()) as { kid: string })
    .kid;

describe.each(engines)('ticket keys on $name', (engine) => {
  let opened: Opened;
  let ledger: SqlLedger;

  beforeAll(async () => {
    opened = await engine.open();
    ledger = new SqlLedger(opened.db);
    await ledger.migrate();
  });
  afterAll(() => opened?.dispose());

  it('creates one key for replicas starting together, and keeps it across restarts', async () => {
    const replicas = Array.from({ length: 4 }, () => new TicketKeyring(ledger, SECRET));
    await Promise.all(replicas.map((replica) => replica.start()));
    const kids = new Set(replicas.map((replica) => replica.current().kid));
    expect(kids.size).toBe(1);
    expect(await ledger.ticketKeys()).toHaveLength(1);
    const restarted = new TicketKeyring(ledger, SECRET);
    await restarted.start();
    expect(restarted.current().kid).toBe(replicas[0]?.current().kid);
    // Deterministic: the same order is the same code on every replica and after the restart.
    const order = orderRecord(restarted.current().kid);
    const codes = await Promise.all(
      [...replicas, restarted].map(async (k) => (await present(k, order)).tickets[0]?.code),
    );
    expect(new Set(codes).size).toBe(1);
  });

  it('keeps the private key sealed: no other SESSION_SECRET opens it', async () => {
    const [stored] = await ledger.ticketKeys();
    expect(stored?.sealedPrivateKey).not.toContain('"d"');
    expect(JSON.stringify(stored?.publicJwk)).not.toContain('"d"');
    await expect(new TicketKeyring(ledger, `${SECRET}-other`).start()).rejects.toThrow(
      /SESSION_SECRET/,
    );
  });

  it('rotates: new orders get the new key, old orders keep theirs, all stay listed', async () => {
    let now = 0;
    const first = new TicketKeyring(ledger, SECRET, { now: () => now });
    const other = new TicketKeyring(ledger, SECRET, { now: () => now, refreshMs: 60_000 });
    await Promise.all([first.start(), other.start()]);
    const old = first.current().kid;
    const oldRecord = orderRecord(old);
    const oldOrder = await present(first, oldRecord);
    const legacy = await present(first, orderRecord(null));
    const added = await first.rotate();
    expect(first.current().kid).toBe(added.kid);
    expect(first.jwks().keys.map((key) => key.kid)).toEqual([old, added.kid]);
    // The other replica learns of the new key when its list is a minute old.
    expect(other.current().kid).toBe(old);
    now = 60_001;
    other.current();
    await expect.poll(() => other.current().kid).toBe(added.kid);
    // Signing again from the stored rows gives every order its first code.
    expect(await present(other, oldRecord)).toEqual(oldOrder);
    expect(kidOfCode(legacy.tickets[0]?.code ?? '')).toBe(old);
    expect(kidOfCode((await present(other, orderRecord(null))).tickets[0]?.code ?? '')).toBe(old);
  });
});

describe('ticket keys in embedded mode', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ticketmain-keys-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('survives a restart of the process (PGlite in a data folder)', async () => {
    const kidAfterStart = async (): Promise<string> => {
      const ledger = new SqlLedger(await createPgliteDb({ dataDir }));
      try {
        await ledger.migrate();
        const keyring = new TicketKeyring(ledger, SECRET);
        await keyring.start();
        return keyring.current().kid;
      } finally {
        await ledger.close();
      }
    };
    const first = await kidAfterStart();
    expect(await kidAfterStart()).toBe(first);
  });
});

describe('ticket keys of two replicas on one PostgreSQL schema', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openPostgres();
  });
  afterAll(() => opened?.dispose());

  it('sign with the same kid through pools of their own', async () => {
    const schema = (await opened.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]?.s;
    const replicas = [0, 1].map(
      () => new SqlLedger(createPgDb({ connectionString: DATABASE_URL, schema })),
    );
    try {
      await Promise.all(replicas.map((ledger) => ledger.migrate()));
      const keyrings = replicas.map((ledger) => new TicketKeyring(ledger, SECRET));
      await Promise.all(keyrings.map((keyring) => keyring.start()));
      expect(keyrings[0]?.current().kid).toBe(keyrings[1]?.current().kid);
    } finally {
      await Promise.all(replicas.map((ledger) => ledger.close()));
    }
  });
});
