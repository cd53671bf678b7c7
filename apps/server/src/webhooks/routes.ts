// The organiser's webhook endpoints (admin token): create, list, delete, and the delivery log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DeliveryAttempts,
  ErrorCode,
  WebhookCreated,
  WebhookEndpoint,
  WebhookParams,
  WebhookRequest,
} from '@ticketmain/protocol';
import { Type } from '@sinclair/typebox';
import { ADMIN_SECURITY, noBody, problems } from '../plugins/openapi.js';
import { noStore } from '../plugins/security.js';

const ADMIN_ERRORS = [
  ErrorCode.InvalidRequest,
  ErrorCode.Unauthenticated,
  ErrorCode.NotFound,
  ErrorCode.Unavailable,
] as const;

const webhooks: FastifyPluginAsyncTypebox = async (app) => {
  const { webhooks: service } = app;
  // Answers carry a secret or the organiser's data.
  app.addHook('onSend', noStore);

  app.post(
    '/api/admin/webhooks',
    {
      schema: {
        summary: 'Add a webhook endpoint',
        description:
          'The events are POSTed to `url`, signed as Standard Webhooks says with the returned ' +
          '`secret` (shown once). Loopback and private targets: 422 WEBHOOK_TARGET_REFUSED.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        body: WebhookRequest,
        response: {
          201: WebhookCreated,
          ...problems(
            ...ADMIN_ERRORS,
            ErrorCode.WebhookTargetRefused,
            ErrorCode.PayloadTooLarge,
            ErrorCode.UnsupportedMediaType,
          ),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request, reply) => reply.status(201).send(await service.create(request.body)),
  );

  app.get(
    '/api/admin/webhooks',
    {
      schema: {
        summary: 'The webhook endpoints',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        response: {
          200: Type.Array(WebhookEndpoint, { description: 'Every endpoint, oldest first' }),
          ...problems(...ADMIN_ERRORS),
        },
      },
      onRequest: app.requireAdmin,
    },
    async () => service.list(),
  );

  app.delete(
    '/api/admin/webhooks/:id',
    {
      schema: {
        summary: 'Remove a webhook endpoint and its pending deliveries',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: WebhookParams,
        response: {
          204: noBody('Removed'),
          ...problems(...ADMIN_ERRORS, ErrorCode.WebhookNotFound),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request, reply) => {
      await service.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/webhooks/:id/deliveries',
    {
      schema: {
        summary: "An endpoint's recent delivery attempts",
        description: 'Time, event type, status code (null: no answer) and the next retry.',
        tags: ['admin'],
        security: ADMIN_SECURITY,
        params: WebhookParams,
        response: {
          200: DeliveryAttempts,
          ...problems(...ADMIN_ERRORS, ErrorCode.WebhookNotFound),
        },
      },
      onRequest: app.requireAdmin,
    },
    async (request) => service.attempts(request.params.id),
  );
};

export default webhooks;
