// The public ids of queue entries: 16 random bytes as hex, cut from a pool refilled every few
// hundred ids. A randomBytes call per join cost 12-16 µs on the loaded bench machine (4% of a
// join's CPU in the queue scenario's profile); cutting from a pool costs under 1 µs.
import { randomBytes } from 'node:crypto';

const ID_BYTES = 16;
const POOL_IDS = 256;

export class TicketIds {
  private pool = Buffer.alloc(0);
  private at = 0;

  next(): string {
    if (this.at >= this.pool.length) {
      this.pool = randomBytes(ID_BYTES * POOL_IDS);
      this.at = 0;
    }
    const id = this.pool.toString('hex', this.at, this.at + ID_BYTES);
    this.at += ID_BYTES;
    return id;
  }
}
