-- The waiting room behind its fast path (Redis, or the in-process store): what a lost Redis must
-- not take with it (docs/design.md "A line that does not vanish"). Settings and the draw are
-- written through; entries and admissions behind, in batches, merged so that writes from several
-- replicas may land in any order. Times are epoch milliseconds of the store's clock.

CREATE TABLE queues (
  event_id text PRIMARY KEY,
  opens_at bigint NOT NULL,
  sales_start_at bigint NOT NULL,
  admit_per_minute integer NOT NULL CHECK (admit_per_minute > 0),
  admission_seconds integer NOT NULL CHECK (admission_seconds > 0),
  pow_bits integer NOT NULL CHECK (pow_bits >= 0),
  paused boolean NOT NULL DEFAULT false,
  -- The draw's seed, sealed under SESSION_SECRET (tickets/sealing.ts): public only after the
  -- draw, through the audit; a copy of the database does not reveal it before.
  sealed_seed text NOT NULL,
  seed_commitment text NOT NULL,
  drawn boolean NOT NULL DEFAULT false,
  -- The ticket ids the draw numbered 1..n (the pre-queue, then the late joiners), so the audit
  -- and the numbers survive even an entry whose own row was lost.
  drawn_order text[] NOT NULL DEFAULT '{}',
  prequeue_count integer NOT NULL DEFAULT 0 CHECK (prequeue_count >= 0),
  served_through integer NOT NULL DEFAULT 0 CHECK (served_through >= 0),
  last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
  arrivals integer NOT NULL DEFAULT 0 CHECK (arrivals >= 0),
  sold_out boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One entry per session, as in the store. session_id is a secret: it rebuilds the admission and
-- is never shown. arrival and prequeue are null when only the entry's admission reached here.
-- No foreign key to queues: a batch carries several events' entries, and one whose queue row is
-- missing (a queue made before this table) must not hold the others back forever.
CREATE TABLE queue_entries (
  event_id text NOT NULL,
  session_id text NOT NULL,
  ticket_id text NOT NULL,
  arrival integer,
  prequeue boolean,
  number integer CHECK (number >= 1),
  admitted_until bigint,
  CONSTRAINT queue_entries_pkey PRIMARY KEY (event_id, session_id)
);
