DROP TABLE voucher_serial_counters;
DROP TRIGGER voucher_events_no_delete;
DROP TRIGGER voucher_events_no_update;
DROP TABLE voucher_events;
DROP TABLE vouchers;
DROP TABLE voucher_sales;
