-- requests is rebuilt below while five tables refer to it: their foreign keys are
-- checked when the migration commits, after it is back under its own name.
PRAGMA defer_foreign_keys = ON;

-- A provider can be retired: kept for history, never routed or referred to.
ALTER TABLE providers ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;

-- Hours a provider has to answer a referral (0: the next run of expire-referrals ends it).
ALTER TABLE municipalities ADD COLUMN referral_response_hours INTEGER NOT NULL DEFAULT 48
    CHECK (referral_response_hours BETWEEN 0 AND 720);

-- An advisor may refer a request by hand to a local organisation: it is the request's
-- tier and a trail line's. SQLite cannot change a CHECK in place: requests is copied
-- out, dropped, created again under its own name and refilled, so the tables that
-- refer to it keep pointing at it.
CREATE TABLE requests_copy AS SELECT * FROM requests;
DROP TABLE requests;
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    category TEXT NOT NULL REFERENCES categories (code),
    description TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    window_end TIMESTAMP NOT NULL,
    estimated_quarters INTEGER NOT NULL CHECK (estimated_quarters BETWEEN 1 AND 32),
    status TEXT NOT NULL CHECK (status IN ('new', 'routed', 'scheduled', 'completed', 'referred', 'unmatched', 'cancelled')),
    tier TEXT CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business', 'organisation')),
    cancel_reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (window_end > window_start)
);
INSERT INTO requests SELECT * FROM requests_copy;
DROP TABLE requests_copy;
CREATE INDEX requests_municipality_idx ON requests (municipality_id, id);
CREATE INDEX requests_status_idx ON requests (status, municipality_id, id);
CREATE INDEX requests_client_idx ON requests (client_id, id);
CREATE INDEX requests_created_idx ON requests (municipality_id, created_at);

CREATE TABLE routing_trail_rebuilt (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    tier TEXT NOT NULL CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business', 'organisation')),
    outcome TEXT NOT NULL CHECK (outcome IN ('matched', 'skipped', 'escalated', 'overridden')),
    reason_code TEXT NOT NULL,
    reason_nl TEXT NOT NULL,
    reason_en TEXT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
INSERT INTO routing_trail_rebuilt SELECT * FROM routing_trail;
DROP TABLE routing_trail;
ALTER TABLE routing_trail_rebuilt RENAME TO routing_trail;
CREATE INDEX routing_trail_request_idx ON routing_trail (request_id, id);

-- A referral waits for the provider's answer until respond_by:
-- open -> accepted | declined | expired | withdrawn, accepted -> completed.
-- created_by NULL is the engine, answered_by NULL the expiry job.
CREATE TABLE referrals_rebuilt (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    provider_id BIGINT NOT NULL REFERENCES providers (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    tier TEXT NOT NULL CHECK (tier IN ('private_provider', 'business', 'organisation')),
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'completed', 'withdrawn')),
    respond_by TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id),
    answered_by BIGINT REFERENCES users (id),
    reason TEXT,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO referrals_rebuilt (id, request_id, provider_id, municipality_id, tier, status, respond_by, created_at, updated_at)
    SELECT f.id, f.request_id, f.provider_id, r.municipality_id, f.tier, f.status,
           strftime('%Y-%m-%d %H:%M:%f', f.created_at, '+48 hours'), f.created_at, f.updated_at
    FROM referrals f JOIN requests r ON r.id = f.request_id;
DROP TABLE referrals;
ALTER TABLE referrals_rebuilt RENAME TO referrals;
-- One live referral per request; older data keeps its newest open one.
UPDATE referrals SET status = 'withdrawn'
    WHERE status = 'open'
      AND id NOT IN (SELECT max(id) FROM referrals WHERE status = 'open' GROUP BY request_id);
CREATE INDEX referrals_request_idx ON referrals (request_id, status);
CREATE INDEX referrals_provider_idx ON referrals (provider_id, status);
CREATE UNIQUE INDEX referrals_one_live_idx ON referrals (request_id) WHERE status IN ('open', 'accepted');
CREATE INDEX referrals_municipality_idx ON referrals (municipality_id, id);
CREATE INDEX referrals_status_idx ON referrals (status, municipality_id, id);
CREATE INDEX referrals_due_idx ON referrals (respond_by, id) WHERE status = 'open';
