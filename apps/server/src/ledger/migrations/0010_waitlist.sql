-- The waiting list of sold-out events (waitlist/README.md): durable here, so that a Redis loss
-- takes no entry with it. `id` is the order of joining. While offered, `seat_ids` are the seats
-- held for the entry's session and `offer_ends_at` (epoch ms) is when the offer passes on.
-- session_id is a secret, as everywhere: it is never shown.
CREATE TABLE waitlist_entries (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  session_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  -- Null: any section.
  section_ids text[],
  status text NOT NULL DEFAULT 'waiting'
    CHECK (status IN ('waiting', 'offered', 'purchased', 'expired')),
  seat_ids text[] NOT NULL DEFAULT '{}',
  offer_ends_at bigint,
  joined_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waitlist_entries_once UNIQUE (event_id, session_id)
);

-- The next entries of an event, in order of joining.
CREATE INDEX waitlist_entries_waiting ON waitlist_entries (event_id, id) WHERE status = 'waiting';
-- The offers whose time has come (the waitlist job).
CREATE INDEX waitlist_entries_offers ON waitlist_entries (offer_ends_at) WHERE status = 'offered';
