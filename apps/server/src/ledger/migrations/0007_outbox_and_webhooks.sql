-- The transactional outbox and its deliveries: an event row is written in the same statement or
-- transaction as the change it reports (an order, a check-in, a cancellation), with one delivery
-- row per target that wants it (a webhook endpoint, or 'mail' for the buyer's confirmation). The
-- dispatcher on every replica claims due deliveries, sends them and records each attempt.

CREATE TABLE webhook_endpoints (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  -- The signing secret sealed with AES-256-GCM under a key derived from SESSION_SECRET.
  sealed_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the receiver answered 410 Gone: nothing more is sent to it.
  disabled_at timestamptz
);

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL,
  -- Deliveries of one order to one target go out in the order of their rows; null: no order.
  order_id uuid,
  event_id text,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  -- A webhook endpoint's id, or 'mail'. No foreign key: every order would key-share lock the
  -- endpoint's row; a delivery whose endpoint was deleted is dropped when it is claimed.
  target text NOT NULL,
  order_id uuid,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  -- Attempts started; the result of an attempt is only written while this still matches, so a
  -- replica whose lease ran out cannot overwrite the next attempt's answer.
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- The lease of the replica sending it: until then no other replica claims it.
  locked_until timestamptz,
  last_attempt_at timestamptz,
  last_status integer,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The dispatcher's claim: pending deliveries by due time.
CREATE INDEX outbox_deliveries_due ON outbox_deliveries (next_attempt_at, id)
  WHERE state = 'pending';
-- In order per order: is an earlier delivery of this order to this target still pending?
CREATE INDEX outbox_deliveries_order ON outbox_deliveries (target, order_id, id)
  WHERE state = 'pending' AND order_id IS NOT NULL;
-- Deleting an endpoint drops its deliveries.
CREATE INDEX outbox_deliveries_target ON outbox_deliveries (target);

-- Every attempt, for GET /api/admin/webhooks/:id/deliveries ("did they get it").
CREATE TABLE delivery_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES outbox_deliveries (id) ON DELETE CASCADE,
  target text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  -- The HTTP status; null when none came (refused, timed out, or a mail).
  status integer,
  error text,
  -- When it is tried again; null: delivered or given up.
  next_attempt_at timestamptz
);

CREATE INDEX delivery_attempts_target ON delivery_attempts (target, id);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);

-- An event that sold out: the replica whose INSERT wins writes event.sold_out with it, so the
-- event is reported once per selling out; the row goes when seats are available again.
CREATE TABLE events_sold_out (
  event_id text PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  sold_out_at timestamptz NOT NULL DEFAULT now()
);

-- A waiting room that opened (queue.opened), once per opening time: a queue moved to open later
-- opens again.
CREATE TABLE queues_opened (
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  opens_at timestamptz NOT NULL,
  PRIMARY KEY (event_id, opens_at)
);
