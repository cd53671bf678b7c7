// Entry point: reads the configuration, opens the runtime, listens, and shuts down gracefully.
// With WORKERS > 1 this process becomes the cluster primary, and each forked worker runs it again
// as a full server on the shared port.
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { runPrimary } from './primary.js';
import { createRuntime } from './runtime.js';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.workers > 1 && cluster.isPrimary) {
    const { workers, logLevel } = config;
    runPrimary({ workers, logLevel, shutdownDeadlineMs: SHUTDOWN_DEADLINE_MS });
    return;
  }
  await serve(config);
}

async function serve(config: Config): Promise<void> {
  const runtime = await createRuntime(config);
  const app = await buildApp({ ...runtime, config });
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { mode: config.mode.kind, url: `http://localhost:${config.port}` },
    'Ticketmain is serving',
  );

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    app
      .close()
      .then(() => runtime.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Ticketmain failed to start:', error);
  }
  process.exit(1);
});
