PRAGMA defer_foreign_keys = ON;

-- The earlier schema knows no organisation tier and no answered referrals.
DELETE FROM referrals WHERE tier = 'organisation';
UPDATE referrals SET status = 'withdrawn' WHERE status NOT IN ('open', 'withdrawn');
CREATE TABLE referrals_rebuilt (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    provider_id BIGINT NOT NULL REFERENCES providers (id),
    tier TEXT NOT NULL CHECK (tier IN ('private_provider', 'business')),
    status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO referrals_rebuilt SELECT id, request_id, provider_id, tier, status, created_at, updated_at FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_rebuilt RENAME TO referrals;
CREATE INDEX referrals_request_idx ON referrals (request_id, status);
CREATE INDEX referrals_provider_idx ON referrals (provider_id, status);

DELETE FROM routing_trail WHERE tier = 'organisation';
CREATE TABLE routing_trail_rebuilt (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    tier TEXT NOT NULL CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business')),
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

UPDATE requests SET tier = NULL, status = 'unmatched' WHERE tier = 'organisation';
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
    tier TEXT CHECK (tier IN ('volunteer', 'woonservice', 'private_provider', 'business')),
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

ALTER TABLE municipalities DROP COLUMN referral_response_hours;
ALTER TABLE providers DROP COLUMN active;
