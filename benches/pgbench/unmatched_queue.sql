-- GET /api/v1/requests?status=unmatched&limit=50 as an advisor: the account, then a page.
\set m random(1, :towns)
SELECT users.id, users.email, users.role, users.active, users.created_at, users.updated_at, user_municipalities.municipality_id, user_links.client_id, user_links.member_id
  FROM users LEFT JOIN user_municipalities ON user_municipalities.user_id = users.id LEFT JOIN user_links ON user_links.user_id = users.id
  WHERE users.id = 3 * :m - 2 ORDER BY user_municipalities.municipality_id;
SELECT * FROM requests WHERE municipality_id = ANY(ARRAY[:m]::bigint[]) AND status = 'unmatched' ORDER BY id LIMIT 51;
