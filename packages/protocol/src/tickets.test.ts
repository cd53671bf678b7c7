import { describe, expect, it } from 'vitest';
import { conforms } from './check.js';
import { Buyer, CheckInRequest } from './tickets.js';

describe('Buyer', () => {
  const buyer = { name: 'Ada Lovelace', email: 'ada@example.org' };

  it('takes a name and an address', () => {
    expect(conforms(Buyer, buyer)).toBe(true);
    expect(conforms(Buyer, { ...buyer, email: 'a.b+tickets@mail.example.co.uk' })).toBe(true);
    expect(conforms(Buyer, { ...buyer, name: 'Zoë Ōtani' })).toBe(true);
  });

  it.each([
    ['no at sign', { email: 'ada.example.org' }],
    ['no dot in the domain', { email: 'ada@localhost' }],
    ['a space', { email: 'ada lovelace@example.org' }],
    ['a header injected', { email: 'ada@example.org\r\nBcc: x@example.org' }],
    ['an address too long', { email: `${'a'.repeat(250)}@example.org` }],
    ['an empty name', { name: '' }],
    ['a name too long', { name: 'a'.repeat(201) }],
    ['a control character in the name', { name: 'Ada\u0007' }],
    ['a newline in the name', { name: 'Ada\nLovelace' }],
    ['another field', { phone: '123' }],
  ])('refuses %s', (_what, change) => {
    expect(conforms(Buyer, { ...buyer, ...change })).toBe(false);
  });
});

describe('CheckInRequest', () => {
  it('takes a code and an optional nonce of printable ASCII', () => {
    expect(conforms(CheckInRequest, { code: 'a.b.c' })).toBe(true);
    expect(conforms(CheckInRequest, { code: 'a.b.c', nonce: 'gate-3:17' })).toBe(true);
    expect(conforms(CheckInRequest, { code: 'a.b.c', nonce: 'has space' })).toBe(false);
    expect(conforms(CheckInRequest, { code: '' })).toBe(false);
  });
});
