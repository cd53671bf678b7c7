import { describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET } from '../webhooks/secrets.js';
import { seal, unseal } from './sealing.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

describe('sealing', () => {
  it('opens what it sealed, with a fresh iv each time', () => {
    const sealed = seal(SECRET, 'kid-1', '{"d":"private"}');
    expect(unseal(SECRET, 'kid-1', sealed)).toBe('{"d":"private"}');
    expect(seal(SECRET, 'kid-1', '{"d":"private"}')).not.toBe(sealed);
    expect(sealed).not.toContain('private');
  });

  it('refuses another secret, another key id and a changed text', () => {
    const sealed = seal(SECRET, 'kid-1', 'x');
    expect(() => unseal(`${SECRET}!`, 'kid-1', sealed)).toThrow(/SESSION_SECRET/);
    expect(() => unseal(SECRET, 'kid-2', sealed)).toThrow(/SESSION_SECRET/);
    const [version, iv, , tag] = sealed.split('.');
    const changed = [version, iv, Buffer.from('y').toString('base64url'), tag].join('.');
    expect(() => unseal(SECRET, 'kid-1', changed)).toThrow();
    expect(() => unseal(SECRET, 'kid-1', 'junk')).toThrow(/not a sealed key/);
  });
});

describe('sealing for another use', () => {
  it('opens only with the same info', () => {
    const sealed = seal(SECRET, 'id-1', 'whsec_x', WEBHOOK_SECRET);
    expect(unseal(SECRET, 'id-1', sealed, WEBHOOK_SECRET)).toBe('whsec_x');
    expect(() => unseal(SECRET, 'id-1', sealed)).toThrow(/SESSION_SECRET/);
  });
});
