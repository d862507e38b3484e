-- A `sold` event says to whom and at what value, so that `vouchers verify` rebuilds
-- each client's balance and each voucher's value from the append-only log alone, not
-- from the `vouchers` rows it checks. Other events leave both empty. (SQLite cannot add
-- a CHECK to an existing table; the code writes both on every sale.)
ALTER TABLE voucher_events ADD COLUMN client_id BIGINT;
ALTER TABLE voucher_events ADD COLUMN value_cents BIGINT;

-- Events written before this migration take what their voucher says today: the best
-- there is. The append-only trigger stands aside for this one statement only.
DROP TRIGGER voucher_events_no_update;
UPDATE voucher_events
SET client_id = (SELECT v.client_id FROM vouchers v WHERE v.id = voucher_events.voucher_id),
    value_cents = (SELECT v.value_cents FROM vouchers v WHERE v.id = voucher_events.voucher_id)
WHERE kind = 'sold';
CREATE TRIGGER voucher_events_no_update BEFORE UPDATE ON voucher_events
BEGIN
    SELECT RAISE(ABORT, 'voucher events are append-only');
END;
