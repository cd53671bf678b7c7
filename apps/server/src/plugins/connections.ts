// Keep-alive connections and a graceful close. A connection whose request is in flight when the
// close begins is not idle, so Fastify leaves it open, and after the reply it stays open until
// its client or the keep-alive timeout (72 s) ends it: app.close() would wait for it, and a
// SIGTERM end at the shutdown deadline instead of exiting 0. So, once closing, the keep-alive
// timeout drops to a millisecond: Node applies it to each socket as its reply ends, so every
// connection closes as soon as it is idle. Nothing runs per request until then.
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    app.addHook('preClose', async () => {
      app.server.keepAliveTimeout = 1;
      app.server.closeIdleConnections();
    });
  },
  { name: 'connections' },
);
