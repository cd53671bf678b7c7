// Fan-in of published change batches: one subscriber client per store (on a Cluster, one connection
// per master), one SSUBSCRIBE per event channel however many listeners, each message decoded once
// and handed to its listeners.
import type { ChangeBatch } from '../types.js';
import type { RedisClient } from './connect.js';
import { decodeBatch } from './messages.js';

export type BatchListener = (batch: ChangeBatch) => void;

interface Channel {
  eventId: string;
  listeners: Set<BatchListener>;
  subscribed: Promise<unknown>;
}

export class ChannelSubscriptions {
  private connection: RedisClient | undefined;
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly connect: () => RedisClient,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  async add(
    channel: string,
    eventId: string,
    listener: BatchListener,
  ): Promise<() => Promise<void>> {
    const entry = this.channelEntry(channel, eventId);
    entry.listeners.add(listener);
    try {
      await entry.subscribed;
    } catch (error) {
      await this.remove(channel, entry, listener).catch(() => undefined);
      throw error;
    }
    let removed = false;
    return async (): Promise<void> => {
      if (removed) return;
      removed = true;
      await this.remove(channel, entry, listener);
    };
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.channels.clear();
    if (connection) await connection.quit().catch(() => connection.disconnect());
  }

  private channelEntry(channel: string, eventId: string): Channel {
    const existing = this.channels.get(channel);
    if (existing) return existing;
    // Commands on one connection run in order, so this cannot overtake an earlier SUNSUBSCRIBE.
    const entry = {
      eventId,
      listeners: new Set<BatchListener>(),
      subscribed: this.subscriber().ssubscribe(channel),
    };
    this.channels.set(channel, entry);
    return entry;
  }

  private async remove(channel: string, entry: Channel, listener: BatchListener): Promise<void> {
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0 || this.channels.get(channel) !== entry) return;
    this.channels.delete(channel);
    await this.connection?.sunsubscribe(channel);
  }

  private subscriber(): RedisClient {
    if (this.connection) return this.connection;
    const connection = this.connect();
    connection.on('smessage', (channel: string, message: string) =>
      this.dispatch(channel, message),
    );
    this.connection = connection;
    return connection;
  }

  private dispatch(channel: string, message: string): void {
    const entry = this.channels.get(channel);
    const batch = entry && decodeBatch(entry.eventId, message);
    if (!entry || !batch) return;
    for (const listener of [...entry.listeners]) {
      // A throwing listener must neither starve the others nor break the connection's parser.
      try {
        listener(batch);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
