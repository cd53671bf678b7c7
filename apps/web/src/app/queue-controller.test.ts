import { ApiError } from '@ticketmain/client';
import type { Problem, Queue, QueueEntry, QueueMessage } from '@ticketmain/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proofBits } from '../net/proof';
import { Observable } from '../state/observable';
import type { EventController } from './event-controller';
import { LOCKED_MESSAGE, QueueController } from './queue-controller';
import type { Services } from './services';

const EVENT = 'arena-demo';
const SESSION = 'session-a';

const problem = (status: number, code: string, extra: Partial<Problem> = {}) =>
  new ApiError(status, { type: 'about:blank', title: code, status, detail: code, code, ...extra });

const entry = (fields: Partial<QueueEntry> = {}): QueueEntry => ({
  status: 'waiting',
  ticketId: 't1',
  number: 3,
  servedThrough: 0,
  etaSeconds: 30,
  admittedUntil: null,
  ...fields,
});

/** The two neighbours the controller talks to, as far as it uses them. */
function setup(
  server: {
    get: () => Promise<QueueEntry>;
    join: (nonce?: string) => Promise<QueueEntry>;
  },
  settings: Queue | null | undefined = undefined,
) {
  const locks: (string | null)[] = [];
  const events = {
    queueFrame: new Observable<QueueMessage | null>(null),
    onAdmissionRequired: null as (() => void) | null,
    watched: 0,
    watchQueue() {
      this.watched++;
    },
    lockHolds: (reason: string | null) => locks.push(reason),
  };
  const services = {
    api: {
      queueEntry: vi.fn(server.get),
      joinQueue: vi.fn((_e: string, n?: string) => server.join(n)),
    },
    session: { sessionId: async () => SESSION },
    clock: { now: () => Date.now() },
  };
  const queue = new QueueController({
    services: services as unknown as Services,
    eventId: EVENT,
    settings,
    events: events as unknown as EventController,
  });
  return { queue, events, services, locks };
}

let controller: QueueController | null = null;
afterEach(() => controller?.dispose());

describe('QueueController', () => {
  it('joins with a proof for its own session when the server asks for one, then locks the map', async () => {
    const nonces: (string | undefined)[] = [];
    const t = setup({
      get: () => Promise.reject(problem(404, 'QUEUE_NOT_JOINED')),
      join: async (nonce) => {
        nonces.push(nonce);
        if (nonce === undefined || proofBits(EVENT, SESSION, nonce) < 8) {
          throw problem(422, 'PROOF_REQUIRED', { powBits: 8 });
        }
        return entry();
      },
    });
    controller = t.queue;
    t.queue.start();
    await vi.waitFor(() => expect(t.queue.view(Date.now()).kind).toBe('waiting'));
    expect(nonces).toHaveLength(2);
    expect(nonces[0]).toBeUndefined();
    expect(t.events.watched).toBe(1);
    expect(t.locks.at(-1)).toBe(LOCKED_MESSAGE);
  });

  it("fetches the admission at once when a frame passes the buyer's number, and unlocks", async () => {
    let admitted = false;
    const until = new Date(Date.now() + 60_000).toISOString();
    const t = setup({
      get: async () => (admitted ? entry({ status: 'admitted', admittedUntil: until }) : entry()),
      join: () => Promise.reject(new Error('not asked')),
    });
    controller = t.queue;
    t.queue.start();
    await vi.waitFor(() => expect(t.queue.view(Date.now()).kind).toBe('waiting'));
    admitted = true;
    const frame: QueueMessage = {
      type: 'queue',
      eventId: EVENT,
      servedThrough: 3,
      waiting: 5,
      admitPerMinute: 60,
      paused: false,
    };
    t.events.queueFrame.set(frame);
    await vi.waitFor(() => expect(t.queue.view(Date.now()).kind).toBe('admitted'), {
      timeout: 1000,
    });
    expect(t.locks.at(-1)).toBeNull();
  });

  it('leaves the map open for an event without a waiting room', async () => {
    const t = setup({
      get: () => Promise.reject(problem(404, 'QUEUE_NOT_FOUND')),
      join: () => Promise.reject(new Error('not asked')),
    });
    controller = t.queue;
    t.queue.start();
    await vi.waitFor(() => expect(t.queue.view(Date.now()).kind).toBe('open'));
    expect(t.locks.every((lock) => lock === null)).toBe(true);
    expect(t.events.watched).toBe(0);
  });

  it('joins a waiting room set up after the page loaded once a hold is refused for it', async () => {
    let queued = false;
    const t = setup(
      {
        get: () => Promise.reject(problem(404, queued ? 'QUEUE_NOT_JOINED' : 'QUEUE_NOT_FOUND')),
        join: async () => entry(),
      },
      null,
    );
    controller = t.queue;
    t.queue.start();
    expect(t.queue.view(Date.now()).kind).toBe('open');
    expect(t.services.api.queueEntry).not.toHaveBeenCalled();
    queued = true;
    t.events.onAdmissionRequired?.();
    await vi.waitFor(() => expect(t.queue.view(Date.now()).kind).toBe('waiting'));
    expect(t.locks.at(-1)).toBe(LOCKED_MESSAGE);
  });
});
