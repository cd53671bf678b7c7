// Copies the non-TypeScript assets of the server (Lua scripts, SQL migrations) next to the build.
import { cpSync } from 'node:fs';

const assets = [
  'holds/redis/scripts',
  'limits/scripts',
  'realtime/scripts',
  'queue/scripts',
  'ledger/migrations',
];
for (const dir of assets) {
  cpSync(new URL(`../src/${dir}`, import.meta.url), new URL(`../dist/${dir}`, import.meta.url), {
    recursive: true,
    filter: (src) => !src.endsWith('.ts'),
  });
}
