// `node --import tsx bench/src/tools/dispatch-cost.ts [BUILD] [backlog|paced] [N] [RATE]`: the
// webhook dispatcher's CPU per delivery, alone in this process, on a schema of its own in the
// test database. BUILD is the server's build folder (default apps/server/dist; a copy of an
// older build compares before and after). A peer process (this file with `peer`) runs the
// receiver on loopback (204 to everything) and writes the outbox rows: N at once (backlog), or
// RATE a second (paced, in 50 ms steps), so that this process's CPU is the dispatcher's: claims,
// unsealing, signing, the POSTs and the recorded results, and its idle polls over the window.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

import type * as DbModule from '../../../apps/server/src/ledger/db.js';
import type * as MigrateModule from '../../../apps/server/src/ledger/migrate.js';
import type * as OutboxModule from '../../../apps/server/src/ledger/outbox-sql.js';
import type * as DispatcherModule from '../../../apps/server/src/jobs/dispatcher.js';
import type * as SenderModule from '../../../apps/server/src/webhooks/sender.js';
import type * as SecretsModule from '../../../apps/server/src/webhooks/secrets.js';

type DispatcherArgs = ConstructorParameters<typeof DispatcherModule.Dispatcher>;

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WAIT_LIMIT_MS = 180_000;

type PeerMessage = { port: number } | { inserted: true } | { received: number };

if (process.argv[2] === 'peer') await peer();
else await main();

async function main(): Promise<void> {
  const build = resolve(process.argv[2] ?? 'apps/server/dist');
  const mode = process.argv[3] === 'paced' ? 'paced' : 'backlog';
  const total = Number(process.argv[4] ?? 10_000);
  const rate = Number(process.argv[5] ?? 1_000);
  const load = <T>(path: string): Promise<T> =>
    import(pathToFileURL(`${build}/${path}`).href) as Promise<T>;
  const { createPgDb } = await load<typeof DbModule>('ledger/db.js');
  const { migrate } = await load<typeof MigrateModule>('ledger/migrate.js');
  const { OutboxSql } = await load<typeof OutboxModule>('ledger/outbox-sql.js');
  const { Dispatcher } = await load<typeof DispatcherModule>('jobs/dispatcher.js');
  const { WebhookSender } = await load<typeof SenderModule>('webhooks/sender.js');
  const { newWebhookSecret, sealWebhookSecret } =
    await load<typeof SecretsModule>('webhooks/secrets.js');

  const schema = `dispatch_cost_${randomBytes(4).toString('hex')}`;
  const db = createPgDb({ connectionString: DATABASE_URL, schema });
  await db.query(`CREATE SCHEMA ${schema}`);
  try {
    await migrate(db);
    const outbox = new OutboxSql(db);
    const sessionSecret = randomBytes(32).toString('hex');
    const endpointId = randomUUID();
    const child = fork(
      new URL(import.meta.url),
      ['peer', schema, endpointId, mode, `${total}`, `${rate}`],
      {
        execArgv: process.execArgv,
      },
    );
    const next = (): Promise<PeerMessage> =>
      new Promise((done) => child.once('message', (m) => done(m as PeerMessage)));
    const hello = await next();
    if (!('port' in hello)) throw new Error('the peer did not start');
    await outbox.createEndpoint({
      id: endpointId,
      url: `http://127.0.0.1:${hello.port}/hooks`,
      events: ['order.confirmed'],
      sealedSecret: sealWebhookSecret(sessionSecret, endpointId, newWebhookSecret()),
    });
    const sender = new WebhookSender({ timeoutMs: 10_000, allowPrivateTargets: true });
    const silent = { warn: () => undefined } as unknown as DispatcherArgs[4];
    const noMail = {} as DispatcherArgs[2];
    const options = {
      pollMs: 200,
      concurrency: 100,
      leaseMs: 15_000,
      retryScale: 1,
      sessionSecret,
    };
    const dispatcher = new Dispatcher(outbox, sender, noMail, options, silent);
    dispatcher.start();
    await new Promise((done) => setTimeout(done, 500));

    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    child.send('go');
    await next();
    let received = 0;
    while (received < total && Date.now() - started < WAIT_LIMIT_MS) {
      await new Promise((done) => setTimeout(done, 100));
      child.send('count');
      const reply = await next();
      if ('received' in reply) received = reply.received;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const elapsedMs = Date.now() - started;
    await dispatcher.stop();
    sender.close();
    child.send('exit');
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const what = mode === 'paced' ? `${total} at ${rate}/s` : `${total} at once`;
    console.log(
      `${build} ${what}: ${received} received in ${elapsedMs} ms, dispatcher CPU ` +
        `${cpuMs.toFixed(0)} ms = ${((cpuMs * 1000) / Math.max(1, received)).toFixed(1)} µs/delivery`,
    );
  } finally {
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  }
}

/** The receiver and the writer of outbox rows, in a process of their own. */
async function peer(): Promise<void> {
  const [schema = '', endpointId = '', mode = 'backlog', total = '0', rate = '0'] =
    process.argv.slice(3);
  const send = (message: PeerMessage) => process.send?.(message);
  const client = new pg.Client({
    connectionString: DATABASE_URL,
    options: `-c search_path=${schema}`,
  });
  await client.connect();
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  // An order.confirmed of one seat, as the checkout writes it.
  const insert = (n: number) =>
    client.query(
      `WITH o AS (
        INSERT INTO outbox (type, order_id, event_id, data)
        SELECT 'order.confirmed', id, 'bench', jsonb_build_object('orderId', id,
          'eventId', 'bench-webhooks', 'seats', jsonb_build_array(jsonb_build_object(
            'seatId', 'S01-R01-' || g, 'sectionId', 'S01', 'priceCents', 5000)),
          'totalCents', 5000, 'currency', 'USD', 'createdAt', now())
        FROM (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $1) g) AS rows
        RETURNING id, order_id)
      INSERT INTO outbox_deliveries (outbox_id, target, order_id)
      SELECT id, $2, order_id FROM o ORDER BY id`,
      [n, endpointId],
    );
  process.on('message', (message) => {
    void (async () => {
      if (message === 'go') {
        const n = Number(total);
        if (mode === 'backlog') await insert(n);
        else {
          const start = Date.now();
          let written = 0;
          while (written < n) {
            const due = Math.min(n, Math.floor(((Date.now() - start) / 1000) * Number(rate)));
            if (due > written) await insert(due - written);
            written = Math.max(written, due);
            await new Promise((done) => setTimeout(done, 50));
          }
        }
        send({ inserted: true });
      } else if (message === 'count') send({ received });
      else if (message === 'exit') {
        await client.end();
        server.close();
        process.exit(0);
      }
    })();
  });
  send({ port: (server.address() as AddressInfo).port });
}
