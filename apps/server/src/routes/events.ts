// Events on sale: the list, one event with its seat map, and its live seat states.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventDetail, EventList, EventParams } from '@ticketmain/protocol';

const events: FastifyPluginAsyncTypebox = async (app) => {
  const { catalog, store, ledger, holds } = app.engine;

  app.get('/api/events', { schema: { response: { 200: EventList } } }, async () => {
    const entries = await catalog.list();
    const counts = await store.counts(entries.map((e) => e.record.id));
    return Promise.all(
      entries.map(async ({ record, detail }) => {
        const stored = counts.get(record.id) ?? null;
        const taken = stored ? stored.sold + stored.held : await ledger.soldCount(record.id);
        return {
          id: detail.id,
          name: detail.name,
          venueName: detail.venueName,
          startsAt: detail.startsAt,
          currency: detail.currency,
          seatCount: detail.seatCount,
          availableCount: Math.max(0, detail.seatCount - taken),
        };
      }),
    );
  });

  app.get(
    '/api/events/:eventId',
    { schema: { params: EventParams, response: { 200: EventDetail } } },
    async (request) => (await catalog.get(request.params.eventId)).detail,
  );

  app.get(
    '/api/events/:eventId/seats',
    {
      // 200: a SeatSnapshot, written by hand around the mirror's pre-serialised lists.
      schema: { params: EventParams },
      preHandler: app.optionalSession,
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const sessionId = request.buyer?.sessionId;
      await catalog.get(eventId);
      // The lists come pre-serialised from the replica's mirror, once per sequence number; with
      // a session, `mine` is read at exactly the lists' sequence number (one state).
      const { json, mine } =
        sessionId === undefined
          ? { json: (await app.realtime.lists(eventId)).json, mine: [] }
          : await holds.snapshotOf(eventId, sessionId, (at) => app.realtime.lists(eventId, at));
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"eventId":${JSON.stringify(eventId)},${json},"mine":${JSON.stringify(mine)}}`);
    },
  );
};

export default events;
