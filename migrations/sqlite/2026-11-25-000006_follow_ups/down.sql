DROP INDEX members_outflow_idx;
DROP INDEX clients_created_idx;
DROP INDEX assignments_municipality_idx;
DROP INDEX requests_created_idx;
DROP TABLE follow_ups;
ALTER TABLE assignments DROP COLUMN accepted_at;
