// How many WebSockets each client address has open, so that one address cannot take the
// server's connections (and their buffers) for itself.

export class AddressSlots {
  private readonly open = new Map<string, number>();

  /** `max`: connections per address; 0 leaves them uncapped (they are still counted). */
  constructor(private readonly max: number) {}

  /**
   * Takes a slot for `address` (as clientAddress gives it); the function returned gives it back,
   * once however often it is called. Undefined: the address has no slot left.
   */
  take(address: string): (() => void) | undefined {
    const count = this.open.get(address) ?? 0;
    if (this.max > 0 && count >= this.max) return undefined;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left > 0) this.open.set(address, left);
      else this.open.delete(address);
    };
  }

  /** Open connections of `address`. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
