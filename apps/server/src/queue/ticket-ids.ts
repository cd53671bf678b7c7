// The public ids of queue entries: 16 random bytes as hex, cut from a pool refilled every few
// hundred ids. One randomBytes call per join was a tenth of a join's CPU under a launch's crowd
// (each call is a trip into the system's generator; the pool makes it one per POOL_IDS joins).
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
