// The buyer's confirmation e-mail (API.md "Buyer details, order page and e-mail"): sent through
// the outbox to a real SMTP server, with the order's link and one QR code per ticket that
// decodes to the ticket's code; an SMTP server that is down delays the mail, never the order;
// embedded mode without SMTP_URL writes the mail as an .eml file.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import type { Order } from '@ticketmain/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis-server.js';
import { startServer, type TestServer } from '../support/server.js';
import { SmtpSink } from '../support/smtp.js';
import { buy, createEvent } from '../support/tickets.js';
import { until } from '../support/wait.js';

// jsqr is CommonJS: its exports are the function, with itself as `default` (what its types see).
const jsQR = jsqr.default;

const BUYER = { name: 'Ada Lovelace', email: 'ada@example.com' };
const FAST = {
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_RETRY_SCALE: '0.01',
  PUBLIC_URL: 'https://tickets.example',
};

/** Checks the mail against the order: recipient, link, seats, one decodable QR code per ticket. */
function expectConfirmation(mail: ParsedMail, order: Order): void {
  expect(mail.to).toMatchObject({ value: [{ address: BUYER.email, name: BUYER.name }] });
  expect(mail.subject).toBe('Your tickets for Ticket test');
  expect(order.url).toMatch(/^https:\/\/tickets\.example\/orders\//);
  expect(mail.text).toContain(order.url);
  expect(mail.html).toContain(order.url.replaceAll('&', '&amp;'));
  for (const seat of order.seats) expect(mail.text).toContain(seat.seatId);
  const images = mail.attachments.filter((a) => a.contentType === 'image/png');
  expect(images).toHaveLength(order.tickets.length);
  const decoded = images.map((image) => {
    expect(mail.html).toContain(`cid:${image.cid ?? 'missing'}`);
    const png = PNG.sync.read(image.content);
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  });
  expect(decoded.sort()).toEqual(order.tickets.map((t) => t.code).sort());
}

describe('the confirmation e-mail', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('goes through SMTP with the link and a QR code per ticket', async () => {
    const smtp = await SmtpSink.start();
    cleanup.push(() => smtp.close());
    const server = await startServer('services', { env: { ...FAST, SMTP_URL: smtp.url } });
    cleanup.push(() => server.close());
    const eventId = await createEvent(server.url);
    const { order } = await buy(server.url, eventId, ['S01', 'S02', 'V1'], BUYER);
    const [mail] = await until('the mail arrived', () => smtp.mails.length > 0 && smtp.mails);
    if (mail === undefined) throw new Error('no mail');
    expectConfirmation(mail, order);
    // An order without an e-mail sends none.
    await buy(server.url, eventId, ['S03']);
    const mails = await server.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM outbox_deliveries WHERE target = 'mail'",
    );
    expect(Number(mails[0]?.n)).toBe(1);
  });

  it('waits for an SMTP server that is down, and the order does not', async () => {
    const port = await freePort();
    const server: TestServer = await startServer('services', {
      env: { ...FAST, SMTP_URL: `smtp://127.0.0.1:${port}` },
    });
    cleanup.push(() => server.close());
    const eventId = await createEvent(server.url);
    const started = Date.now();
    const { order } = await buy(server.url, eventId, ['S04'], BUYER);
    const tookMs = Date.now() - started;
    // Down: the attempts fail (connection refused) and are retried.
    await until('a failed attempt', async () => {
      const rows = await server.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM delivery_attempts WHERE target = 'mail' AND error IS NOT NULL",
      );
      return Number(rows[0]?.n) >= 2;
    });
    const smtp = await SmtpSink.start(port);
    cleanup.push(() => smtp.close());
    const [mail] = await until('the mail arrived late', () => smtp.mails.length > 0 && smtp.mails);
    if (mail === undefined) throw new Error('no mail');
    expectConfirmation(mail, order);
    expect(tookMs).toBeLessThan(5_000);
  });

  it('is written as an .eml file in embedded mode without SMTP_URL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ticketmain-mail-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await startServer('embedded', { env: { ...FAST, DATA_DIR: dataDir } });
    cleanup.push(() => server.close());
    const eventId = await createEvent(server.url);
    const { order } = await buy(server.url, eventId, ['S05', 'V2'], BUYER);
    const mailDir = join(dataDir, 'mail');
    const [file] = await until('the .eml written', async () => {
      const files = await readdir(mailDir).catch(() => []);
      return files.length > 0 && files;
    });
    expect(file).toBe(`order-${order.orderId}.eml`);
    const raw = await readFile(join(mailDir, file ?? ''));
    expectConfirmation(await simpleParser(raw, { keepCidLinks: true }), order);
  });
});
