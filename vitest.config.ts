import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['ticketmain-source'] },
  ssr: { resolve: { conditions: ['ticketmain-source'] } },
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
