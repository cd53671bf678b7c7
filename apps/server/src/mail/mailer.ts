// The buyer's confirmation e-mail: the order's link, the event, the seats and one QR code per
// ticket (a PNG attached inline by Content-ID, holding the ticket's code). Sent through SMTP
// (SMTP_URL); without it, written as an .eml file under DATA_DIR/mail. Built from the ledger at
// sending time, so a retry sends the same mail (same Message-ID, same file).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import QRCode from 'qrcode';
import type { Order } from '@ticketmain/protocol';
import type { Ledger } from '../ledger/types.js';
import type { OrderPresenter } from '../orders/present.js';

export interface MailOptions {
  /** smtp:// or smtps:// URL; undefined: .eml files in `dir`. */
  smtpUrl: string | undefined;
  from: string;
  dir: string;
  timeoutMs: number;
}

/** Thrown for a mail that can never be sent (its order is gone): the delivery is given up. */
export class UndeliverableMail extends Error {}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    private readonly ledger: Ledger,
    private readonly presenter: OrderPresenter,
    private readonly options: MailOptions,
  ) {
    this.transport =
      options.smtpUrl === undefined
        ? nodemailer.createTransport({ streamTransport: true, buffer: true })
        : nodemailer.createTransport(smtpOptions(options.smtpUrl, options.timeoutMs));
  }

  /** Sends the confirmation of the order; throws when the server did not take it. */
  async sendOrderConfirmation(orderId: string): Promise<void> {
    const record = await this.ledger.getOrder(orderId);
    if (record === null || record.buyer === null) throw new UndeliverableMail('order gone');
    const event = await this.ledger.getEvent(record.eventId);
    const order = await this.presenter.present(record);
    const message = await composeConfirmation(order, record.buyer, event?.name ?? order.eventId);
    const info: { message?: unknown } = await this.transport.sendMail({
      ...message,
      from: this.options.from,
    });
    if (this.options.smtpUrl === undefined) await this.writeEml(orderId, info.message);
  }

  close(): void {
    this.transport.close();
  }

  private async writeEml(orderId: string, raw: unknown): Promise<void> {
    if (!Buffer.isBuffer(raw)) throw new Error('mail: the stream transport gave no message');
    await mkdir(this.options.dir, { recursive: true });
    await writeFile(join(this.options.dir, `order-${orderId}.eml`), raw);
  }
}

/** The message (without `from`): a text part, an HTML part and one inline QR code per ticket. */
export async function composeConfirmation(
  order: Order,
  buyer: { name: string; email: string },
  eventName: string,
) {
  const tickets = await Promise.all(
    order.tickets.map(async (ticket) => ({
      ...ticket,
      cid: `ticket-${ticket.ticketId}@ticketmain`,
      png: await QRCode.toBuffer(ticket.code, { type: 'png', errorCorrectionLevel: 'M' }),
    })),
  );
  const total = `${(order.total / 100).toFixed(2)} ${order.currency}`;
  const text = [
    `Hello ${buyer.name},`,
    '',
    `your order for ${eventName} is confirmed.`,
    `Seats: ${order.seats.map((s) => s.seatId).join(', ')} (total ${total}).`,
    `Your order and tickets: ${order.url}`,
    '',
    'Show the QR code of each ticket at the entrance.',
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(buyer.name)},</p>`,
    `<p>your order for <strong>${escapeHtml(eventName)}</strong> is confirmed (total ${total}).</p>`,
    `<p><a href="${escapeHtml(order.url)}">Your order and tickets</a></p>`,
    ...tickets.map(
      (t) =>
        `<p>Seat ${escapeHtml(t.seatId)} (${escapeHtml(t.sectionId)})<br>` +
        `<img src="cid:${t.cid}" alt="QR code of the ticket for seat ${escapeHtml(t.seatId)}" width="240" height="240"></p>`,
    ),
  ].join('\n');
  return {
    to: { name: buyer.name, address: buyer.email },
    subject: `Your tickets for ${eventName}`,
    messageId: `<order-${order.orderId}@ticketmain>`,
    text,
    html,
    attachments: tickets.map((t) => ({
      filename: `ticket-${t.seatId}.png`,
      content: t.png,
      contentType: 'image/png',
      cid: t.cid,
    })),
  };
}

/** SMTP_URL as nodemailer's options, with time-outs (its defaults wait up to 10 minutes). */
function smtpOptions(smtpUrl: string, timeoutMs: number) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname,
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
