-- GET /api/v1/requests/{id} as staff: the caller's account with scope and link, the
-- request, its client, its trail, its latest assignment and its open referral with
-- the provider (autocommit, as the API runs them).
\set r random(1, :requests)
\set u random(1, 3 * :towns)
SELECT users.id, users.email, users.role, users.active, users.created_at, users.updated_at, user_municipalities.municipality_id, user_links.client_id, user_links.member_id
  FROM ((users LEFT OUTER JOIN user_municipalities ON user_municipalities.user_id = users.id) LEFT OUTER JOIN user_links ON user_links.user_id = users.id)
  WHERE users.id = :u ORDER BY user_municipalities.municipality_id;
SELECT id, client_id, municipality_id, category, description, window_start, window_end, estimated_quarters, status, tier, cancel_reason, created_by, created_at, updated_at
  FROM requests WHERE id = :r LIMIT 1 \gset
SELECT * FROM clients WHERE id = :client_id LIMIT 1;
SELECT tier, outcome, reason_code, reason_nl, reason_en, decided_by, at FROM routing_trail WHERE request_id = :r ORDER BY id;
SELECT * FROM assignments WHERE request_id = :r ORDER BY id DESC LIMIT 1;
SELECT referrals.id, referrals.request_id, referrals.municipality_id, referrals.provider_id, providers.name,
    providers.email, providers.phone, referrals.tier, referrals.status, referrals.respond_by, referrals.created_by,
    referrals.answered_by, referrals.reason, referrals.note, referrals.created_at, referrals.updated_at
  FROM (referrals INNER JOIN providers ON referrals.provider_id = providers.id)
  WHERE referrals.request_id = :r AND referrals.status IN ('open', 'accepted', 'completed')
  ORDER BY referrals.id DESC LIMIT 1;
