// The waiting rooms' `queue` frames of this replica (API.md "Waiting room", WebSocket): each
// watched event's queue state is read from the store on an interval (one cheap read per event,
// however many watch it), serialised once, and sent to the watchers whose last frame differs.
// The frame is public: it names no session and no ticket, so one text serves everyone.
import { errors } from '../domain/errors.js';
import { waitingOf } from '../queue/service.js';
import type { QueueState, QueueStore } from '../queue/types.js';
import { queueText } from './messages.js';

/** A connection that watches waiting rooms. */
export interface QueueWatcher {
  readonly bufferedAmount: number;
  send(frame: Buffer): void;
}

export interface QueueWatchOptions {
  /** How often each watched event's state is read; the frames go out at most this often. */
  intervalMs: number;
  /** A watcher with this much unsent is skipped until it drains; it then gets the latest frame. */
  highWaterBytes: number;
}

export interface QueueWatchHooks {
  framesSent(count: number): void;
  error(error: unknown, message: string): void;
}

interface Watched {
  /** Each watcher with the frame it was last sent. */
  watchers: Map<QueueWatcher, Buffer | undefined>;
  /** The latest frame, and its text to compare the next one with. */
  frame: Buffer | undefined;
  text: string | undefined;
}

/** The frame's numbers from the store's state: who is still to be admitted, rate and pause. */
export function queueFrame(eventId: string, state: QueueState): string {
  return queueText({
    eventId,
    servedThrough: state.servedThrough,
    waiting: waitingOf(state),
    admitPerMinute: state.admitPerMinute,
    paused: state.paused,
  });
}

export class QueueWatch {
  private readonly events = new Map<string, Watched>();
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly options: QueueWatchOptions,
    private readonly hooks: QueueWatchHooks,
  ) {
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, options.intervalMs);
    this.timer.unref();
  }

  /** Sends the event's frame at once and whenever it changes; QUEUE_NOT_FOUND without a queue. */
  async watch(eventId: string, watcher: QueueWatcher): Promise<void> {
    let watched = this.events.get(eventId);
    if (watched?.frame === undefined) {
      const outcome = await this.store.get(eventId);
      if (!outcome.ok) throw errors.queueNotFound(eventId);
      watched = this.events.get(eventId) ?? {
        watchers: new Map(),
        frame: undefined,
        text: undefined,
      };
      this.events.set(eventId, watched);
      this.update(watched, queueFrame(eventId, outcome.queue));
    }
    watched.watchers.set(watcher, undefined);
    this.deliver(watched, watcher);
  }

  unwatch(eventId: string, watcher: QueueWatcher): void {
    const watched = this.events.get(eventId);
    if (watched === undefined) return;
    watched.watchers.delete(watcher);
    if (watched.watchers.size === 0) this.events.delete(eventId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    this.events.clear();
  }

  private async poll(): Promise<void> {
    await Promise.all(
      [...this.events].map(async ([eventId, watched]) => {
        try {
          const outcome = await this.store.get(eventId);
          if (outcome.ok) this.update(watched, queueFrame(eventId, outcome.queue));
          let sent = 0;
          for (const watcher of watched.watchers.keys()) sent += this.deliver(watched, watcher);
          if (sent > 0) this.hooks.framesSent(sent);
        } catch (error) {
          this.hooks.error(error, 'queue frame failed');
        }
      }),
    );
  }

  private update(watched: Watched, text: string): void {
    if (text === watched.text) return;
    watched.text = text;
    watched.frame = Buffer.from(text);
  }

  /** Sends the latest frame unless the watcher has it or is not reading; 1 when sent. */
  private deliver(watched: Watched, watcher: QueueWatcher): number {
    const { frame } = watched;
    if (frame === undefined || watched.watchers.get(watcher) === frame) return 0;
    if (watcher.bufferedAmount + frame.length > this.options.highWaterBytes) return 0;
    watched.watchers.set(watcher, frame);
    watcher.send(frame);
    return 1;
  }
}
