// GET /api/admin/events/:eventId/report: the organiser's numbers of an event, as JSON or as a CSV
// download (one line per section).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EventParams, EventReport, ReportQuery } from '@ticketmain/protocol';
import { Type } from '@sinclair/typebox';
import { ADMIN_EVENT_REFUSALS, ADMIN_SECURITY, problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';
import { reportCsv, ReportService } from './service.js';

const reports: FastifyPluginAsyncTypebox = async (app) => {
  const service = new ReportService(app.events.catalog, app.holdStore, app.ledger, app.queue.store);
  app.addHook('onSend', noStore);

  app.get(
    '/api/admin/events/:eventId/report',
    {
      schema: {
        summary: "An event's report: seats by section, revenue, orders per minute",
        description:
          'sold + held + available = capacity, per section and in all; revenue in cents. ' +
          '`?format=csv` answers `text/csv`, one line per section and a total, as a download.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: EventParams,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'The report (JSON), or with `format=csv` the same as CSV',
            content: {
              'application/json': { schema: EventReport },
              'text/csv': { schema: Type.String() },
            },
          },
          ...problems(...ADMIN_EVENT_REFUSALS),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request, reply) => {
      const report = await service.event(request.params.eventId);
      if (request.query.format !== 'csv') return reply.send(report);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.eventId}-report.csv"`)
        .send(reportCsv(report));
    },
  );
};

export default reports;
