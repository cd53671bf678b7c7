import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock';
import { ApiClient } from './http';
import type { TokenSource } from './session';

const snapshotBody = { eventId: 'ev', seq: 1, held: [], sold: [], mine: [] };

function problem(status: number, code: string) {
  const body = { type: 'about:blank', title: code, status, detail: `refused: ${code}`, code };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function tokens(): TokenSource & { renewed: string[] } {
  let current = 'old';
  const renewed: string[] = [];
  return {
    renewed,
    token: async () => current,
    renew: async (stale) => {
      renewed.push(stale);
      current = 'new';
      return current;
    },
  };
}

describe('ApiClient', () => {
  it('renews a refused token once and repeats the call with the new one', async () => {
    const seen: (string | null)[] = [];
    const api = new ApiClient({
      fetch: async (_input, init) => {
        const auth = new Headers(init?.headers).get('authorization');
        seen.push(auth);
        if (auth === 'Bearer old') return problem(401, 'UNAUTHENTICATED');
        return Response.json(snapshotBody);
      },
    });
    const source = tokens();
    api.useTokens(source);
    expect(await api.getSeats('ev')).toEqual(snapshotBody);
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(source.renewed).toEqual(['old']);
  });

  it('does not renew for another refusal, nor twice', async () => {
    const api = new ApiClient({ fetch: async () => problem(401, 'UNAUTHENTICATED') });
    const source = tokens();
    api.useTokens(source);
    await expect(api.hold('ev', ['A1'])).rejects.toMatchObject({ status: 401 });
    expect(source.renewed).toEqual(['old']);
    const refusing = new ApiClient({ fetch: async () => problem(409, 'SEAT_UNAVAILABLE') });
    refusing.useTokens(source);
    await expect(refusing.hold('ev', ['A1'])).rejects.toMatchObject({ code: 'SEAT_UNAVAILABLE' });
    expect(source.renewed).toEqual(['old']);
  });

  it('sets the server clock from the Date header of each reply', async () => {
    const clock = new ServerClock();
    const serverTime = Date.now() + 60_000;
    const api = new ApiClient({
      clock,
      fetch: async () =>
        Response.json([], { headers: { date: new Date(serverTime).toUTCString() } }),
    });
    expect(await api.listEvents()).toEqual([]);
    expect(Math.abs(clock.now() - serverTime)).toBeLessThan(2_000);
  });
});
