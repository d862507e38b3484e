-- POST /api/v1/requests then POST /api/v1/requests/{id}/route (volunteer tier at worst
-- all four): the same statements, in the same two transactions.
\set m random(1, :towns)
\set c random(1, 200000)
SELECT users.id, users.role, user_municipalities.municipality_id FROM users LEFT JOIN user_municipalities ON user_municipalities.user_id = users.id WHERE users.id = 3 * :m - 2;
BEGIN;
SELECT municipality_id FROM clients WHERE id = :c LIMIT 1;
SELECT id, volunteer_ok FROM categories WHERE code = 'gardening' LIMIT 1;
INSERT INTO requests (client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, created_by, created_at, updated_at)
  SELECT :c, municipality_id, 'gardening', 'pgbench', (now() AT TIME ZONE 'UTC') + interval '14 days', (now() AT TIME ZONE 'UTC') + interval '14 days 6 hours', 6, 'new', 3 * :m - 2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM clients WHERE id = :c RETURNING id AS rid, municipality_id AS rm \gset
SELECT * FROM requests WHERE id = :rid;
SELECT * FROM routing_trail WHERE request_id = :rid;
SELECT * FROM clients WHERE id = :c;
INSERT INTO outbox (recipient, language, template, data, status, next_attempt_at, give_up_at, message_id, request_id, created_at)
  VALUES ('pgbench@example.nl', 'nl', 'request_received', '{}', 'sent', now(), now(), 'pgbench-' || :rid || '-' || random(), :rid, now());
COMMIT;
SELECT users.id, users.role, user_municipalities.municipality_id FROM users LEFT JOIN user_municipalities ON user_municipalities.user_id = users.id WHERE users.id = 3 * :m - 2;
BEGIN;
SELECT * FROM requests WHERE id = :rid FOR UPDATE;
SELECT * FROM routing_trail WHERE request_id = :rid ORDER BY id;
SELECT * FROM clients WHERE id = :c;
SELECT (SELECT volunteer_ok FROM categories WHERE code = 'gardening'),
       EXISTS (SELECT 1 FROM municipality_categories WHERE municipality_id = :rm AND category_code = 'gardening'),
       EXISTS (SELECT 1 FROM providers JOIN provider_municipalities ON provider_municipalities.provider_id = providers.id WHERE provider_municipalities.municipality_id = :rm AND providers.kind = 'organisation' AND providers.categories LIKE '%,gardening,%'),
       (SELECT COUNT(*) FROM vouchers WHERE client_id = :c AND status = 'available' AND expires_on >= CURRENT_DATE);
SELECT * FROM members WHERE municipality_id = :rm AND status = 'active' AND skills LIKE '%,gardening,%' ORDER BY id;
SELECT member_id, starts_at, ends_at, status, slot_quarters, hours_worked_quarters FROM assignments
  WHERE member_id = ANY(ARRAY(SELECT id FROM members WHERE municipality_id = :rm AND skills LIKE '%,gardening,%'))
  AND starts_at >= (now() AT TIME ZONE 'UTC') - interval '28 days' AND starts_at < (now() AT TIME ZONE 'UTC') + interval '21 days' AND status IN ('accepted', 'completed');
SELECT DISTINCT member_id FROM assignments WHERE client_id = :c AND status = 'completed';
INSERT INTO routing_trail (request_id, tier, outcome, reason_code, reason_nl, reason_en, at)
  VALUES (:rid, 'volunteer', 'matched', 'matched', 'pgbench', 'pgbench', now() AT TIME ZONE 'UTC');
UPDATE requests SET status = 'routed', tier = 'volunteer', updated_at = now() AT TIME ZONE 'UTC' WHERE id = :rid;
COMMIT;
