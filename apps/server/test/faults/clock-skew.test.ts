// Holds expire by Redis's clock, not the replicas': two replicas whose Date.now is minutes apart
// never let a hold outlive its TTL, nor end it early.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';

const EVENT = 'arena-demo';
const SKEW = fileURLToPath(new URL('../support/skew-clock.mjs', import.meta.url));
const TTL_MS = 2_000;

describe('replica clocks skewed by minutes (services)', () => {
  const backends = new SharedBackends();
  let ahead: Replica;
  let behind: Replica;
  beforeAll(async () => {
    await backends.create();
    const env = backends.env({ HOLD_TTL_SECONDS: String(TTL_MS / 1000), SWEEP_INTERVAL_MS: '100' });
    const nodeArgs = ['--import', SKEW];
    [ahead, behind] = await Promise.all([
      startReplica({ ...env, CLOCK_SKEW_MS: String(5 * 60_000) }, { nodeArgs }),
      startReplica({ ...env, CLOCK_SKEW_MS: String(-5 * 60_000) }, { nodeArgs }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ahead.stop(), behind.stop()]);
    await backends.drop();
  });

  it('a hold made on one replica lives exactly its TTL on the other', async () => {
    const holder = await Client.session(ahead.url);
    const rival = await Client.session(behind.url);
    const before = Date.now();
    const hold = await holder.hold(EVENT, ['Q1']);
    expect(hold.status).toBe(201);
    // The expiry is the real time plus the TTL, not the skewed replica's idea of it.
    const expiresAt = Date.parse(hold.body.holds[0]!.expiresAt);
    expect(Math.abs(expiresAt - (before + TTL_MS))).toBeLessThan(1_000);

    await new Promise((resolve) => setTimeout(resolve, TTL_MS / 2));
    expect((await rival.hold(EVENT, ['Q1'])).status).toBe(409);
    expect((await rival.seats(EVENT)).body.held).toContain('Q1');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 300));
    expect((await rival.seats(EVENT)).body.held).not.toContain('Q1');
    expect((await rival.hold(EVENT, ['Q1'])).status).toBe(201);
    expect((await holder.order(EVENT, ['Q1'], 'too-late')).status).toBe(409);
  }, 30_000);
});
