-- Events, orders and tickets: the durable record of what was sold. Money in integer cents.

CREATE TABLE events (
  id text PRIMARY KEY,
  name text NOT NULL,
  venue_name text NOT NULL,
  starts_at timestamptz NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  seat_count integer NOT NULL CHECK (seat_count >= 0),
  layout jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id uuid PRIMARY KEY,
  event_id text NOT NULL REFERENCES events (id),
  session_id text NOT NULL,
  idempotency_key text NOT NULL,
  total_cents bigint NOT NULL CHECK (total_cents >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A retry with the same key finds the first order instead of buying twice.
  CONSTRAINT orders_idempotency_key UNIQUE (session_id, idempotency_key)
);

-- Admin reset deletes an event's orders.
CREATE INDEX orders_event_id ON orders (event_id);

CREATE TABLE tickets (
  event_id text NOT NULL REFERENCES events (id),
  -- Byte order: index order matches how JavaScript sorts the (ASCII) seat ids.
  seat_id text COLLATE "C" NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  section_id text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  -- The last line of defence against a double sale, whatever the hold store says.
  CONSTRAINT tickets_pkey PRIMARY KEY (event_id, seat_id)
);

-- An order is read with its tickets.
CREATE INDEX tickets_order_id ON tickets (order_id);
