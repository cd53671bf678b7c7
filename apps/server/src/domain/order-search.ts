// What an organiser's order search asks for: the start of an order id (a uuid's hex digits,
// dashes optional), the start of a buyer's e-mail, or, for a few hex digits, either. Pure.

export interface OrderSearchTerms {
  /** The ids from `low` to `high` (uuids): every id that starts with the digits given. */
  idRange: { low: string; high: string } | null;
  /** A LIKE pattern (escape character `\`) for lower(buyer_email); null: not an e-mail search. */
  emailPattern: string | null;
}

const UUID_DIGITS = 32;

export function searchTerms(query: string): OrderSearchTerms {
  const q = query.trim().toLowerCase();
  const ids = idRange(q);
  // A whole id is no e-mail's start anyone types: the lookup stays one primary-key probe.
  const whole = ids !== null && ids.low === ids.high;
  return { idRange: ids, emailPattern: q === '' || whole ? null : `${escapeLike(q)}%` };
}

/** A uuid's order is its bytes' order, so a prefix of digits is a range of the primary key. */
function idRange(q: string): OrderSearchTerms['idRange'] {
  if (!/^[0-9a-f-]+$/.test(q)) return null;
  const digits = q.replace(/-/g, '');
  if (digits === '' || digits.length > UUID_DIGITS) return null;
  return {
    low: uuid(digits.padEnd(UUID_DIGITS, '0')),
    high: uuid(digits.padEnd(UUID_DIGITS, 'f')),
  };
}

function uuid(hex: string): string {
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
