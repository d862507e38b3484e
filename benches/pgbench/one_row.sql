-- The database's own limit for one round trip: a one-row primary-key select on
-- `requests` (what the ratio of the request read is measured against).
\set r random(1, :requests)
SELECT id, client_id, municipality_id, category, status FROM requests WHERE id = :r;
