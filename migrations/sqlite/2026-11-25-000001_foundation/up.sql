CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    voucher_price_cents BIGINT NOT NULL DEFAULT 500 CHECK (voucher_price_cents > 0),
    voucher_validity_months INTEGER NOT NULL DEFAULT 12 CHECK (voucher_validity_months > 0),
    yearly_voucher_cap INTEGER CHECK (yearly_voucher_cap IS NULL OR yearly_voucher_cap >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX municipalities_name_key ON municipalities (lower(name));

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('client', 'member', 'coach', 'advisor', 'coordinator', 'admin')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE user_municipalities (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (user_id, municipality_id)
);
CREATE INDEX user_municipalities_municipality_idx ON user_municipalities (municipality_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);

-- Markers of what `serve --demo` has loaded, so a second start adds nothing.
CREATE TABLE demo_parts (
    name TEXT PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL
);
