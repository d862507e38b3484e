-- Sessions of the desk (the web pages). The browser holds a random token in a signed
-- cookie; only its SHA-256 is kept here, so a copy of this table opens no session.
-- A session ends at log-out (ended_at), at expires_at, or when the account's
-- token_version moves on (password change, deactivation).
CREATE TABLE desk_sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX desk_sessions_expires_idx ON desk_sessions (expires_at);
