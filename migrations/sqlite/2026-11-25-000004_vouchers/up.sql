-- A sale of vouchers to one client: the batch the vouchers came in.
CREATE TABLE voucher_sales (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    voucher_count INTEGER NOT NULL CHECK (voucher_count BETWEEN 1 AND 100),
    unit_value_cents BIGINT NOT NULL CHECK (unit_value_cents > 0),
    sold_by BIGINT NOT NULL REFERENCES users (id),
    sold_at TIMESTAMP NOT NULL,
    expiry_warned_at TIMESTAMP
);
CREATE INDEX voucher_sales_client_idx ON voucher_sales (client_id, sold_at);

CREATE TABLE vouchers (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    sale_id BIGINT NOT NULL REFERENCES voucher_sales (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    value_cents BIGINT NOT NULL CHECK (value_cents > 0),
    issued_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'redeemed', 'expired', 'cancelled')),
    assignment_id BIGINT REFERENCES assignments (id),
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status IN ('reserved', 'redeemed')) = (assignment_id IS NOT NULL))
);
CREATE INDEX vouchers_client_idx ON vouchers (client_id, status, expires_on, id);
CREATE INDEX vouchers_assignment_idx ON vouchers (assignment_id);
CREATE INDEX vouchers_sale_idx ON vouchers (sale_id);
CREATE INDEX vouchers_expiry_idx ON vouchers (status, expires_on);

-- Every change of a voucher, in the transaction that made it. Append-only: the
-- balances can always be rebuilt from here (`woonservice vouchers verify`).
CREATE TABLE voucher_events (
    id INTEGER PRIMARY KEY,
    voucher_id BIGINT NOT NULL REFERENCES vouchers (id),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    kind TEXT NOT NULL CHECK (kind IN ('sold', 'reserved', 'released', 'redeemed', 'expired', 'cancelled')),
    assignment_id BIGINT REFERENCES assignments (id),
    actor_id BIGINT REFERENCES users (id),
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX voucher_events_voucher_idx ON voucher_events (voucher_id, id);
CREATE INDEX voucher_events_municipality_idx ON voucher_events (municipality_id, at);

CREATE TRIGGER voucher_events_no_update BEFORE UPDATE ON voucher_events
BEGIN
    SELECT RAISE(ABORT, 'voucher events are append-only');
END;
CREATE TRIGGER voucher_events_no_delete BEFORE DELETE ON voucher_events
BEGIN
    SELECT RAISE(ABORT, 'voucher events are append-only');
END;

-- The next sequence number of serials per prefix and year.
CREATE TABLE voucher_serial_counters (
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);
