-- GET /api/v1/requests/{id} as staff: the caller's account comes from the instance's
-- cache of recent callers, so the read is one statement: the request with its client,
-- latest assignment, current referral with the provider, and its trail (a row per line).
\set r random(1, :requests)
SELECT requests.id, requests.client_id, requests.municipality_id, requests.category, requests.description,
       requests.window_start, requests.window_end, requests.estimated_quarters, requests.status, requests.tier,
       requests.cancel_reason, requests.created_by, requests.created_at, requests.updated_at,
       clients.id, clients.municipality_id, clients.name, clients.street, clients.house_number, clients.postcode,
       clients.city, clients.target_groups, clients.email, clients.phone, clients.preferred_language,
       clients.representative_name, clients.representative_relation, clients.representative_email,
       clients.representative_phone, clients.lat, clients.lon, clients.created_at, clients.updated_at,
       assignments.id, assignments.request_id, assignments.member_id, assignments.client_id, assignments.municipality_id,
       assignments.tier, assignments.starts_at, assignments.ends_at, assignments.status, assignments.hours_worked_quarters,
       assignments.voucher_shortfall, assignments.reason, assignments.proposed_by, assignments.decided_by,
       assignments.created_at, assignments.updated_at, assignments.sign_off, assignments.rating,
       assignments.sign_off_comment, assignments.dispute_reason, assignments.resolution_note, assignments.completed_at,
       referrals.id, referrals.request_id, referrals.municipality_id, referrals.provider_id, providers.name,
       providers.email, providers.phone, referrals.tier, referrals.status, referrals.respond_by, referrals.created_by,
       referrals.answered_by, referrals.reason, referrals.note, referrals.created_at, referrals.updated_at,
       routing_trail.tier, routing_trail.outcome, routing_trail.reason_code, routing_trail.reason_nl,
       routing_trail.reason_en, routing_trail.decided_by, routing_trail.at
  FROM (((((requests INNER JOIN clients ON requests.client_id = clients.id)
    LEFT OUTER JOIN assignments ON assignments.id = (SELECT max(newer.id) FROM assignments AS newer WHERE newer.request_id = :r LIMIT 1))
    LEFT OUTER JOIN referrals ON referrals.id = (SELECT max(current.id) FROM referrals AS current
                                                 WHERE current.request_id = :r AND current.status = ANY(ARRAY['open', 'accepted', 'completed']) LIMIT 1))
    LEFT OUTER JOIN providers ON providers.id = referrals.provider_id)
    LEFT OUTER JOIN routing_trail ON routing_trail.request_id = requests.id)
  WHERE requests.id = :r ORDER BY routing_trail.id;
