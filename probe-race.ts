import { createPgDb } from './apps/server/src/ledger/db.js';
import { migrate } from './apps/server/src/ledger/migrate.js';
import { SqlLedger } from './apps/server/src/ledger/sql-ledger.js';
const schema = 't_probe_' + Math.random().toString(16).slice(2, 8);
const admin = createPgDb({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.query(`CREATE SCHEMA ${schema}`);
const db = createPgDb({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema, poolSize: 20 });
await migrate(db);
const l = new SqlLedger(db);
await Promise.all(Array.from({ length: 20 }, () => db.query('SELECT 1')));
const venue = { name: 'v', stage: { x: 0, y: 0, width: 1, height: 1, label: 's' }, sections: [] };
const stats: Record<string, number> = {};
for (let round = 0; round < 100; round++) {
  const ev = 'e' + round;
  await l.createEvent({ id: ev, name: 'x', venue: venue as never, startsAt: new Date(), currency: 'EUR', seatCount: 10 });
  const seats = Array.from({ length: 10 }, (_, i) => 'S' + i);
  const res = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => l.insertOrder({ eventId: ev, sessionId: 's' + i, idempotencyKey: 'k', currency: 'EUR',
    tickets: [seats[i % 10], seats[(i + 3) % 10], seats[(i + 7) % 10]].map((s) => ({ seatId: s!, sectionId: 'a', price: 1 })) })));
  for (const r of res) { const k = r.status === 'rejected' ? 'err:' + (r.reason as Error).message.slice(0, 40) : r.value.ok ? 'ok' : r.value.reason; stats[k] = (stats[k] ?? 0) + 1; }
}
console.log(stats);
await db.close(); await admin.query(`DROP SCHEMA ${schema} CASCADE`); await admin.close();
