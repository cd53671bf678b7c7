// An event's report kept current: fetched again shortly after every seat change the WebSocket
// announces (at most one fetch in flight, one more queued), and every few seconds anyway, so the
// dashboard follows a sale within a second without polling hard. The waiting room's frames
// (length, rate, pause) go into the report as they come, and bring a fetch for the rest.
import type { TicketmainClient } from '@ticketmain/client';
import { conforms, QueueMessage, type EventReport } from '@ticketmain/protocol';
import { socketUrl } from '../net/seat-socket';
import { Observable } from '../state/observable';
import { isUnauthenticated } from './admin-session';

const POLL_MS = 5_000;
/** Seat changes come in bursts: one fetch for a burst. */
const CHANGE_DELAY_MS = 150;
const RECONNECT_MS = 2_000;

export type LiveReportState =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'ready'; report: EventReport; live: boolean };

export class LiveReport {
  readonly state = new Observable<LiveReportState>({ phase: 'loading' });
  private socket: WebSocket | null = null;
  private inFlight = false;
  private again = false;
  private changeTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private live = false;

  constructor(
    private readonly api: TicketmainClient,
    private readonly eventId: string,
    private readonly onUnauthenticated: () => void,
  ) {}

  start(): void {
    void this.refresh();
    this.poll = setInterval(() => void this.refresh(), POLL_MS);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.poll !== null) clearInterval(this.poll);
    if (this.changeTimer !== null) clearTimeout(this.changeTimer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'dashboard closed');
  }

  /** Fetches the report now (or right after the fetch in flight). */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const report = await this.api.eventReport(this.eventId);
      if (!this.stopped) this.state.set({ phase: 'ready', report, live: this.live });
    } catch (error) {
      if (isUnauthenticated(error)) this.onUnauthenticated();
      else if (this.state.get().phase !== 'ready' && !this.stopped) {
        this.state.set({ phase: 'failed', message: 'The report could not be loaded; retrying.' });
      }
    } finally {
      this.inFlight = false;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.refresh();
      }
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(socketUrl(window.location));
    this.socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'subscribe', eventId: this.eventId }));
      // Frames come once the event has a waiting room, and then on each change.
      ws.send(JSON.stringify({ type: 'queue', eventId: this.eventId }));
    };
    ws.onmessage = (message) => {
      const text = typeof message.data === 'string' ? message.data : '';
      if (text.startsWith('{"type":"snapshot"')) this.setLive(true);
      else if (text.startsWith('{"type":"seats"')) this.changed();
      else if (text.startsWith('{"type":"queue"')) this.queueChanged(text);
    };
    ws.onclose = () => {
      this.setLive(false);
      if (!this.stopped) this.reconnectTimer = setTimeout(() => this.connect(), RECONNECT_MS);
    };
  }

  private changed(): void {
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = null;
      void this.refresh();
    }, CHANGE_DELAY_MS);
  }

  private queueChanged(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!conforms(QueueMessage, frame) || frame.eventId !== this.eventId) return;
    const state = this.state.get();
    if (state.phase === 'ready' && state.report.queue !== null) {
      const { waiting, servedThrough, admitPerMinute, paused } = frame;
      const queue = { ...state.report.queue, waiting, servedThrough, admitPerMinute, paused };
      this.state.set({ ...state, report: { ...state.report, queue } });
    }
    // The admitted count (and a waiting room just configured) come with the report.
    this.changed();
  }

  private setLive(live: boolean): void {
    this.live = live;
    const state = this.state.get();
    if (state.phase === 'ready' && state.live !== live) this.state.set({ ...state, live });
  }
}
