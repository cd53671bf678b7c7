-- The organiser's rules of an event (API.md "Event rules and venue additions"), changed later by
-- PATCH. `version` goes up with every change: replicas that cache events compare it to notice.
-- Existing events keep the defaults: no lone-seat rule, no buyer cancellation.

ALTER TABLE events
  ADD COLUMN rules jsonb NOT NULL
    DEFAULT '{"singleSeatRule": false, "buyerCancellationUntil": null}'::jsonb,
  ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
