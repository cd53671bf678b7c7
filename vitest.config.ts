import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['ticketmain-source'] },
  ssr: { resolve: { conditions: ['ticketmain-source'] } },
  test: {
    include: [
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      // The bench's unit tests; its scenarios start servers and run only under `npm run bench`.
      'bench/src/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude, 'bench/src/scenarios/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
