// The write-behind of the queues' durable copy: batching while a write is in flight, merging per
// entry, retrying a failed batch; and how stored rows become a queue to restore.
import { describe, expect, it } from 'vitest';
import type { EntryRow, QueueChange, QueueLedger, QueueRow } from '../ledger/queue-sql.js';
import { mergeChanges } from '../ledger/queue-sql.js';
import { QueueJournal, storedQueue } from './journal.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

/** A ledger whose writes wait until released, and fail while `failing` is set. */
function fakeLedger() {
  const written: QueueChange[][] = [];
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const ledger = {
    failing: 0,
    written,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    async writeChanges(changes: QueueChange[]) {
      await gate;
      if (ledger.failing > 0) {
        ledger.failing--;
        throw new Error('connection refused');
      }
      written.push(changes);
    },
  };
  const unused = () => Promise.reject(new Error('not in this test'));
  const port: QueueLedger = {
    writeChanges: (changes) => ledger.writeChanges(changes),
    upsertQueue: unused,
    replaceQueue: unused,
    patchQueue: unused,
    recordDraw: unused,
    queuedEventIds: () => Promise.resolve([]),
    load: () => Promise.resolve(null),
  };
  return { ledger, port };
}

const entry = (sessionId: string, ticketId: string) => ({
  sessionId,
  ticketId,
  arrival: 1,
  prequeue: false,
});

describe('QueueJournal write-behind', () => {
  it('writes a lone change at once, and what came meanwhile as one merged batch', async () => {
    const { ledger, port } = fakeLedger();
    const journal = new QueueJournal(port, SECRET);
    ledger.hold();
    journal.joined('e', entry('s1', 't1'), { ticketId: 't1', number: 7, admittedUntil: null });
    // These wait for the first write: one batch, one row per session.
    journal.joined('e', entry('s2', 't2'), { ticketId: 't2', number: 8, admittedUntil: null });
    journal.admitted('e', [{ sessionId: 's2', ticketId: 't2', number: 8 }], 5_000, 8);
    journal.admitted('e', [{ sessionId: 's2', ticketId: 't2', number: 8 }], 9_000, 8);
    journal.soldOut('f', true);
    ledger.release();
    await journal.flush();
    expect(ledger.written).toHaveLength(2);
    expect(ledger.written[0]).toEqual([
      expect.objectContaining({ eventId: 'e', lastNumber: 7, entries: [expect.anything()] }),
    ]);
    const [e, f] = ledger.written[1]!;
    expect(e).toMatchObject({ eventId: 'e', servedThrough: 8, lastNumber: 8, arrivals: 1 });
    expect(e!.entries).toEqual([
      {
        sessionId: 's2',
        ticketId: 't2',
        arrival: 1,
        prequeue: false,
        number: 8,
        admittedUntil: 9_000,
      },
    ]);
    expect(f).toEqual({ eventId: 'f', entries: [], soldOut: true });
  });

  it('keeps a change whose write failed and writes it again', async () => {
    const { ledger, port } = fakeLedger();
    const errors: unknown[] = [];
    const journal = new QueueJournal(port, SECRET, {
      retryMs: 5,
      onError: (error) => errors.push(error),
    });
    ledger.failing = 2;
    journal.joined('e', entry('s1', 't1'), { ticketId: 't1', number: null, admittedUntil: null });
    await journal.flush();
    // Once per failed batch.
    expect(errors).toHaveLength(2);
    expect(ledger.written.flat().flatMap((c) => c.entries.map((r) => r.ticketId))).toEqual(['t1']);
    await journal.close();
  });

  it('drops the one change PostgreSQL refuses for its content, and writes the others', async () => {
    const { ledger, port } = fakeLedger();
    const errors: unknown[] = [];
    port.writeChanges = async (changes) => {
      if (changes.some((c) => c.eventId === 'bad')) {
        throw Object.assign(new Error('value out of range'), { code: '22003' });
      }
      await ledger.writeChanges(changes);
    };
    const journal = new QueueJournal(port, SECRET, { onError: (e) => errors.push(e) });
    ledger.hold();
    journal.soldOut('first', false);
    journal.soldOut('good', true);
    journal.soldOut('bad', true);
    ledger.release();
    await journal.flush();
    expect(ledger.written.flat().map((c) => c.eventId)).toEqual(['first', 'good']);
    expect(errors).toHaveLength(2);
  });

  it('tries a failed draw write again until it lands', async () => {
    const { ledger, port } = fakeLedger();
    const draws: string[][] = [];
    let failures = 2;
    port.recordDraw = (_eventId, order) => {
      if (failures-- > 0) return Promise.reject(new Error('connection refused'));
      draws.push(order);
      return Promise.resolve();
    };
    const journal = new QueueJournal(port, SECRET, { retryMs: 5 });
    await journal.drawn('e', ['b', 'a'], 2);
    await journal.flush();
    expect(draws).toEqual([['b', 'a']]);
    expect(ledger.written).toEqual([]);
  });

  it('merges a later ticket of the same session as a replacement', () => {
    const row = (ticketId: string, number: number | null): EntryRow => ({
      sessionId: 's',
      ticketId,
      arrival: null,
      prequeue: null,
      number,
      admittedUntil: null,
    });
    const merged = mergeChanges([
      { eventId: 'e', entries: [row('old', 3)] },
      { eventId: 'e', entries: [row('new', 9)] },
    ]);
    expect(merged).toEqual([{ eventId: 'e', entries: [row('new', 9)] }]);
  });
});

describe('storedQueue', () => {
  const queue: QueueRow = {
    eventId: 'e',
    opensAt: 0,
    salesStartAt: 1,
    admitPerMinute: 60,
    admissionSeconds: 600,
    powBits: 0,
    paused: false,
    sealedSeed: '',
    seedCommitment: 'c',
    drawn: true,
    drawnOrder: ['p2', 'p1', 'p3', 'late1'],
    prequeueCount: 3,
    servedThrough: 1,
    lastNumber: 4,
    arrivals: 4,
    soldOut: false,
  };
  const row = (sessionId: string, ticketId: string, extra: Partial<EntryRow> = {}): EntryRow => ({
    sessionId,
    ticketId,
    arrival: 1,
    prequeue: true,
    number: null,
    admittedUntil: null,
    ...extra,
  });

  it('takes the numbers from the draw, keeps a number whose session was lost, drops the unplaceable', () => {
    const stored = storedQueue(
      queue,
      [
        row('s1', 'p1'),
        row('s2', 'p2', { admittedUntil: 99 }),
        row('s4', 'late1', { prequeue: false }),
        row('s5', 'after', { prequeue: false, number: 5, arrival: 6 }),
        // Joined late but never numbered in a drawn queue: a stale write; it cannot be placed.
        row('s6', 'stale', { prequeue: false }),
      ],
      'seed',
    );
    const byTicket = new Map(stored.entries.map((e) => [e.ticketId, e]));
    expect(byTicket.get('p2')).toMatchObject({ sessionId: 's2', number: 1, prequeue: true });
    expect(byTicket.get('p1')).toMatchObject({ number: 2, prequeue: true });
    expect(byTicket.get('p3')).toMatchObject({ sessionId: null, number: 3, prequeue: true });
    expect(byTicket.get('late1')).toMatchObject({ number: 4, prequeue: false });
    expect(byTicket.get('after')).toMatchObject({ number: 5 });
    expect(byTicket.has('stale')).toBe(false);
    expect(stored.state).toMatchObject({ lastNumber: 5, servedThrough: 1, drawn: true });
    expect(stored.arrivals).toBe(6);
  });
});
