ALTER TABLE voucher_events DROP CONSTRAINT voucher_events_sale_facts;
ALTER TABLE voucher_events DROP COLUMN value_cents, DROP COLUMN client_id;
