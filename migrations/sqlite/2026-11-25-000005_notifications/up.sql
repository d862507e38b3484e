-- Mail to send, written in the transaction of the change that causes it. A worker
-- claims due rows with a lease (`locked_until`), so several instances never send the
-- same row and a crash mid-send leaves it to be retried after the lease.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    recipient_name TEXT,
    language TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    template TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    give_up_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    message_id TEXT NOT NULL UNIQUE,
    -- Events that happen once (a reminder, an expiry warning) claim a key; a second
    -- attempt to queue the same event is ignored.
    once_key TEXT UNIQUE,
    request_id BIGINT REFERENCES requests (id),
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_request_idx ON outbox (request_id);
