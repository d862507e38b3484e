-- A provider can be retired: kept for history, never routed or referred to.
ALTER TABLE providers ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;

-- Hours a provider has to answer a referral (0: the next run of expire-referrals ends it).
ALTER TABLE municipalities ADD COLUMN referral_response_hours INTEGER NOT NULL DEFAULT 48
    CHECK (referral_response_hours BETWEEN 0 AND 720);

-- An advisor may refer a request by hand to a local organisation: it is the request's
-- tier and a trail line's.
ALTER TABLE requests DROP CONSTRAINT requests_tier_check;
ALTER TABLE requests ADD CONSTRAINT requests_tier_check
    CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business', 'organisation'));
ALTER TABLE routing_trail DROP CONSTRAINT routing_trail_tier_check;
ALTER TABLE routing_trail ADD CONSTRAINT routing_trail_tier_check
    CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business', 'organisation'));

-- A referral waits for the provider's answer until respond_by:
-- open -> accepted | declined | expired | withdrawn, accepted -> completed.
ALTER TABLE referrals DROP CONSTRAINT referrals_tier_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_tier_check
    CHECK (tier IN ('private_provider', 'business', 'organisation'));
ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check
    CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'completed', 'withdrawn'));
ALTER TABLE referrals ADD COLUMN municipality_id BIGINT REFERENCES municipalities (id);
UPDATE referrals SET municipality_id = r.municipality_id FROM requests r WHERE r.id = referrals.request_id;
ALTER TABLE referrals ALTER COLUMN municipality_id SET NOT NULL;
ALTER TABLE referrals ADD COLUMN respond_by TIMESTAMP;
UPDATE referrals SET respond_by = created_at + INTERVAL '48 hours';
ALTER TABLE referrals ALTER COLUMN respond_by SET NOT NULL;
-- Who made it (NULL: the engine) and who recorded the answer (NULL: the expiry job).
ALTER TABLE referrals ADD COLUMN created_by BIGINT REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN answered_by BIGINT REFERENCES users (id);
-- Why the provider declined; what was noted when the work was done.
ALTER TABLE referrals ADD COLUMN reason TEXT;
ALTER TABLE referrals ADD COLUMN note TEXT;
-- One live referral per request; older data keeps its newest open one.
UPDATE referrals SET status = 'withdrawn'
    WHERE status = 'open'
      AND id NOT IN (SELECT max(id) FROM referrals WHERE status = 'open' GROUP BY request_id);
CREATE UNIQUE INDEX referrals_one_live_idx ON referrals (request_id) WHERE status IN ('open', 'accepted');
CREATE INDEX referrals_municipality_idx ON referrals (municipality_id, id);
CREATE INDEX referrals_status_idx ON referrals (status, municipality_id, id);
CREATE INDEX referrals_due_idx ON referrals (respond_by, id) WHERE status = 'open';
