DROP TABLE login_attempts;
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);

ALTER TABLE users DROP COLUMN token_version;

UPDATE outbox SET status = 'dead' WHERE status = 'cancelled';
CREATE TABLE outbox_rebuilt (
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
INSERT INTO outbox_rebuilt SELECT id, recipient, recipient_name, language, template, data, status,
    attempts, next_attempt_at, give_up_at, locked_until, last_error, message_id, once_key, request_id,
    created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_request_idx ON outbox (request_id);
