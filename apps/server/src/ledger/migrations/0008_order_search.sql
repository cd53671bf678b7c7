-- The organiser's order search (GET /api/admin/events/:eventId/orders): by the start of the
-- buyer's e-mail, matched on lower() with LIKE 'prefix%' (text_pattern_ops serves a prefix in any
-- collation), and the listing without a search, newest first.

CREATE INDEX orders_event_buyer_email ON orders (event_id, lower(buyer_email) text_pattern_ops);
CREATE INDEX orders_event_created ON orders (event_id, created_at DESC, id);
