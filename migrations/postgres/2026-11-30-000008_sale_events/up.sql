-- A `sold` event says to whom and at what value, so that `vouchers verify` rebuilds
-- each client's balance and each voucher's value from the append-only log alone, not
-- from the `vouchers` rows it checks. Other events leave both empty.
ALTER TABLE voucher_events ADD COLUMN client_id BIGINT, ADD COLUMN value_cents BIGINT;

-- Events written before this migration take what their voucher says today: the best
-- there is. The append-only trigger stands aside for this one statement only.
ALTER TABLE voucher_events DISABLE TRIGGER voucher_events_no_change;
UPDATE voucher_events e
SET client_id = v.client_id, value_cents = v.value_cents
FROM vouchers v
WHERE e.voucher_id = v.id AND e.kind = 'sold';
ALTER TABLE voucher_events ENABLE TRIGGER voucher_events_no_change;

ALTER TABLE voucher_events ADD CONSTRAINT voucher_events_sale_facts
    CHECK ((kind = 'sold') = (client_id IS NOT NULL AND value_cents IS NOT NULL));
