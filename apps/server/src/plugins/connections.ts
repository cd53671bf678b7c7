// Keep-alive connections and a graceful close. A connection whose request is in flight when the
// close begins is not idle, so Fastify leaves it open, and after the reply it stays open until
// its client or the keep-alive timeout (72 s) ends it: app.close() would wait for it, and a
// SIGTERM end at the shutdown deadline instead of exiting 0. So, once closing, every reply tells
// its client the connection ends (Connection: close) and every finished reply ends the idle ones.
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    // Callback hooks: they run on every request and almost always do nothing.
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) void reply.header('connection', 'close');
      done(null, payload);
    });
    // For a reply whose headers were already out when the close began.
    app.addHook('onResponse', (_request, _reply, done) => {
      if (closing) app.server.closeIdleConnections();
      done();
    });
  },
  { name: 'connections' },
);
