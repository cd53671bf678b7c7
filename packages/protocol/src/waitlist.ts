// Request and response schemas of the waiting list for sold-out events (API.md "Cancellation,
// refunds and the waiting list").
import { Type, type Static } from '@sinclair/typebox';
import { MAX_SEATS_PER_REQUEST, MyHold } from './api.js';

export const WaitlistJoinRequest = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: MAX_SEATS_PER_REQUEST }),
    sectionIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 1_000,
        uniqueItems: true,
        description: 'Only seats of these sections (all sections when absent)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type WaitlistJoinRequest = Static<typeof WaitlistJoinRequest>;

export const WaitlistStatus = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('purchased'),
  Type.Literal('expired'),
]);
export type WaitlistStatus = Static<typeof WaitlistStatus>;

export const WaitlistEntry = Type.Object(
  {
    status: WaitlistStatus,
    position: Type.Integer({
      minimum: 0,
      description: 'Place among the entries still waiting (1 = next); 0 once no longer waiting',
    }),
    quantity: Type.Integer({ minimum: 1 }),
    holds: Type.Array(MyHold, {
      description: "While offered: the seats held for the session, until the offer's end",
    }),
  },
  { description: "The session's entry on the event's waiting list" },
);
export type WaitlistEntry = Static<typeof WaitlistEntry>;
