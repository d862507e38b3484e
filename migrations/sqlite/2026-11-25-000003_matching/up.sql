-- Every routing decision: the engine's and those of named users. Escalations and
-- overrides are read back from here; nothing else keeps that state.
CREATE TABLE routing_trail (
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
CREATE INDEX routing_trail_request_idx ON routing_trail (request_id, id);

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    tier TEXT NOT NULL CHECK (tier IN ('volunteer', 'woonservice')),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    slot_quarters INTEGER NOT NULL CHECK (slot_quarters > 0),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'completed', 'no_show', 'cancelled')),
    hours_worked_quarters INTEGER CHECK (hours_worked_quarters IS NULL OR hours_worked_quarters >= 0),
    voucher_shortfall INTEGER NOT NULL DEFAULT 0 CHECK (voucher_shortfall >= 0),
    reason TEXT,
    proposed_by BIGINT NOT NULL REFERENCES users (id),
    decided_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX assignments_member_idx ON assignments (member_id, starts_at, id);
CREATE INDEX assignments_request_idx ON assignments (request_id, id);
CREATE INDEX assignments_client_idx ON assignments (client_id, status, member_id);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    provider_id BIGINT NOT NULL REFERENCES providers (id),
    tier TEXT NOT NULL CHECK (tier IN ('private_provider', 'business')),
    status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_request_idx ON referrals (request_id, status);
CREATE INDEX referrals_provider_idx ON referrals (provider_id, status);
