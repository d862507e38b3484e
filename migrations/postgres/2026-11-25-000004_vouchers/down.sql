DROP TABLE voucher_serial_counters;
DROP TRIGGER voucher_events_no_change ON voucher_events;
DROP FUNCTION voucher_events_append_only();
DROP TABLE voucher_events;
DROP TABLE vouchers;
DROP TABLE voucher_sales;
