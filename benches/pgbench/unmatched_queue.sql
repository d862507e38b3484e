-- GET /api/v1/requests?status=unmatched&limit=50 as an advisor: the account, then one
-- page (a row more than the limit tells whether a next page exists).
\set m random(1, :towns)
SELECT users.id, users.email, users.role, users.active, users.created_at, users.updated_at, user_municipalities.municipality_id, user_links.client_id, user_links.member_id
  FROM ((users LEFT OUTER JOIN user_municipalities ON user_municipalities.user_id = users.id) LEFT OUTER JOIN user_links ON user_links.user_id = users.id)
  WHERE users.id = 3 * :m - 2 ORDER BY user_municipalities.municipality_id;
SELECT id, client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, cancel_reason, created_by, created_at, updated_at
  FROM requests WHERE municipality_id = :m AND status = 'unmatched' ORDER BY id ASC LIMIT 51;
