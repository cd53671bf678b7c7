import type { QueueEntry, QueueMessage } from '@ticketmain/protocol';
import { describe, expect, it } from 'vitest';
import {
  aheadOf,
  announcement,
  estimateWaitSeconds,
  formatClock,
  formatSpan,
  formatWait,
  initialQueueState,
  lineProgress,
  nextAnnouncement,
  queueSettingsOf,
  queueView,
  withEntry,
  withFrame,
} from './queue';

const NOW = Date.parse('2026-12-04T20:00:00Z');

const entry = (fields: Partial<QueueEntry>): QueueEntry => ({
  status: 'waiting',
  ticketId: 't1',
  number: 40,
  servedThrough: 10,
  etaSeconds: 180,
  admittedUntil: null,
  ...fields,
});

const frame = (fields: Partial<QueueMessage>): QueueMessage => ({
  type: 'queue',
  eventId: 'e',
  servedThrough: 10,
  waiting: 100,
  admitPerMinute: 10,
  paused: false,
  ...fields,
});

describe('wait and progress', () => {
  it('estimates the wait from the place and the rate', () => {
    expect(estimateWaitSeconds(30, 10, false)).toBe(180);
    expect(estimateWaitSeconds(1, 7, false)).toBe(9);
    expect(estimateWaitSeconds(30, 10, true)).toBeNull();
    expect(estimateWaitSeconds(30, 0, false)).toBeNull();
  });

  it('words the wait as a person would', () => {
    expect(formatWait(null)).toBeNull();
    expect(formatWait(20)).toBe('less than a minute');
    expect(formatWait(60)).toBe('about 1 minute');
    expect(formatWait(185)).toBe('about 3 minutes');
    expect(formatWait(3600)).toBe('about 1 hour');
    expect(formatWait(3600 + 22 * 60)).toBe('about 1 hour 20 minutes');
    expect(formatWait(2 * 3600 + 58 * 60)).toBe('about 3 hours');
  });

  it('words how long an admission lasts', () => {
    expect(formatSpan(30)).toBe('30 seconds');
    expect(formatSpan(600)).toBe('10 minutes');
    expect(formatSpan(60)).toBe('1 minute');
    expect(formatSpan(5400)).toBe('1 hour 30 minutes');
    expect(formatSpan(7200)).toBe('2 hours');
  });

  it('shows countdowns with hours and days when needed', () => {
    expect(formatClock(-5)).toBe('0:00');
    expect(formatClock(4 * 60_000 + 9_000)).toBe('4:09');
    expect(formatClock(3_903_000)).toBe('1:05:03');
    expect(formatClock(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 days 3:00:00');
  });

  it('measures progress from where the buyer started', () => {
    expect(lineProgress(40, 10, 10)).toBe(0);
    expect(lineProgress(40, 25, 10)).toBe(0.5);
    expect(lineProgress(40, 50, 10)).toBe(1);
    expect(lineProgress(5, 5, 5)).toBe(1);
    expect(aheadOf(1)).toBe(0);
    expect(aheadOf(30)).toBe(29);
  });
});

describe('queue view', () => {
  it('waits with the live frame: place, eta at the frame rate, progress', () => {
    let state = withEntry(initialQueueState, entry({}));
    state = withFrame(state, frame({ servedThrough: 25, admitPerMinute: 15 }));
    expect(queueView(state, NOW)).toMatchObject({
      kind: 'waiting',
      locked: true,
      number: 40,
      place: 15,
      etaSeconds: 60,
      progress: 0.5,
    });
    // A late frame from another replica never moves the line back.
    state = withFrame(state, frame({ servedThrough: 20, paused: true }));
    expect(queueView(state, NOW)).toMatchObject({ place: 15, paused: true, etaSeconds: null });
  });

  it("turns to the buyer's turn, admission and its end", () => {
    const waiting = withEntry(initialQueueState, entry({}));
    expect(queueView(withFrame(waiting, frame({ servedThrough: 40 })), NOW).kind).toBe('turn');
    const until = new Date(NOW + 600_000).toISOString();
    const admitted = withEntry(waiting, entry({ status: 'admitted', admittedUntil: until }));
    expect(queueView(admitted, NOW)).toMatchObject({
      kind: 'admitted',
      locked: false,
      admittedUntil: NOW + 600_000,
    });
    expect(queueView(admitted, NOW + 600_000).kind).toBe('expired');
    expect(queueView(withEntry(waiting, entry({ status: 'closed' })), NOW).kind).toBe('closed');
  });

  it('knows the pre-queue, and an event without a queue', () => {
    const pre = withEntry(initialQueueState, entry({ status: 'prequeue', number: null }));
    expect(queueView(pre, NOW)).toMatchObject({ kind: 'prequeue', locked: true });
    expect(pre.baseline).toBeNull();
    expect(queueView({ ...pre, step: null }, NOW)).toEqual({ kind: 'open' });
  });

  it('reads the settings from the event detail when it has them', () => {
    const settings = {
      opensAt: '2026-12-04T19:00:00.000Z',
      salesStartAt: '2026-12-04T20:00:00.000Z',
      admitPerMinute: 60,
      admissionSeconds: 600,
      powBits: 8,
      paused: false,
      seedCommitment: 'a'.repeat(64),
    };
    expect(queueSettingsOf({ queue: settings })).toEqual(settings);
    expect(queueSettingsOf({ queue: null })).toBeNull();
    expect(queueSettingsOf({})).toBeUndefined();
    expect(queueSettingsOf({ queue: { bogus: true } })).toBeUndefined();
  });
});

describe('announcements', () => {
  const waiting = (served: number) =>
    queueView(
      withFrame(withEntry(initialQueueState, entry({})), frame({ servedThrough: served })),
      NOW,
    );

  it('speaks the place politely: a new phase at once, a new place at most every 30 s', () => {
    const first = nextAnnouncement(null, announcement(waiting(10)), NOW);
    expect(first?.text).toBe('29 people ahead of you. Estimated wait about 3 minutes.');
    // Ten seconds on, the place changed: not spoken yet.
    const soon = nextAnnouncement(first, announcement(waiting(20)), NOW + 10_000);
    expect(soon).toBe(first);
    const later = nextAnnouncement(soon, announcement(waiting(25)), NOW + 31_000);
    expect(later?.text).toBe('14 people ahead of you. Estimated wait about 2 minutes.');
    // The turn comes: at once.
    const turn = nextAnnouncement(later, announcement(waiting(40)), NOW + 32_000);
    expect(turn?.text).toBe("It's your turn: the seat map is open.");
    expect(nextAnnouncement(turn, null, NOW + 40_000)).toBe(turn);
  });
});
