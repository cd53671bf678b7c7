import { describe, expect, it } from 'vitest';
import { searchTerms } from './order-search.js';

describe('searchTerms', () => {
  it('reads a whole order id as the one-id range, dashes or not, any case', () => {
    const id = '0b9c1e2a-7f3d-4c55-9a1e-5d6f7a8b9c0d';
    const exact = { low: id, high: id };
    expect(searchTerms(id).idRange).toEqual(exact);
    expect(searchTerms(id.toUpperCase()).idRange).toEqual(exact);
    expect(searchTerms(` ${id.replace(/-/g, '')} `).idRange).toEqual(exact);
    expect(searchTerms(id).emailPattern).toBeNull();
  });

  it('reads the start of an id as the range of ids that start with it', () => {
    expect(searchTerms('0b9c1e2a-7f').idRange).toEqual({
      low: '0b9c1e2a-7f00-0000-0000-000000000000',
      high: '0b9c1e2a-7fff-ffff-ffff-ffffffffffff',
    });
  });

  it('searches e-mails by their start, with LIKE characters taken literally', () => {
    expect(searchTerms('Ada@Example.com')).toEqual({
      idRange: null,
      emailPattern: 'ada@example.com%',
    });
    expect(searchTerms('a_b%c\\d').emailPattern).toBe('a\\_b\\%c\\\\d%');
  });

  it('tries both for a few hex digits, which may start either', () => {
    const terms = searchTerms('beef');
    expect(terms.idRange?.low).toBe('beef0000-0000-0000-0000-000000000000');
    expect(terms.emailPattern).toBe('beef%');
  });

  it('is no id search past 32 digits, and nothing for blanks', () => {
    expect(searchTerms('a'.repeat(33)).idRange).toBeNull();
    expect(searchTerms('   ')).toEqual({ idRange: null, emailPattern: null });
  });
});
