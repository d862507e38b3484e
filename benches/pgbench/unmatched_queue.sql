-- GET /api/v1/requests?status=unmatched&limit=50 as an advisor (the account comes from the
-- instance's cache of recent callers): one
-- page (a row more than the limit tells whether a next page exists).
\set m random(1, :towns)
SELECT id, client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, cancel_reason, created_by, created_at, updated_at
  FROM requests WHERE municipality_id = :m AND status = 'unmatched' ORDER BY id ASC LIMIT 51;
