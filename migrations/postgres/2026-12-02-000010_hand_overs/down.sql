DROP INDEX referrals_due_idx;
DROP INDEX referrals_status_idx;
DROP INDEX referrals_municipality_idx;
DROP INDEX referrals_one_live_idx;
ALTER TABLE referrals DROP COLUMN note;
ALTER TABLE referrals DROP COLUMN reason;
ALTER TABLE referrals DROP COLUMN answered_by;
ALTER TABLE referrals DROP COLUMN created_by;
ALTER TABLE referrals DROP COLUMN respond_by;
ALTER TABLE referrals DROP COLUMN municipality_id;
-- The earlier schema knows no organisation tier and no answered referrals.
DELETE FROM referrals WHERE tier = 'organisation';
UPDATE referrals SET status = 'withdrawn' WHERE status NOT IN ('open', 'withdrawn');
ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check CHECK (status IN ('open', 'withdrawn'));
ALTER TABLE referrals DROP CONSTRAINT referrals_tier_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_tier_check CHECK (tier IN ('private_provider', 'business'));
DELETE FROM routing_trail WHERE tier = 'organisation';
ALTER TABLE routing_trail DROP CONSTRAINT routing_trail_tier_check;
ALTER TABLE routing_trail ADD CONSTRAINT routing_trail_tier_check
    CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business'));
UPDATE requests SET tier = NULL, status = 'unmatched' WHERE tier = 'organisation';
ALTER TABLE requests DROP CONSTRAINT requests_tier_check;
ALTER TABLE requests ADD CONSTRAINT requests_tier_check
    CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business'));
ALTER TABLE municipalities DROP COLUMN referral_response_hours;
ALTER TABLE providers DROP COLUMN active;
