UPDATE assignments SET status = 'cancelled' WHERE status IN ('awaiting_confirmation', 'rejected');
ALTER TABLE assignments DROP CONSTRAINT assignments_status_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_status_check
    CHECK (status IN ('proposed', 'accepted', 'declined', 'completed', 'no_show', 'cancelled'));
