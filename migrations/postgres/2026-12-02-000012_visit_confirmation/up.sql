-- A jobseeker's own accept of a tier-2 visit their coach did not propose waits for the
-- coach: awaiting_confirmation holds the slot and the vouchers; the coach confirms
-- (accepted) or rejects (rejected, the hold released).
ALTER TABLE assignments DROP CONSTRAINT assignments_status_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_status_check CHECK (status IN
    ('proposed', 'awaiting_confirmation', 'accepted', 'rejected', 'declined', 'completed', 'no_show', 'cancelled'));
