CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    volunteer_ok BOOLEAN NOT NULL
);
INSERT INTO categories (code, name_nl, name_en, volunteer_ok) VALUES
    ('gardening', 'Tuinonderhoud', 'Gardening', TRUE),
    ('errands', 'Boodschappen', 'Errands', TRUE),
    ('odd_jobs', 'Klussen', 'Odd jobs', FALSE),
    ('moving', 'Verhuizen en zolder leeghalen', 'Moving and clearing', FALSE),
    ('administration', 'Administratie', 'Administration help', FALSE),
    ('meals', 'Maaltijdbezorging', 'Meal delivery', TRUE);

CREATE TABLE municipality_categories (
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    category_code TEXT NOT NULL REFERENCES categories (code),
    PRIMARY KEY (municipality_id, category_code)
);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    target_groups TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    preferred_language TEXT NOT NULL CHECK (preferred_language IN ('nl', 'en')),
    representative_name TEXT,
    representative_relation TEXT,
    representative_email TEXT,
    representative_phone TEXT,
    lat DOUBLE,
    lon DOUBLE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX clients_municipality_idx ON clients (municipality_id, id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    kind TEXT NOT NULL CHECK (kind IN ('jobseeker', 'volunteer')),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    skills TEXT NOT NULL,
    weekly_cap_quarters INTEGER NOT NULL CHECK (weekly_cap_quarters > 0),
    availability TEXT NOT NULL,
    coach_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'left')),
    outflow TEXT CHECK (outflow IN ('paid_work', 'education', 'volunteer_work', 'other')),
    outflow_date DATE,
    lat DOUBLE,
    lon DOUBLE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (kind <> 'jobseeker' OR coach_id IS NOT NULL)
);
CREATE INDEX members_municipality_idx ON members (municipality_id, kind, status, id);
CREATE INDEX members_coach_idx ON members (coach_id, id);

-- A client or member account belongs to exactly one record.
CREATE TABLE user_links (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    client_id BIGINT UNIQUE REFERENCES clients (id),
    member_id BIGINT UNIQUE REFERENCES members (id),
    CHECK ((client_id IS NULL) <> (member_id IS NULL))
);

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('private_provider', 'business', 'organisation')),
    name TEXT NOT NULL,
    categories TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE provider_municipalities (
    provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (provider_id, municipality_id)
);
CREATE INDEX provider_municipalities_municipality_idx ON provider_municipalities (municipality_id, provider_id);

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
CREATE INDEX requests_municipality_idx ON requests (municipality_id, id);
CREATE INDEX requests_status_idx ON requests (status, municipality_id, id);
CREATE INDEX requests_client_idx ON requests (client_id, id);

-- Responses of calls made with an Idempotency-Key, replayed for a repeat (kept 24 hours).
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    location TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
