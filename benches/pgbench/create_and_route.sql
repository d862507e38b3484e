-- POST /api/v1/requests, then POST /api/v1/requests/{id}/route: the load harness's
-- "route a new request" scenario, whose throughput counts both calls.
\set c random(1, :clients)
\set u random(1, 3 * :towns)
SELECT users.id, users.email, users.role, users.active, users.created_at, users.updated_at, user_municipalities.municipality_id, user_links.client_id, user_links.member_id
  FROM ((users LEFT OUTER JOIN user_municipalities ON user_municipalities.user_id = users.id) LEFT OUTER JOIN user_links ON user_links.user_id = users.id)
  WHERE users.id = :u ORDER BY user_municipalities.municipality_id;
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
-- POST /api/v1/requests/{id}/route: the account, then one transaction: the request
-- locked, its trail, its client, the preconditions of all tiers in one statement, the
-- skilled active members, their bookings around the window, their history with the
-- client, the trail row of the matching volunteer tier, the status.
SELECT users.id, users.email, users.role, users.active, users.created_at, users.updated_at, user_municipalities.municipality_id, user_links.client_id, user_links.member_id
  FROM ((users LEFT OUTER JOIN user_municipalities ON user_municipalities.user_id = users.id) LEFT OUTER JOIN user_links ON user_links.user_id = users.id)
  WHERE users.id = :u ORDER BY user_municipalities.municipality_id;
BEGIN;
SELECT * FROM requests WHERE id = :request_id LIMIT 1 FOR UPDATE;
SELECT tier, outcome, reason_code, reason_nl, reason_en, decided_by, at FROM routing_trail WHERE request_id = :request_id ORDER BY id;
SELECT * FROM clients WHERE id = :c LIMIT 1;
SELECT (SELECT volunteer_ok FROM categories WHERE code = 'gardening' LIMIT 1),
       EXISTS (SELECT 1 FROM municipality_categories WHERE municipality_id = :municipality_id AND category_code = 'gardening'),
       EXISTS (SELECT 1 FROM (providers INNER JOIN provider_municipalities ON provider_municipalities.provider_id = providers.id)
               WHERE provider_municipalities.municipality_id = :municipality_id AND providers.kind = 'organisation' AND providers.categories LIKE '%,gardening,%'),
       (SELECT COUNT(*) FROM vouchers WHERE client_id = :c AND status = 'available' AND expires_on >= CURRENT_DATE LIMIT 1);
SELECT * FROM members WHERE municipality_id = :municipality_id AND status = 'active' AND skills LIKE '%,gardening,%' ORDER BY id;
SELECT member_id, starts_at, ends_at, status, slot_quarters, hours_worked_quarters FROM assignments
  WHERE member_id = ANY(ARRAY(SELECT id FROM members WHERE municipality_id = :municipality_id AND status = 'active' AND skills LIKE '%,gardening,%'))
    AND starts_at >= (now() AT TIME ZONE 'UTC') - interval '28 days' AND starts_at < (now() AT TIME ZONE 'UTC') + interval '15 days'
    AND status = ANY(ARRAY['accepted', 'completed']);
SELECT DISTINCT member_id FROM assignments
  WHERE client_id = :c AND status = 'completed'
    AND member_id = ANY(ARRAY(SELECT id FROM members WHERE municipality_id = :municipality_id AND status = 'active' AND skills LIKE '%,gardening,%'));
INSERT INTO routing_trail (request_id, tier, outcome, reason_code, reason_nl, reason_en, decided_by, at)
  VALUES (:request_id, 'volunteer', 'matched', 'matched', 'Er is een vrijwilliger beschikbaar.', 'A volunteer is available.', NULL, now() AT TIME ZONE 'UTC');
UPDATE requests SET status = 'routed', tier = 'volunteer', updated_at = now() AT TIME ZONE 'UTC' WHERE id = :request_id;
COMMIT;
