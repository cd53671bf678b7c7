-- Tickets a buyer keeps and a gate scans: each ticket gets its own id and check-in state, each
-- order the secret key of its page, the buyer's details and the id of the key that signs its
-- ticket codes; the signing keys and the gates' scanner tokens get tables of their own.

-- The defaults (gen_random_uuid draws from the server's strong random source) give the rows
-- from before this migration their page key and ticket ids; the server passes its own.
ALTER TABLE orders
  ADD COLUMN access_key text NOT NULL
    DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  -- No foreign key to ticket_keys: every order would key-share lock that table's one current row.
  ADD COLUMN signing_kid text,
  ADD COLUMN buyer_name text,
  ADD COLUMN buyer_email text;
-- The signing_kid of orders from before stays null: they are signed with the first key
-- (generation 1), which is never removed, so their codes never change either.

ALTER TABLE tickets
  ADD COLUMN ticket_id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN status text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'cancelled')),
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN checked_in_at timestamptz,
  -- The nonce of the scan that checked the ticket in: the same scan sent again gets its answer.
  ADD COLUMN checkin_nonce text,
  ADD CONSTRAINT tickets_cancelled_at CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL));

-- Revocations for offline scanners; holds only cancelled tickets, so a sale writes nothing here.
CREATE INDEX tickets_cancelled ON tickets (event_id, cancelled_at) WHERE status = 'cancelled';

CREATE TABLE ticket_keys (
  -- 1 for the first key, +1 per rotation: the highest generation signs new tickets.
  generation integer PRIMARY KEY CHECK (generation >= 1),
  -- The RFC 7638 thumbprint of the public key.
  kid text NOT NULL UNIQUE,
  public_jwk jsonb NOT NULL,
  -- The private JWK sealed with AES-256-GCM under a key derived from SESSION_SECRET.
  sealed_private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scanner_tokens (
  -- SHA-256 (hex) of the bearer token: the token itself is shown once and never stored.
  token_hash text PRIMARY KEY,
  event_id text NOT NULL REFERENCES events (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
