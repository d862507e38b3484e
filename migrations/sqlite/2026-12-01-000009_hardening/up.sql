-- An admin may cancel a mail that should never go out (queued or dead). SQLite cannot
-- change a CHECK in place: the table is rebuilt with the same columns and indexes.
CREATE TABLE outbox_rebuilt (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    recipient_name TEXT,
    language TEXT NOT NULL CHECK (language IN ('nl', 'en')),
    template TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'dead', 'cancelled')),
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
-- Every token carries the version it was issued under; a password, role, scope or
-- activity change raises it, and older tokens are refused on their next request.
ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

-- Password checks, recorded before the hash is computed so that parallel guesses are
-- counted and refused before they cost anything: per account and per client address.
-- A successful login forgets its account's attempts; a job forgets old ones.
DROP TABLE login_failures;
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    client_address TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_address_idx ON login_attempts (client_address, attempted_at);
