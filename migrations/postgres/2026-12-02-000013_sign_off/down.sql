DROP INDEX assignments_sign_off_idx;
ALTER TABLE assignments DROP COLUMN completed_at;
ALTER TABLE assignments DROP COLUMN sign_off_by;
ALTER TABLE assignments DROP COLUMN resolution_note;
ALTER TABLE assignments DROP COLUMN dispute_reason;
ALTER TABLE assignments DROP COLUMN sign_off_comment;
ALTER TABLE assignments DROP COLUMN rating;
ALTER TABLE assignments DROP COLUMN sign_off;
ALTER TABLE municipalities DROP COLUMN sign_off_days;
