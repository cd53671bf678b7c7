// One WebSocket client: parses and validates its messages, subscribes it to event feeds, and
// answers every bad message with an error frame while keeping the connection open.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ClientMessage, ErrorCode } from '@ticketmain/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { AppError, errors, toProblem } from '../domain/errors.js';
import type { Catalog } from '../events/catalog.js';
import type { Subscriber } from './feed.js';
import type { RealtimeHub } from './hub.js';
import { errorText, helloText } from './messages.js';
import type { TextFrame } from './wire.js';

const checkMessage = TypeCompiler.Compile(ClientMessage);

/** Messages of one client waiting to be handled; more are refused rather than buffered. */
const MAX_QUEUED_MESSAGES = 64;

export interface ConnectionLimits {
  maxSubscriptions: number;
}

export class Connection implements Subscriber {
  private readonly events = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  alive = true;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket `socket` took over, for frames written whole (none: ws frames them all). */
    private readonly tcp: Duplex | undefined,
    private readonly hub: RealtimeHub,
    private readonly catalog: Catalog,
    private readonly limits: ConnectionLimits,
    private readonly log: FastifyBaseLogger,
  ) {
    socket.on('message', (data, isBinary) => this.enqueue(data.toString(), isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => void this.onClose());
    socket.on('error', (err) => this.log.debug({ err }, 'websocket error'));
    this.send(helloText());
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(frame: Buffer | string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }

  /**
   * Writes a frame framed once for every subscriber straight to the TCP socket, in one write (ws
   * would write its header and payload apart). Safe only because permessage-deflate is off
   * (plugins/realtime.ts): ws's Sender then writes each of its frames at once and never queues
   * one, so these bytes cannot land inside another frame; and ws's bufferedAmount, the socket's
   * writable length, counts them.
   */
  sendFrame(frame: TextFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
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
      this.sendError(new AppError(ErrorCode.RateLimited, 'Too many messages at once; slow down'));
      return;
    }
    this.queued++;
    this.queue = this.queue.then(() => this.onMessage(text, isBinary)).finally(() => this.queued--);
  }

  private async onMessage(text: string, isBinary: boolean): Promise<void> {
    try {
      if (isBinary) throw errors.invalid('Messages must be JSON text frames');
      const message = parse(text);
      switch (message.type) {
        case 'subscribe':
          return await this.subscribe(message.eventId);
        case 'unsubscribe':
          this.events.delete(message.eventId);
          return await this.hub.unsubscribe(message.eventId, this);
        case 'resync':
          if (!this.events.has(message.eventId)) {
            throw errors.invalid(`Not subscribed to ${message.eventId}`);
          }
          return await this.hub.resync(message.eventId, this);
      }
    } catch (error) {
      this.sendError(error);
    }
  }

  private async subscribe(eventId: string): Promise<void> {
    await this.catalog.get(eventId);
    if (this.events.has(eventId)) return this.hub.resync(eventId, this);
    if (this.events.size >= this.limits.maxSubscriptions) {
      throw errors.invalid(`At most ${this.limits.maxSubscriptions} subscriptions per connection`);
    }
    this.events.add(eventId);
    await this.hub.subscribe(eventId, this);
  }

  private sendError(error: unknown): void {
    const appError =
      error instanceof AppError ? error : new AppError(ErrorCode.Unavailable, 'Try again shortly');
    if (!(error instanceof AppError)) this.log.warn({ err: error }, 'websocket message failed');
    const problem = toProblem(appError);
    this.send(errorText(problem.code, problem.detail));
  }

  private async onClose(): Promise<void> {
    const events = [...this.events];
    this.events.clear();
    await Promise.all(events.map((eventId) => this.hub.unsubscribe(eventId, this)));
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
