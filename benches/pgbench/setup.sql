-- Prepares a seeded national database for accept.sql and sell_vouchers.sql:
--   psql "$DATABASE_URL" -v towns=340 -v proposals=20000 -f benches/pgbench/setup.sql
-- Each proposal is a routed tier-2 request with a proposed assignment for a jobseeker
-- of its municipality, three years ahead at 02:00 UTC (the load harness books working
-- hours, so the two never overlap; one day apart per jobseeker), and one voucher sold to its client with its ledger event, so
-- `woonservice vouchers verify` still passes afterwards.
\set ON_ERROR_STOP on
BEGIN;
DROP TABLE IF EXISTS pgbench_proposals;
DROP SEQUENCE IF EXISTS pgbench_proposal_seq;
CREATE SEQUENCE pgbench_proposal_seq MINVALUE 0 START 0;
CREATE TABLE pgbench_proposals (
  n bigint PRIMARY KEY, assignment_id bigint, request_id bigint NOT NULL,
  member_id bigint NOT NULL, client_id bigint NOT NULL, municipality_id bigint NOT NULL,
  starts_at timestamp NOT NULL);
WITH jobseekers AS (
  SELECT id, municipality_id, row_number() OVER (PARTITION BY municipality_id ORDER BY id) - 1 AS k,
         count(*) OVER (PARTITION BY municipality_id) AS of
  FROM members WHERE kind = 'jobseeker' AND status = 'active'),
holders AS (
  SELECT id, municipality_id, row_number() OVER (PARTITION BY municipality_id ORDER BY id) - 1 AS k,
         count(*) OVER (PARTITION BY municipality_id) AS of
  FROM clients),
wanted AS (
  SELECT n, 1 + n % :towns AS m, n / :towns AS slot FROM generate_series(0, :proposals - 1) AS n),
picked AS (
  SELECT w.n, w.m, j.id AS member_id, h.id AS client_id,
         date_trunc('day', now() AT TIME ZONE 'UTC') + interval '3 years' + (w.slot * interval '1 day') + interval '2 hours' AS starts_at
  FROM wanted w
  JOIN jobseekers j ON j.municipality_id = w.m AND j.k = w.slot % j.of
  JOIN holders h ON h.municipality_id = w.m AND h.k = w.slot % h.of),
made AS (
  INSERT INTO requests (client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, created_by, created_at, updated_at)
  SELECT client_id, m, 'odd_jobs', 'pgbench ' || n, starts_at, starts_at + interval '2 hours', 4, 'routed', 'woonservice', 3 * m - 2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM picked RETURNING id, description)
INSERT INTO pgbench_proposals (n, request_id, member_id, client_id, municipality_id, starts_at)
SELECT p.n, made.id, p.member_id, p.client_id, p.m, p.starts_at
FROM picked p JOIN made ON made.description = 'pgbench ' || p.n;
WITH made AS (
  INSERT INTO assignments (request_id, member_id, client_id, municipality_id, tier, starts_at, ends_at, slot_quarters, status, voucher_shortfall, proposed_by, created_at, updated_at)
  SELECT request_id, member_id, client_id, municipality_id, 'woonservice', starts_at, starts_at + interval '1 hour', 4, 'proposed', 0, 3 * municipality_id - 2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM pgbench_proposals RETURNING id, request_id)
UPDATE pgbench_proposals p SET assignment_id = made.id FROM made WHERE made.request_id = p.request_id;
WITH sales AS (
  INSERT INTO voucher_sales (client_id, municipality_id, voucher_count, unit_value_cents, sold_by, sold_at)
  SELECT client_id, municipality_id, 1, 500, 3 * municipality_id - 1, now() AT TIME ZONE 'UTC' FROM pgbench_proposals ORDER BY n
  RETURNING id, client_id, municipality_id),
sold AS (
  INSERT INTO vouchers (serial, sale_id, client_id, municipality_id, value_cents, issued_on, expires_on, status, updated_at)
  SELECT 'PGB-' || id, id, client_id, municipality_id, 500, CURRENT_DATE, CURRENT_DATE + interval '12 months', 'available', now() AT TIME ZONE 'UTC' FROM sales
  RETURNING id, client_id, municipality_id)
INSERT INTO voucher_events (voucher_id, municipality_id, kind, assignment_id, actor_id, reason, at, client_id, value_cents)
SELECT id, municipality_id, 'sold', NULL, 3 * municipality_id - 1, NULL, now() AT TIME ZONE 'UTC', client_id, 500 FROM sold;
INSERT INTO voucher_serial_counters (prefix, year, next_value) VALUES ('PGS', 2026, 1) ON CONFLICT DO NOTHING;
COMMIT;
VACUUM ANALYZE pgbench_proposals;
