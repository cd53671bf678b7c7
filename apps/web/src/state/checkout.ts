// Checkout attempts: one Idempotency-Key per set of seats, reused on every retry of that set, so
// that a double click or a retry after a lost response can never buy twice.
export interface CheckoutAttempt {
  readonly key: string;
  /** Sorted: the same seats in another order are the same attempt. */
  readonly seatIds: readonly string[];
}

export function attemptFor(
  previous: CheckoutAttempt | null,
  seatIds: readonly string[],
  newKey: () => string,
): CheckoutAttempt {
  const sorted = [...seatIds].sort();
  if (previous !== null && sameSeats(previous.seatIds, sorted)) return previous;
  return { key: newKey(), seatIds: sorted };
}

function sameSeats(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * After a failure: keep the attempt (and its key) when the outcome is unknown or the server may
 * accept the same request later (CHECKOUT_IN_PROGRESS: an earlier try with this key is still
 * being written, and asking again soon returns its order); drop it when the server definitely
 * refused these seats.
 */
export function keepAttemptAfter(failure: { status: number | null; code?: string }): boolean {
  const { status } = failure;
  return (
    status === null || status === 429 || status >= 500 || failure.code === 'CHECKOUT_IN_PROGRESS'
  );
}
