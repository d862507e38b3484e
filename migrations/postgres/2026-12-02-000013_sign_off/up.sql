-- The client signs off the hours of a visit before its vouchers are redeemed: after
-- sign_off_days without an answer the job approve-sign-offs agrees for them (0: agreed
-- at completion, as before).
ALTER TABLE municipalities ADD COLUMN sign_off_days INTEGER NOT NULL DEFAULT 7
    CHECK (sign_off_days BETWEEN 0 AND 60);

-- NULL before completion; then pending -> agreed | disputed | auto_agreed, disputed -> resolved.
ALTER TABLE assignments ADD COLUMN sign_off TEXT
    CHECK (sign_off IS NULL OR sign_off IN ('pending', 'agreed', 'disputed', 'resolved', 'auto_agreed'));
ALTER TABLE assignments ADD COLUMN rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5);
ALTER TABLE assignments ADD COLUMN sign_off_comment TEXT;
ALTER TABLE assignments ADD COLUMN dispute_reason TEXT;
ALTER TABLE assignments ADD COLUMN resolution_note TEXT;
ALTER TABLE assignments ADD COLUMN sign_off_by BIGINT;
ALTER TABLE assignments ADD COLUMN completed_at TIMESTAMP;
-- Work completed before sign-off existed was redeemed at completion.
UPDATE assignments SET sign_off = 'auto_agreed', completed_at = updated_at WHERE status = 'completed';
CREATE INDEX assignments_sign_off_idx ON assignments (sign_off, completed_at) WHERE sign_off = 'pending';
