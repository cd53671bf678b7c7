import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

describe('clientAddress', () => {
  it('keeps an IPv4 address, also when it comes mapped into IPv6', () => {
    expect(clientAddress('127.0.0.3')).toBe('127.0.0.3');
    expect(clientAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('groups IPv6 addresses by their /64, however they are written', () => {
    const net = clientAddress('2001:db8:12:34::1');
    expect(clientAddress('2001:0db8:0012:0034:ffff:1:2:3')).toBe(net);
    expect(clientAddress('2001:DB8:12:34:0:0:0:9')).toBe(net);
    expect(clientAddress('2001:db8:12:35::1')).not.toBe(net);
    expect(net).toBe('2001:db8:12:34::');
  });
});
