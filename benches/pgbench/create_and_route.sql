-- POST /api/v1/requests, then POST /api/v1/requests/{id}/route: the load harness's
-- "route a new request" scenario, whose throughput counts both calls.
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
-- POST /api/v1/requests/{id}/route (the account from the cache of recent callers): one
-- transaction: the request locked; its client and category, the preconditions of the
-- member tiers and its trail in one statement; the skilled active members with their
-- bookings around the window and whether they served the client, in one more; the
-- trail line of the matching volunteer tier; the status.
BEGIN;
SELECT id, client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, cancel_reason, created_by, created_at, updated_at
  FROM requests WHERE id = :request_id LIMIT 1 FOR UPDATE;
SELECT clients.*, categories.id, categories.code, categories.name_nl, categories.name_en, categories.volunteer_ok,
       EXISTS (SELECT 1 FROM municipality_categories WHERE municipality_id = :municipality_id AND category_code = 'gardening'),
       EXISTS (SELECT 1 FROM (providers INNER JOIN provider_municipalities ON provider_municipalities.provider_id = providers.id)
               WHERE provider_municipalities.municipality_id = :municipality_id AND providers.kind = 'organisation'
                 AND providers.active AND providers.categories LIKE '%,gardening,%'),
       (SELECT COUNT(*) FROM vouchers WHERE client_id = :c AND status = 'available' AND expires_on >= CURRENT_DATE LIMIT 1),
       (SELECT referral_response_hours FROM municipalities WHERE id = :municipality_id LIMIT 1),
       routing_trail.tier, routing_trail.outcome, routing_trail.reason_code, routing_trail.reason_nl,
       routing_trail.reason_en, routing_trail.decided_by, routing_trail.at
  FROM ((clients LEFT OUTER JOIN categories ON categories.code = 'gardening')
        LEFT OUTER JOIN routing_trail ON routing_trail.request_id = :request_id)
  WHERE clients.id = :c ORDER BY routing_trail.id;
SELECT members.*,
       EXISTS (SELECT 1 FROM assignments AS earlier
               WHERE earlier.client_id = :c AND earlier.status = 'completed' AND earlier.member_id = members.id),
       assignments.starts_at, assignments.ends_at, assignments.status, assignments.slot_quarters, assignments.hours_worked_quarters
  FROM members LEFT OUTER JOIN assignments ON assignments.member_id = members.id
       AND assignments.starts_at >= (now() AT TIME ZONE 'UTC') - interval '28 days'
       AND assignments.starts_at < (now() AT TIME ZONE 'UTC') + interval '15 days'
       AND assignments.status = ANY(ARRAY['awaiting_confirmation', 'accepted', 'completed'])
  WHERE members.municipality_id = :municipality_id AND members.status = 'active' AND members.skills LIKE '%,gardening,%'
  ORDER BY members.id, assignments.id;
INSERT INTO routing_trail (request_id, tier, outcome, reason_code, reason_nl, reason_en, decided_by, at)
  VALUES (:request_id, 'volunteer', 'matched', 'matched', 'Er is een vrijwilliger beschikbaar.', 'A volunteer is available.', NULL, now() AT TIME ZONE 'UTC');
UPDATE requests SET status = 'routed', tier = 'volunteer', updated_at = now() AT TIME ZONE 'UTC' WHERE id = :request_id;
COMMIT;
