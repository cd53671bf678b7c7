// The one error catalogue: every refusal the server gives, with its code, HTTP status and sentence.
// One mapper (toProblem) feeds HTTP problem+json and, later, WebSocket error frames.
import { ErrorCode, type Problem } from '@ticketmain/protocol';

interface Entry {
  status: number;
  title: string;
}

const catalogue: Record<ErrorCode, Entry> = {
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  NOT_OWNER: { status: 403, title: 'Not your hold' },
  QUEUE_ADMISSION_REQUIRED: { status: 403, title: 'Admission from the waiting room required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  CANCELLATION_CLOSED: { status: 403, title: 'Cancellation closed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  EVENT_NOT_FOUND: { status: 404, title: 'Event not found' },
  HOLD_NOT_FOUND: { status: 404, title: 'Hold not found' },
  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  QUEUE_NOT_FOUND: { status: 404, title: 'No waiting room' },
  QUEUE_NOT_JOINED: { status: 404, title: 'Not in the waiting room' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'Webhook not found' },
  WAITLIST_NOT_JOINED: { status: 404, title: 'Not on the waiting list' },
  SEAT_UNAVAILABLE: { status: 409, title: 'Seat unavailable' },
  SEAT_NOT_HELD: { status: 409, title: 'Seat not held' },
  SEAT_SOLD: { status: 409, title: 'Seat sold' },
  CHECKOUT_IN_PROGRESS: { status: 409, title: 'Checkout in progress' },
  ALREADY_EXTENDED: { status: 409, title: 'Hold already extended' },
  QUEUE_NOT_OPEN: { status: 409, title: 'Waiting room not open yet' },
  QUEUE_STARTED: { status: 409, title: 'Sales have started' },
  QUEUE_NOT_DRAWN: { status: 409, title: 'Not drawn yet' },
  ALREADY_CHECKED_IN: { status: 409, title: 'Ticket already checked in' },
  TICKET_CANCELLED: { status: 409, title: 'Ticket cancelled' },
  SINGLE_SEAT: { status: 409, title: 'Seat would be left alone' },
  NO_SEATS_AVAILABLE: { status: 409, title: 'No seats available' },
  SEATS_AVAILABLE: { status: 409, title: 'Seats available' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  EXPECTATION_FAILED: { status: 417, title: 'Expectation failed' },
  UNKNOWN_SEAT: { status: 422, title: 'Unknown seat' },
  UNKNOWN_SECTION: { status: 422, title: 'Unknown section' },
  WRONG_SECTION_KIND: { status: 422, title: 'Wrong kind of section' },
  HOLD_LIMIT: { status: 422, title: 'Hold limit reached' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  PROOF_REQUIRED: { status: 422, title: 'Proof of work required' },
  INVALID_TICKET: { status: 422, title: 'Invalid ticket' },
  INVALID_REFUND: { status: 422, title: 'Invalid refund' },
  WEBHOOK_TARGET_REFUSED: { status: 422, title: 'Webhook target refused' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  ADDRESS_LIMIT: { status: 429, title: 'Address hold limit reached' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
};

/** A refusal the client can act on; anything else thrown becomes 500 INTERNAL. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: {
      seats?: string[];
      sections?: string[];
      retryAfterSeconds?: number;
      opensAt?: string;
      checkedInAt?: string;
      powBits?: number;
    } = {},
  ) {
    // A refusal is an expected answer, not a bug: its stack is never logged, and capturing one
    // cost a measurable share of a 409 under contention.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'AppError';
    this.status = catalogue[code].status;
  }
}

export function statusOf(code: ErrorCode): number {
  return catalogue[code].status;
}

export function titleOf(code: ErrorCode): string {
  return catalogue[code].title;
}

export function toProblem(error: AppError): Problem {
  const entry = catalogue[error.code];
  const problem: Problem = {
    type: `https://ticketmain.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    detail: error.detail,
    code: error.code,
  };
  if (error.extra.seats !== undefined) problem.seats = error.extra.seats;
  if (error.extra.sections !== undefined) problem.sections = error.extra.sections;
  if (error.extra.opensAt !== undefined) problem.opensAt = error.extra.opensAt;
  if (error.extra.checkedInAt !== undefined) problem.checkedInAt = error.extra.checkedInAt;
  if (error.extra.powBits !== undefined) problem.powBits = error.extra.powBits;
  return problem;
}

export const SEAT_HELD_MESSAGE = 'Seat already held by another user';
export const SEAT_SOLD_MESSAGE = 'Seat already sold';

export const errors = {
  invalid: (detail: string) => new AppError(ErrorCode.InvalidRequest, detail),
  /** The same answer for every path without a route: it never repeats the path asked for. */
  noRoute: () => new AppError(ErrorCode.NotFound, 'There is nothing at this address'),
  unauthenticated: (detail = 'A valid session token is required') =>
    new AppError(ErrorCode.Unauthenticated, detail),
  eventNotFound: (eventId: string) =>
    new AppError(ErrorCode.EventNotFound, `Event ${eventId} does not exist`),
  orderNotFound: () => new AppError(ErrorCode.OrderNotFound, 'Order not found'),
  unknownSeats: (seats: string[]) =>
    new AppError(ErrorCode.UnknownSeat, `Unknown seat: ${seats.join(', ')}`, { seats }),
  holdLimit: (max: number) =>
    new AppError(
      ErrorCode.HoldLimit,
      `You can have at most ${max} seats of this event, counting those you bought`,
    ),
  addressLimit: (max: number) =>
    new AppError(
      ErrorCode.AddressLimit,
      `Your network already holds ${max} seats of this event; buy or release some first`,
    ),
  seatUnavailable: (sold: string[], held: string[], sections: string[] = []) =>
    new AppError(
      ErrorCode.SeatUnavailable,
      sold.length + held.length === 0
        ? `Not enough places left in section ${sections.join(', ')}`
        : held.length === 0
          ? SEAT_SOLD_MESSAGE
          : SEAT_HELD_MESSAGE,
      sections.length > 0 ? { seats: [...sold, ...held], sections } : { seats: [...sold, ...held] },
    ),
  unknownSections: (sections: string[]) =>
    new AppError(ErrorCode.UnknownSection, `Unknown section: ${sections.join(', ')}`, {
      sections,
    }),
  /** A GA quantity for a seated section, or a seat id of a GA section (its places are minted). */
  wrongSectionKind: (detail: string, sections: string[]) =>
    new AppError(ErrorCode.WrongSectionKind, detail, { sections }),
  singleSeat: (seats: string[]) =>
    new AppError(
      ErrorCode.SingleSeat,
      `That would leave seat ${seats.join(', ')} alone; choose it too or another seat`,
      { seats },
    ),
  noSeatsAvailable: () =>
    new AppError(ErrorCode.NoSeatsAvailable, 'No seats left that match your request'),
  seatsAvailable: () =>
    new AppError(ErrorCode.SeatsAvailable, 'Seats are still available: hold them instead'),
  waitlistNotJoined: () =>
    new AppError(ErrorCode.WaitlistNotJoined, 'This session is not on the waiting list'),
  holdNotFound: (seatId: string) =>
    new AppError(ErrorCode.HoldNotFound, `You hold no seat ${seatId}`),
  notOwner: (seatId: string) =>
    new AppError(ErrorCode.NotOwner, `Seat ${seatId} is held by another user`),
  seatNotHeld: (seats: string[]) =>
    new AppError(ErrorCode.SeatNotHeld, 'Your hold on these seats has expired or was never made', {
      seats,
    }),
  seatSold: (seats: string[]) => new AppError(ErrorCode.SeatSold, SEAT_SOLD_MESSAGE, { seats }),
  checkoutInProgress: (seats: string[]) =>
    new AppError(
      ErrorCode.CheckoutInProgress,
      'An order for these seats is being placed; try again in a moment',
      { seats },
    ),
  alreadyExtended: () =>
    new AppError(ErrorCode.AlreadyExtended, 'Your seats have already been given more time once'),
  noHolds: () => new AppError(ErrorCode.HoldNotFound, 'You hold no seat of this event'),
  keyReused: () =>
    new AppError(
      ErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was used for another order; use a new key',
    ),
  queueNotFound: (eventId: string) =>
    new AppError(ErrorCode.QueueNotFound, `Event ${eventId} has no waiting room`),
  queueNotOpen: (opensAt: string) =>
    new AppError(ErrorCode.QueueNotOpen, `The waiting room opens at ${opensAt}`, { opensAt }),
  queueStarted: () =>
    new AppError(
      ErrorCode.QueueStarted,
      'Sales have started: the waiting room can only be paused or change its rate',
    ),
  queueNotJoined: () =>
    new AppError(ErrorCode.QueueNotJoined, 'This session has not joined the waiting room'),
  queueNotDrawn: () =>
    new AppError(ErrorCode.QueueNotDrawn, 'The pre-queue is drawn when sales start'),
  /** A limit counted by the store itself (a session's joins of a queue), not by the rate limiter. */
  rateLimited: (retryAfterMs: number) => {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new AppError(
      ErrorCode.RateLimited,
      `Too many requests; try again in ${retryAfterSeconds} seconds`,
      { retryAfterSeconds },
    );
  },
  proofRequired: (powBits: number) =>
    new AppError(
      ErrorCode.ProofRequired,
      `Joining needs a nonce whose SHA-256 of <eventId>:<sessionId>:<nonce> starts with ${powBits} zero bits`,
      { powBits },
    ),
  admissionRequired: () =>
    new AppError(
      ErrorCode.QueueAdmissionRequired,
      'This event has a waiting room: hold seats once your turn has come',
    ),
  forbidden: (detail: string) => new AppError(ErrorCode.Forbidden, detail),
  invalidTicket: () =>
    new AppError(ErrorCode.InvalidTicket, 'This is not a valid ticket for this event'),
  alreadyCheckedIn: (checkedInAt: Date) =>
    new AppError(ErrorCode.AlreadyCheckedIn, 'This ticket has already been checked in', {
      checkedInAt: checkedInAt.toISOString(),
    }),
  ticketCancelled: () => new AppError(ErrorCode.TicketCancelled, 'This ticket was cancelled'),
  cancellationClosed: () =>
    new AppError(
      ErrorCode.CancellationClosed,
      'This order can no longer be cancelled here; ask the organiser',
    ),
  invalidRefund: (total: number) =>
    new AppError(
      ErrorCode.InvalidRefund,
      `A refund is from 0 to the order's total, ${total} cents`,
    ),
  webhookNotFound: () => new AppError(ErrorCode.WebhookNotFound, 'Webhook not found'),
  webhookTargetRefused: (detail: string) => new AppError(ErrorCode.WebhookTargetRefused, detail),
  unavailable: (detail = 'The service is temporarily unavailable; try again shortly') =>
    new AppError(ErrorCode.Unavailable, detail),
};
