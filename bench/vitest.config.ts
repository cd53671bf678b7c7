// The bench's own tests (the invariant checker), on the real Redis and Postgres:
// `npm test -w @ticketmain/bench`; the root `npm test` runs them too.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['ticketmain-source'] },
  ssr: { resolve: { conditions: ['ticketmain-source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
