// The deployments a history runs on: in process (memory store + PGlite, its statements made to
// wait as over a network), one app on the shared Redis + PostgreSQL, and two replica processes
// sharing them; and small events to run it on.
import type { VenueLayout } from '@ticketmain/protocol';
import type { Db } from '../../src/ledger/db.js';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica } from '../support/process.js';
import { ADMIN_TOKEN, startServer } from '../support/server.js';

export type DeploymentKind = 'embedded' | 'services' | 'replicas';
export const DEPLOYMENTS: DeploymentKind[] = ['embedded', 'services', 'replicas'];

export interface Deployment {
  kind: DeploymentKind;
  /** One URL per server; clients are spread over them. */
  urls: string[];
  close(): Promise<void>;
}

export async function startDeployment(kind: DeploymentKind): Promise<Deployment> {
  if (kind !== 'replicas') {
    const wrapDb = kind === 'embedded' ? slowStatements : undefined;
    const server = await startServer(kind, { wrapDb });
    return { kind, urls: [server.url], close: () => server.close() };
  }
  const backends = new SharedBackends();
  await backends.create();
  const env = backends.env();
  const replicas = await Promise.all([startReplica(env), startReplica(env)]);
  return {
    kind,
    urls: replicas.map((r) => r.url),
    close: async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await backends.drop();
    },
  };
}

/**
 * PGlite runs each statement on the event loop, in one piece: no other request is handled
 * while an order is written, so no call could ever meet a seat in checkout. A wait before each
 * statement, as a database over a network has, lets calls interleave with an order again.
 */
const STATEMENT_LATENCY_MS = 1;

function slowStatements(db: Db): Db {
  const wait = () => new Promise((resolve) => setTimeout(resolve, STATEMENT_LATENCY_MS));
  return {
    query: async (sql, params, options) => {
      await wait();
      return db.query(sql, params, options);
    },
    transaction: async (fn) => {
      await wait();
      return db.transaction(fn);
    },
    close: () => db.close(),
  };
}

/** `count` seat ids of one row: B1, B2, ... */
export function rowSeats(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `B${i + 1}`);
}

/** Creates an event whose venue is one row of the given seats, through the admin API. */
export async function createEvent(url: string, eventId: string, seats: string[]): Promise<void> {
  const venue: VenueLayout = {
    name: 'History Hall',
    stage: { x: 0, y: 0, width: 200, height: 40, label: 'Stage' },
    sections: [
      {
        id: 'floor',
        name: 'Floor',
        price: 5_000,
        rows: [
          { label: 'B', seats: seats.map((id, i) => ({ id, number: i + 1, x: i * 24, y: 80 })) },
        ],
      },
    ],
  };
  const body = {
    id: eventId,
    name: eventId,
    venue,
    startsAt: '2031-06-01T20:00:00.000Z',
    currency: 'USD',
  };
  const reply = await new Client(url, ADMIN_TOKEN).request('POST', '/api/admin/events', { body });
  if (reply.status !== 201) throw new Error(`event ${eventId}: ${reply.status}`);
}
