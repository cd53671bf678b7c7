// Decodes the JSON the scripts publish on an event's channel into the contract's ChangeBatch:
// {"k":"c","t":ms,"s":firstSeq,"c":[[seatId,status],...]} or {"k":"r","t":ms,"s":seq}.
import type { SeatStatus } from '@ticketmain/protocol';
import type { ChangeBatch, SeatChangeRecord } from '../types.js';

const STATUSES: ReadonlySet<string> = new Set<SeatStatus>(['AVAILABLE', 'HELD', 'SOLD']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

const isStatus = (v: unknown): v is SeatStatus => typeof v === 'string' && STATUSES.has(v);

function decodeChanges(raw: unknown, firstSeq: number): SeatChangeRecord[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const changes: SeatChangeRecord[] = [];
  for (const [i, entry] of raw.entries()) {
    if (!Array.isArray(entry)) return null;
    const [seatId, status]: unknown[] = entry;
    if (typeof seatId !== 'string' || !isStatus(status)) return null;
    changes.push({ seq: firstSeq + i, seatId, status });
  }
  return changes;
}

/** The batch, or null for a message that is not one (the subscriber then sees a seq gap). */
export function decodeBatch(eventId: string, message: string): ChangeBatch | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !isInt(parsed.t) || !isInt(parsed.s)) return null;
  const time = parsed.t;
  if (parsed.k === 'r') return { kind: 'replaced', eventId, time, seq: parsed.s };
  if (parsed.k !== 'c') return null;
  const changes = decodeChanges(parsed.c, parsed.s);
  return changes && { kind: 'changes', eventId, time, changes };
}
