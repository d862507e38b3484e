ALTER TABLE voucher_events DROP COLUMN value_cents;
ALTER TABLE voucher_events DROP COLUMN client_id;
