// Holds expire by Redis's clock, not the replicas': two replicas whose Date.now is minutes apart
// (skew-clock.mjs, checked through the session tokens they sign) never let a hold outlive its
// TTL, nor end it early.
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';

const EVENT = 'arena-demo';
const SKEW = fileURLToPath(new URL('../support/skew-clock.mjs', import.meta.url));
const SKEW_MS = 5 * 60_000;
const TTL_MS = 3_000;
const SESSION_TTL_MS = 24 * 3_600_000;
/** Millisecond clocks read at slightly different instants. */
const CLOCK_SLACK_MS = 50;
/** A hold living by a replica's clock would outlive its TTL by the skew, minutes. */
const FREED_WITHIN_MS = 20_000;

describe('replica clocks skewed by minutes (services)', () => {
  const backends = new SharedBackends();
  let ahead: Replica;
  let behind: Replica;
  beforeAll(async () => {
    await backends.create();
    const env = backends.env({
      HOLD_TTL_SECONDS: String(TTL_MS / 1000),
      SWEEP_INTERVAL_MS: '100',
      SESSION_TTL_HOURS: String(SESSION_TTL_MS / 3_600_000),
    });
    const nodeArgs = ['--import', SKEW];
    [ahead, behind] = await Promise.all([
      startReplica({ ...env, CLOCK_SKEW_MS: String(SKEW_MS) }, { nodeArgs }),
      startReplica({ ...env, CLOCK_SKEW_MS: String(-SKEW_MS) }, { nodeArgs }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ahead.stop(), behind.stop()]);
    await backends.drop();
  });

  it('a hold made on one replica lives exactly its TTL on the other', async () => {
    const [holder, aheadBy] = await skewedSession(ahead);
    const [rival, behindBy] = await skewedSession(behind);
    console.info(
      `clock skew: 2 of 2 replicas skewed, by ${aheadBy.join('..')} ms and ${behindBy.join('..')} ms`,
    );
    expect(SKEW_MS).toBeGreaterThanOrEqual(aheadBy[0] - CLOCK_SLACK_MS);
    expect(SKEW_MS).toBeLessThanOrEqual(aheadBy[1] + CLOCK_SLACK_MS);
    expect(-SKEW_MS).toBeGreaterThanOrEqual(behindBy[0] - CLOCK_SLACK_MS);
    expect(-SKEW_MS).toBeLessThanOrEqual(behindBy[1] + CLOCK_SLACK_MS);

    const before = Date.now();
    const hold = await holder.hold(EVENT, ['Q1']);
    const after = Date.now();
    expect(hold.status).toBe(201);
    // The expiry is the real time plus the TTL, not the skewed replica's idea of it.
    const expiresAt = Date.parse(hold.body.holds[0]!.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_MS - CLOCK_SLACK_MS);
    expect(expiresAt).toBeLessThanOrEqual(after + TTL_MS + CLOCK_SLACK_MS);

    // The rival tries until it gets the seat: never before the expiry, and not minutes after.
    let refused = 0;
    let freedAt: number | undefined;
    while (freedAt === undefined && Date.now() < expiresAt + FREED_WITHIN_MS) {
      const attempt = await rival.hold(EVENT, ['Q1']);
      // Taken when the reply is back: Redis decided somewhere before that.
      if (attempt.status === 201) freedAt = Date.now();
      else {
        expect(attempt.status).toBe(409);
        refused++;
        await sleep(50);
      }
    }
    console.info(
      `clock skew: the hold refused the rival ${refused} times, freed ` +
        `${freedAt === undefined ? 'never' : `${freedAt - expiresAt} ms after its expiry`}`,
    );
    expect(freedAt).toBeDefined();
    expect(freedAt!).toBeGreaterThanOrEqual(expiresAt - CLOCK_SLACK_MS);
    expect((await rival.seats(EVENT)).body.mine.map((m) => m.seatId)).toEqual(['Q1']);
    expect((await holder.order(EVENT, ['Q1'], 'too-late')).status).toBe(409);
  }, 60_000);
});

/**
 * A session on the replica, and the range its clock's offset from this one lies in: the token's
 * expiry is the replica's Date.now plus the session TTL, read somewhere during the call.
 */
async function skewedSession(replica: Replica): Promise<[Client, [number, number]]> {
  const before = Date.now();
  const client = await Client.session(replica.url);
  const after = Date.now();
  const issuedAt = Number(client.token!.split('.')[1]) - SESSION_TTL_MS;
  return [client, [issuedAt - after, issuedAt - before]];
}
