import { describe, expect, it } from 'vitest';
import { AddressSlots } from './address-slots.js';

describe('AddressSlots', () => {
  it('gives each address at most `max` slots, and a released slot back', () => {
    const slots = new AddressSlots(2);
    const first = slots.take('10.0.0.1');
    const second = slots.take('10.0.0.1');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(slots.take('10.0.0.1')).toBeUndefined();
    expect(slots.take('10.0.0.2')).toBeDefined(); // another address has its own
    first!();
    first!(); // twice is once
    expect(slots.count('10.0.0.1')).toBe(1);
    expect(slots.take('10.0.0.1')).toBeDefined();
    expect(slots.take('10.0.0.1')).toBeUndefined();
  });

  it('forgets an address once its last slot is released', () => {
    const slots = new AddressSlots(1);
    slots.take('2001:db8::')!();
    expect(slots.count('2001:db8::')).toBe(0);
  });

  it('counts without a cap when max is 0', () => {
    const slots = new AddressSlots(0);
    for (let i = 0; i < 100; i++) expect(slots.take('10.0.0.1')).toBeDefined();
    expect(slots.count('10.0.0.1')).toBe(100);
  });
});
