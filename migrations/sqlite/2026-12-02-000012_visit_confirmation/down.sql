-- assignments is rebuilt while vouchers and their ledger refer to it: the foreign keys
-- are checked when the migration commits, after it is back under its own name.
PRAGMA defer_foreign_keys = ON;

UPDATE assignments SET status = 'cancelled' WHERE status IN ('awaiting_confirmation', 'rejected');
CREATE TABLE assignments_copy AS SELECT * FROM assignments;
DROP TABLE assignments;
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
    accepted_at TIMESTAMP,
    CHECK (ends_at > starts_at)
);
INSERT INTO assignments SELECT * FROM assignments_copy;
DROP TABLE assignments_copy;
CREATE INDEX assignments_member_idx ON assignments (member_id, starts_at, id);
CREATE INDEX assignments_request_idx ON assignments (request_id, id);
CREATE INDEX assignments_client_idx ON assignments (client_id, status, member_id);
CREATE INDEX assignments_municipality_idx ON assignments (municipality_id, starts_at);
