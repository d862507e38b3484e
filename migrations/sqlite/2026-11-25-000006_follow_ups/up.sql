-- When an assignment was accepted: the monthly report's time from request to scheduled.
ALTER TABLE assignments ADD COLUMN accepted_at TIMESTAMP;

-- Three months after a request is completed, an advisor asks the client whether the
-- help lasted.
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    due_on DATE NOT NULL,
    done_at TIMESTAMP,
    done_by BIGINT REFERENCES users (id),
    helped_lastingly BOOLEAN,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_ups_municipality_idx ON follow_ups (municipality_id, due_on, id);
CREATE INDEX follow_ups_done_idx ON follow_ups (municipality_id, done_at);

-- The monthly report reads by municipality and time.
CREATE INDEX requests_created_idx ON requests (municipality_id, created_at);
CREATE INDEX assignments_municipality_idx ON assignments (municipality_id, starts_at);
CREATE INDEX clients_created_idx ON clients (municipality_id, created_at);
CREATE INDEX members_outflow_idx ON members (municipality_id, outflow_date);
