// The organiser's report of an event: seats sold (the ledger, the truth of sales), held (the hold
// store, less seats the ledger already sold), available (the rest), revenue by section and orders
// per minute over the last hour. The counts add up to the capacity by construction; the tests
// check them against the ledger and the store directly.
import type { EventReport, MinuteReport, QueueReport, SectionReport } from '@ticketmain/protocol';
import type { ReadyHoldStore } from '../holds/self-healing.js';
import type { Ledger } from '../ledger/types.js';
import type { Catalog } from '../events/catalog.js';
import type { QueueStore } from '../queue/types.js';
import { lookupSeat } from '../domain/venue/layout.js';

const MINUTE_MS = 60_000;
/** How many minutes `ordersPerMinute` covers, the current one included. */
export const REPORT_MINUTES = 60;

export class ReportService {
  constructor(
    private readonly catalog: Catalog,
    private readonly store: ReadyHoldStore,
    private readonly ledger: Ledger,
    private readonly queues: QueueStore,
    private readonly now: () => number = Date.now,
  ) {}

  async event(eventId: string): Promise<EventReport> {
    const { record, index, detail } = await this.catalog.get(eventId);
    const thisMinute = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const since = new Date(thisMinute - (REPORT_MINUTES - 1) * MINUTE_MS);
    const [snapshot, sold, bySection, byMinute, queue] = await Promise.all([
      this.store.snapshot(eventId),
      this.ledger.soldSeats(eventId),
      this.ledger.salesBySection(eventId),
      this.ledger.salesByMinute(eventId, since),
      this.queue(eventId),
    ]);
    const soldSet = new Set(sold);
    const sections = new Map<string, SectionReport>(
      detail.sections.map((s) => [
        s.id,
        { sectionId: s.id, name: s.name, capacity: 0, sold: 0, held: 0, available: 0, revenue: 0 },
      ]),
    );
    for (const seat of index.seats) {
      const section = sections.get(seat.sectionId);
      if (section !== undefined) section.capacity++;
    }
    for (const ga of index.ga.values()) {
      const section = sections.get(ga.id);
      if (section !== undefined) section.capacity += ga.capacity;
    }
    for (const seatId of soldSet) {
      const section = sections.get(lookupSeat(index, seatId)?.sectionId ?? '');
      if (section !== undefined) section.sold++;
    }
    for (const seatId of snapshot.held) {
      if (soldSet.has(seatId)) continue;
      const section = sections.get(lookupSeat(index, seatId)?.sectionId ?? '');
      if (section !== undefined) section.held++;
    }
    for (const { sectionId, revenue } of bySection) {
      const section = sections.get(sectionId);
      if (section !== undefined) section.revenue = revenue;
    }
    const rows = [...sections.values()];
    for (const section of rows) section.available = section.capacity - section.sold - section.held;
    const sum = (key: 'capacity' | 'sold' | 'held' | 'available' | 'revenue') =>
      rows.reduce((total, row) => total + row[key], 0);
    return {
      eventId,
      capacity: sum('capacity'),
      sold: sum('sold'),
      held: sum('held'),
      available: sum('available'),
      revenue: sum('revenue'),
      currency: record.currency,
      sections: rows,
      ordersPerMinute: everyMinute(since.getTime(), byMinute),
      queue,
    };
  }

  /**
   * The waiting room's numbers: admitted are the numbers served so far (their admission may
   * have ended since), waiting the numbers given and not yet served (0 before the draw).
   */
  private async queue(eventId: string): Promise<QueueReport | null> {
    const outcome = await this.queues.get(eventId);
    if (!outcome.ok) return null;
    const { servedThrough, lastNumber, admitPerMinute, paused } = outcome.queue;
    return {
      waiting: Math.max(0, lastNumber - servedThrough),
      admitted: Math.min(servedThrough, lastNumber),
      servedThrough,
      admitPerMinute,
      paused,
    };
  }
}

/** One entry per minute from `from` on, the minutes without an order as zeros. */
function everyMinute(
  from: number,
  sales: { minute: Date; orders: number; tickets: number; revenue: number }[],
): MinuteReport[] {
  const byStart = new Map(sales.map((s) => [s.minute.getTime(), s]));
  return Array.from({ length: REPORT_MINUTES }, (_, i) => {
    const start = from + i * MINUTE_MS;
    const found = byStart.get(start);
    return {
      minute: new Date(start).toISOString(),
      orders: found?.orders ?? 0,
      tickets: found?.tickets ?? 0,
      revenue: found?.revenue ?? 0,
    };
  });
}

const CSV_COLUMNS = [
  'section_id',
  'name',
  'capacity',
  'sold',
  'held',
  'available',
  'revenue_cents',
  'currency',
] as const;

/**
 * One line per section, then a total line. Fields are quoted as RFC 4180 says, and a text field
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with a quote mark.
 */
export function reportCsv(report: EventReport): string {
  const line = (fields: (string | number)[]) => fields.map(csvField).join(',');
  const lines = [
    line([...CSV_COLUMNS]),
    ...report.sections.map((s) =>
      line([
        s.sectionId,
        s.name,
        s.capacity,
        s.sold,
        s.held,
        s.available,
        s.revenue,
        report.currency,
      ]),
    ),
    line([
      'total',
      'All sections',
      report.capacity,
      report.sold,
      report.held,
      report.available,
      report.revenue,
      report.currency,
    ]),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
