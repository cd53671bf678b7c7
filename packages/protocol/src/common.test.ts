import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { Text, TEXT_PATTERN } from './common.js';

const KEPT = ['Arena', 'Noche de Ópera — 東京', '🎫 (2031)', "O'Brien & Sons", 'a'];
const REFUSED = [
  'a\u0000b',
  'tab\there',
  'line\nbreak',
  'cr\r',
  'del\u007f',
  'c1\u0085',
  '\ud800',
  'x\udc00',
  '\udbff\u0041',
];

describe('Text', () => {
  it.each(KEPT)('keeps %j', (text) => {
    expect(Value.Check(Text(100), text)).toBe(true);
  });

  it.each(REFUSED)('refuses %j', (text) => {
    expect(Value.Check(Text(100), text)).toBe(false);
  });

  it('means the same with the u flag (Ajv) and without it (TypeBox)', () => {
    const plain = new RegExp(TEXT_PATTERN);
    const unicode = new RegExp(TEXT_PATTERN, 'u');
    for (const text of [...KEPT, ...REFUSED]) expect(unicode.test(text)).toBe(plain.test(text));
  });

  it('bounds the length', () => {
    expect(Value.Check(Text(3), '')).toBe(false);
    expect(Value.Check(Text(3), 'abcd')).toBe(false);
  });
});
