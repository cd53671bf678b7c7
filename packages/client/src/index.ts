// @ticketmain/client: the public HTTP API of Ticketmain as typed calls, for browsers and Node.
export { TicketmainClient } from './client.js';
export type { ApiReply, ClientOptions, RawReply, RequestOptions } from './client.js';
export { calls } from './calls.js';
export type { ApiCall, Auth, Expected } from './calls.js';
export { ApiError, MalformedResponse, NetworkError } from './errors.js';
export { checkDraw, drawNumbers, seedCommitmentOf } from './draw.js';
export type { DrawCheck } from './draw.js';
export type {
  Buyer,
  CheckIn,
  CheckInSummary,
  BestHoldRequest,
  BestHoldResponse,
  CreateEventRequest,
  EventDetail,
  EventRules,
  EventRulesInput,
  EventList,
  EventSummary,
  Health,
  HoldResponse,
  MyHold,
  Order,
  OrderSeat,
  Problem,
  Readiness,
  Revocations,
  ScannerToken,
  Seat,
  SeatSnapshot,
  Section,
  SessionCreated,
  Ticket,
  TicketClaims,
  TicketKey,
  TicketKeySet,
} from '@ticketmain/protocol';
