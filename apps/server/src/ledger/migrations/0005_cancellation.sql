-- Cancellation and refunds (API.md "Cancellation, refunds and the waiting list"): a cancelled
-- order keeps its rows, with the time and the refund; its tickets turn 'cancelled' (0003 gave
-- them the status). A seat may then be sold again, so the double-sale guard is no longer the
-- key of (event, seat) but a unique index over the live tickets alone; a ticket is keyed by
-- its own id. Existing rows are all live and already unique per seat: the index builds on them.

ALTER TABLE orders
  ADD COLUMN cancelled_at timestamptz,
  -- Cents given back; set with cancelled_at, at most what the order cost.
  ADD COLUMN refund_cents bigint,
  ADD CONSTRAINT orders_cancellation CHECK (
    (cancelled_at IS NULL) = (refund_cents IS NULL)
    AND refund_cents BETWEEN 0 AND total_cents);

ALTER TABLE tickets DROP CONSTRAINT tickets_pkey;
ALTER TABLE tickets ADD CONSTRAINT tickets_pkey PRIMARY KEY (ticket_id);

-- The last line of defence against a double sale, whatever the hold store says: at most one
-- live ticket per seat. It also serves the sold-seat reads (event, live), in seat order.
CREATE UNIQUE INDEX tickets_live_seat ON tickets (event_id, seat_id) WHERE status = 'live';
