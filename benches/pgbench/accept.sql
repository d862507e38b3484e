-- POST /api/v1/assignments/{id}/accept by an advisor (the account from the cache of
-- recent callers): one transaction: the assignment and member, the locks on request, member and client, the
-- assignment again under the locks, the member's bookings of the week, one voucher
-- reserved with its ledger event, the status changes, what the mails need and the two
-- mails ("visit scheduled", "vouchers running low"); then the answer's read.
-- Needs setup.sql. The first statement (the next prepared proposal) is the harness's
-- own bookkeeping, not the API's.
SELECT n, assignment_id AS a, request_id AS r, member_id AS mem, client_id AS c, municipality_id AS m,
       extract(epoch FROM date_trunc('week', starts_at) - interval '12 hours')::bigint AS week_from,
       extract(epoch FROM date_trunc('week', starts_at) + interval '7 days')::bigint AS week_to
  FROM pgbench_proposals WHERE n = (SELECT nextval('pgbench_proposal_seq')) \gset
BEGIN;
SELECT * FROM assignments WHERE id = :a LIMIT 1;
SELECT * FROM members WHERE id = :mem LIMIT 1;
SELECT id FROM requests WHERE id = :r LIMIT 1 FOR UPDATE;
SELECT id FROM members WHERE id = :mem LIMIT 1 FOR UPDATE;
SELECT id FROM clients WHERE id = :c LIMIT 1 FOR UPDATE;
SELECT * FROM assignments WHERE id = :a LIMIT 1;
SELECT member_id, starts_at, ends_at, status, slot_quarters, hours_worked_quarters FROM assignments
  WHERE member_id = ANY(ARRAY[:mem]::bigint[]) AND starts_at >= to_timestamp(:week_from) AT TIME ZONE 'UTC'
    AND starts_at < to_timestamp(:week_to) AT TIME ZONE 'UTC' AND status = ANY(ARRAY['accepted', 'completed']);
SELECT id AS v, municipality_id FROM vouchers WHERE client_id = :c AND status = 'available' AND expires_on >= CURRENT_DATE
  ORDER BY expires_on, id LIMIT 1 \gset
UPDATE vouchers SET status = 'reserved', assignment_id = :a, updated_at = now() AT TIME ZONE 'UTC' WHERE id = ANY(ARRAY[:v]::bigint[]);
INSERT INTO voucher_events (voucher_id, municipality_id, kind, assignment_id, actor_id, reason, at)
  VALUES (:v, :m, 'reserved', :a, 3 * :m - 2, NULL, now() AT TIME ZONE 'UTC');
UPDATE assignments SET status = 'accepted', decided_by = 3 * :m - 2, reason = NULL, hours_worked_quarters = NULL, voucher_shortfall = 0, updated_at = now() AT TIME ZONE 'UTC' WHERE id = :a;
UPDATE assignments SET accepted_at = now() AT TIME ZONE 'UTC' WHERE id = :a;
UPDATE requests SET status = 'scheduled', updated_at = now() AT TIME ZONE 'UTC' WHERE id = :r;
SELECT * FROM requests WHERE id = :r LIMIT 1;
SELECT * FROM clients WHERE id = :c LIMIT 1;
SELECT * FROM members WHERE id = :mem LIMIT 1;
SELECT id, code, name_nl, name_en, volunteer_ok FROM categories WHERE code = 'odd_jobs' LIMIT 1;
INSERT INTO outbox (recipient, recipient_name, language, template, data, status, next_attempt_at, give_up_at, message_id, once_key, request_id, created_at)
  VALUES ('pgbench@example.nl', 'pgbench', 'nl', 'visit_scheduled', '{"member":"Jan","when":"dinsdag 1 december 2026, 09:00"}', 'sent',
          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'pgbench-' || gen_random_uuid(), NULL, :r, now() AT TIME ZONE 'UTC');
SELECT COUNT(*) FROM vouchers WHERE client_id = :c AND status = 'available' AND expires_on >= CURRENT_DATE;
INSERT INTO outbox (recipient, recipient_name, language, template, data, status, next_attempt_at, give_up_at, message_id, once_key, request_id, created_at)
  VALUES ('pgbench@example.nl', 'pgbench', 'nl', 'vouchers_low', '{"available":0}', 'sent',
          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'pgbench-' || gen_random_uuid(), NULL, :r, now() AT TIME ZONE 'UTC');
COMMIT;
SELECT * FROM assignments WHERE id = :a LIMIT 1;
