// The browser tests: their own run (`npm run test:e2e`), one file at a time (each starts its own
// server and Chromium; the CI machine has two cores), with timeouts for real servers and browsers.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { conditions: ['ticketmain-source'] },
  ssr: { resolve: { conditions: ['ticketmain-source'] } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
  },
});
