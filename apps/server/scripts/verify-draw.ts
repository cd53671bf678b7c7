// Checks a waiting room's draw from outside, as anyone can: `npm run verify-draw -- <baseUrl>
// <eventId>`. Reads the commitment the event has shown since its queue was created and the audit
// the draw published, recomputes the numbers from the seed (@ticketmain/client checkDraw) and
// exits 0 when everything matches, 1 when anything does not, 2 when it could not check.
import { TicketmainClient, checkDraw } from '@ticketmain/client';

/** The commitment of the event's detail (`queue.seedCommitment`), when the detail shows one. */
async function publishedCommitment(api: TicketmainClient, eventId: string): Promise<string | null> {
  const reply = await api.request('GET', `/api/events/${encodeURIComponent(eventId)}`);
  const queue = (reply.body as { queue?: { seedCommitment?: unknown } } | null)?.queue;
  return typeof queue?.seedCommitment === 'string' ? queue.seedCommitment : null;
}

async function main(args: string[]): Promise<number> {
  const [baseUrl, eventId] = args;
  if (baseUrl === undefined || eventId === undefined) {
    console.error('usage: npm run verify-draw -- <baseUrl> <eventId>');
    return 2;
  }
  const api = new TicketmainClient({ baseUrl, timeoutMs: 30_000 });
  const published = await publishedCommitment(api, eventId);
  const audit = await api.queueAudit(eventId);
  const commitment = published ?? audit.seedCommitment;
  const check = await checkDraw(audit, commitment);
  const source = published === null ? 'the audit (the event shows none)' : 'the event';
  console.log(`draw of ${eventId} at ${baseUrl}`);
  console.log(`  commitment ${commitment}, from ${source}`);
  console.log(`  SHA-256(seed) is the commitment: ${check.commitmentHolds ? 'yes' : 'NO'}`);
  console.log(`  pre-queue: ${audit.prequeue.length} tickets`);
  console.log(`  numbers are the seed's (1…n): ${check.numbersHold ? 'yes' : 'NO'}`);
  for (const m of check.mismatches.slice(0, 10)) {
    console.log(`    ${m.ticketId}: number ${m.number}, the seed gives ${m.expected ?? 'none'}`);
  }
  if (check.mismatches.length > 10) console.log(`    … ${check.mismatches.length - 10} more`);
  const holds = check.commitmentHolds && check.numbersHold;
  console.log(holds ? 'MATCH' : 'MISMATCH');
  return holds ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `could not check the draw: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
