-- POST /api/v1/requests as staff (the account comes from the instance's
-- cache of recent callers): one transaction: the
-- client, the category, the insert answering the stored row, the "request received"
-- mail in the outbox.
\set c random(1, :clients)
\set u random(1, 3 * :towns)
BEGIN;
SELECT * FROM clients WHERE id = :c LIMIT 1 \gset
SELECT id, code, name_nl, name_en, volunteer_ok FROM categories WHERE code = 'gardening' LIMIT 1;
INSERT INTO requests (client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, created_by, created_at, updated_at)
  VALUES (:c, :municipality_id, 'gardening', 'pgbench', (now() AT TIME ZONE 'UTC') + interval '14 days', (now() AT TIME ZONE 'UTC') + interval '14 days 6 hours', 6, 'new', :u, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
  RETURNING id AS request_id, client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, cancel_reason, created_by, created_at, updated_at \gset
INSERT INTO outbox (recipient, recipient_name, language, template, data, status, next_attempt_at, give_up_at, message_id, once_key, request_id, created_at)
  VALUES ('pgbench@example.nl', 'pgbench', 'nl', 'request_received', '{"category":"Tuinonderhoud","description":"pgbench"}', 'sent',
          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'pgbench-' || gen_random_uuid(), NULL, :request_id, now() AT TIME ZONE 'UTC');
COMMIT;
