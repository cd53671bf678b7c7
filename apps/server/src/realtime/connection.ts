// One WebSocket client: parses and validates its messages, subscribes it to event feeds, and
// answers a bad message with an error frame. A client that sends more than a few bad messages a
// second, or whose replies pile up unread past the high-water mark, is closed (1008): an error
// reply costs the server more than the junk that earned it.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ClientMessage, ErrorCode } from '@ticketmain/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { AppError, errors, toProblem } from '../domain/errors.js';
import type { Catalog } from '../events/catalog.js';
import { SlidingCounter } from '../limits/sliding-counter.js';
import type { Subscriber } from './feed.js';
import type { RealtimeHub } from './hub.js';
import { errorText, helloText } from './messages.js';
import type { QueueWatch } from './queue-watch.js';
import type { TextFrame } from './wire.js';

const checkMessage = TypeCompiler.Compile(ClientMessage);

/** Messages of one client waiting to be handled; more are refused rather than buffered. */
const MAX_QUEUED_MESSAGES = 64;

/** RFC 6455 "policy violation". */
export const CLOSE_POLICY_VIOLATION = 1008;

/**
 * How long a client closed for its doing has to answer the close frame before its socket is
 * dropped (ws would wait 30 s, and a client that does not read never answers).
 */
const CLOSE_GRACE_MS = 1_000;

export interface ConnectionLimits {
  maxSubscriptions: number;
  /** Past this many unsent bytes, a reply of the connection's own closes it instead. */
  highWaterBytes: number;
  maxInvalidPerSecond: number;
}

/** Why a connection was closed for what its client did. */
export type ClientFault =
  'invalid_messages' | 'not_reading' | 'message_too_large' | 'protocol_error';

export interface ConnectionContext {
  hub: RealtimeHub;
  /** The waiting rooms' frames of this replica. */
  queues: QueueWatch;
  catalog: Catalog;
  limits: ConnectionLimits;
  log: FastifyBaseLogger;
  /** Told of each client fault; a client causes these at will, so the log of them is throttled. */
  fault(reason: ClientFault, fields: Record<string, unknown>): void;
}

export class Connection implements Subscriber {
  private readonly events = new Set<string>();
  /** Events whose waiting-room frames the client asked for. */
  private readonly queues = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly invalid: SlidingCounter;
  /** Closed for its client's doing: nothing more is read, answered or sent. */
  private expelled = false;
  alive = true;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket `socket` took over, for frames written whole (none: ws frames them all). */
    private readonly tcp: Duplex | undefined,
    private readonly context: ConnectionContext,
  ) {
    this.invalid = new SlidingCounter(context.limits.maxInvalidPerSecond, 1_000);
    socket.on('message', (data, isBinary) => {
      if (this.open) this.enqueue(data.toString(), isBinary);
    });
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => void this.onClose());
    socket.on('error', (err) => this.onProtocolError(err));
    this.reply(helloText());
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /**
   * A feed's frame (snapshot, resync): the feed has checked the high-water mark, and skips a
   * socket past it until it drains (feed.ts), so these never pile up past it by more than one.
   */
  send(frame: Buffer): void {
    if (this.open) this.socket.send(frame, { binary: false });
  }

  /**
   * Writes a frame framed once for every subscriber straight to the TCP socket, in one write (ws
   * would write its header and payload apart). Safe only because permessage-deflate is off
   * (plugins/realtime.ts): ws's Sender then writes each of its frames at once and never queues
   * one, so these bytes cannot land inside another frame; and ws's bufferedAmount, the socket's
   * writable length, counts them.
   */
  sendFrame(frame: TextFrame): void {
    if (!this.open) return;
    if (this.tcp === undefined) this.socket.send(frame.payload, { binary: false });
    else this.tcp.write(frame.wire);
  }

  /** Called by the keep-alive timer: a peer that did not answer the last ping is dropped. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Messages are handled one at a time, in the order they came (subscribe, then resync...). */
  private enqueue(text: string, isBinary: boolean): void {
    if (this.queued >= MAX_QUEUED_MESSAGES) {
      this.refuse(new AppError(ErrorCode.RateLimited, 'Too many messages at once; slow down'));
      return;
    }
    this.queued++;
    this.queue = this.queue.then(() => this.onMessage(text, isBinary)).finally(() => this.queued--);
  }

  private async onMessage(text: string, isBinary: boolean): Promise<void> {
    if (!this.open) return;
    try {
      if (isBinary) throw errors.invalid('Messages must be JSON text frames');
      const message = parse(text);
      switch (message.type) {
        case 'subscribe':
          return await this.subscribe(message.eventId);
        case 'unsubscribe':
          this.events.delete(message.eventId);
          this.queues.delete(message.eventId);
          this.context.queues.unwatch(message.eventId, this);
          return await this.context.hub.unsubscribe(message.eventId, this);
        case 'queue':
          return await this.watchQueue(message.eventId);
        case 'resync':
          if (!this.events.has(message.eventId)) {
            throw errors.invalid(`Not subscribed to ${message.eventId}`);
          }
          return await this.context.hub.resync(message.eventId, this);
      }
    } catch (error) {
      this.refuse(error);
    }
  }

  private async subscribe(eventId: string): Promise<void> {
    const { catalog, hub } = this.context;
    await catalog.get(eventId);
    if (this.events.has(eventId)) return hub.resync(eventId, this);
    this.assertRoom();
    this.events.add(eventId);
    await hub.subscribe(eventId, this);
  }

  /** The event's `queue` frame now and on each change; asked again, the latest frame again. */
  private async watchQueue(eventId: string): Promise<void> {
    const { catalog, queues } = this.context;
    await catalog.get(eventId);
    if (!this.queues.has(eventId)) this.assertRoom();
    queues.unwatch(eventId, this);
    await queues.watch(eventId, this);
    // The socket may have closed meanwhile: its close already unwatched what it knew of.
    if (this.open) this.queues.add(eventId);
    else queues.unwatch(eventId, this);
  }

  /** Seat feeds and waiting rooms together count towards the connection's subscriptions. */
  private assertRoom(): void {
    const { maxSubscriptions } = this.context.limits;
    if (this.events.size + this.queues.size >= maxSubscriptions) {
      throw errors.invalid(`At most ${maxSubscriptions} subscriptions per connection`);
    }
  }

  /**
   * Answers a message with an error frame. Every refusal but a server-side one counts: past
   * maxInvalidPerSecond in a second, the client is closed instead of answered.
   */
  private refuse(error: unknown): void {
    if (!this.open) return;
    const appError =
      error instanceof AppError ? error : new AppError(ErrorCode.Unavailable, 'Try again shortly');
    if (!(error instanceof AppError)) {
      this.context.log.warn({ err: error }, 'websocket message failed');
    }
    if (appError.code !== ErrorCode.Unavailable && this.invalid.add()) {
      this.expel('invalid_messages', 'Too many invalid messages');
      return;
    }
    const problem = toProblem(appError);
    this.reply(errorText(problem.code, problem.detail));
  }

  /**
   * A frame of the connection's own (hello, error): past the high-water mark, the client is not
   * reading what it is sent, and is closed rather than sent more.
   */
  private reply(text: string): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount + Buffer.byteLength(text) > this.context.limits.highWaterBytes) {
      this.expel('not_reading', 'Replies left unread');
      return;
    }
    this.socket.send(text, { binary: false });
  }

  private get open(): boolean {
    return !this.expelled && this.socket.readyState === this.socket.OPEN;
  }

  /** Closes the connection with 1008 for its client's doing, and reads nothing more from it. */
  private expel(reason: ClientFault, closeReason: string): void {
    this.expelled = true;
    this.context.fault(reason, { closeCode: CLOSE_POLICY_VIOLATION });
    // A flood stops costing the server the moment it is caught: what is still on the way is not
    // even read.
    this.socket.pause();
    this.socket.close(CLOSE_POLICY_VIOLATION, closeReason);
    // One that does not read would never get the close frame: there is no waiting for it.
    if (reason === 'not_reading') this.socket.terminate();
    else this.dropAfterGrace();
  }

  /** ws answers a frame it cannot take (oversized, malformed) by closing with its code. */
  private onProtocolError(error: Error): void {
    if (this.expelled) return; // the rest of a flood already caught
    const code = wsErrorCode(error);
    const tooLarge = code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.context.fault(tooLarge ? 'message_too_large' : 'protocol_error', {
      code,
      detail: error.message.slice(0, 100),
    });
    this.dropAfterGrace();
  }

  private dropAfterGrace(): void {
    const timer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  private async onClose(): Promise<void> {
    for (const eventId of this.queues) this.context.queues.unwatch(eventId, this);
    this.queues.clear();
    const events = [...this.events];
    this.events.clear();
    await Promise.all(events.map((eventId) => this.context.hub.unsubscribe(eventId, this)));
  }
}

function parse(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalid('Messages must be valid JSON');
  }
  if (!checkMessage.Check(value)) {
    const first = checkMessage.Errors(value).First();
    throw errors.invalid(
      first === undefined
        ? 'Unknown message'
        : `Invalid message: ${first.path || '/'} ${first.message}`.slice(0, 200),
    );
  }
  return value;
}

/** The code ws gives the errors of a client's frames (WS_ERR_...); undefined for any other. */
export function wsErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('WS_ERR_') ? code : undefined;
}
