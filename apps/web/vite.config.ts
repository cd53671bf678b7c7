// Vite: the seat map app; in development /api and /ws go to the Ticketmain server.
import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = process.env.TICKETMAIN_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  // @ticketmain/protocol and @ticketmain/client resolve to their TypeScript source.
  resolve: { conditions: ['ticketmain-source', ...defaultClientConditions] },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: server, changeOrigin: true },
      '/ws': { target: server, ws: true, changeOrigin: true },
    },
  },
  // 'hidden': the maps are written next to the bundles, for decoding a production stack trace,
  // but no bundle points to them, and the server does not serve them (plugins/web.ts).
  build: { outDir: 'dist', sourcemap: 'hidden', target: 'es2022' },
});
