-- POST /api/v1/clients/{id}/vouchers {"count": 1} with an Idempotency-Key, by a
-- coordinator (the account from the cache of recent callers): one transaction: expired keys dropped, the key looked
-- up and claimed, the client locked and read, its municipality, the serial counter
-- advanced, the sale, its voucher, the voucher read back, the ledger event, the answer
-- stored with the key. Needs setup.sql (its serial prefix PGS).
\set c random(1, :clients)
\set key random(1, 1000000000000)
\set u 3 * random(1, :towns) - 1
BEGIN;
DELETE FROM idempotency_keys WHERE user_id = :u AND created_at < (now() AT TIME ZONE 'UTC') - interval '24 hours';
SELECT operation, body_hash, status_code, response_body, location FROM idempotency_keys WHERE user_id = :u AND key = 'pgbench-' || :key LIMIT 1;
INSERT INTO idempotency_keys (user_id, key, operation, body_hash, created_at)
  VALUES (:u, 'pgbench-' || :key, 'sell_vouchers', md5(:key::text), now() AT TIME ZONE 'UTC');
SELECT id FROM clients WHERE id = :c LIMIT 1 FOR UPDATE;
SELECT * FROM clients WHERE id = :c LIMIT 1 \gset
SELECT municipalities.*, municipality_categories.category_code
  FROM (municipalities LEFT OUTER JOIN municipality_categories ON municipality_categories.municipality_id = municipalities.id)
  WHERE municipalities.id = :municipality_id ORDER BY municipality_categories.category_code;
UPDATE voucher_serial_counters SET next_value = next_value + 1 WHERE prefix = 'PGS' AND year = 2026 RETURNING next_value \gset
INSERT INTO voucher_sales (client_id, municipality_id, voucher_count, unit_value_cents, sold_by, sold_at)
  VALUES (:c, :municipality_id, 1, 500, :u, now() AT TIME ZONE 'UTC') RETURNING id AS sale \gset
INSERT INTO vouchers (serial, sale_id, client_id, municipality_id, value_cents, issued_on, expires_on, status, updated_at)
  VALUES ('PGS-2026-' || lpad((:next_value - 1)::text, 6, '0'), :sale, :c, :municipality_id, 500, CURRENT_DATE, CURRENT_DATE + interval '12 months', 'available', now() AT TIME ZONE 'UTC');
SELECT id AS voucher FROM vouchers WHERE sale_id = :sale ORDER BY id \gset
INSERT INTO voucher_events (voucher_id, municipality_id, kind, assignment_id, actor_id, reason, at, client_id, value_cents)
  VALUES (:voucher, :municipality_id, 'sold', NULL, :u, NULL, now() AT TIME ZONE 'UTC', :c, 500);
UPDATE idempotency_keys SET status_code = 201, response_body = '{"vouchers":[],"total_value":"5.00"}', location = '/api/v1/clients/' || :c || '/vouchers'
  WHERE user_id = :u AND key = 'pgbench-' || :key;
COMMIT;
