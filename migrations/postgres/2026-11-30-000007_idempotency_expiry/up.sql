-- Every keyed call first drops its caller's keys older than 24 hours. With only the
-- (user_id, key) key that delete read every key of the caller; this index lets it
-- reach just the expired ones, however many calls a coordinator makes in a day.
CREATE INDEX idempotency_keys_user_created_idx ON idempotency_keys (user_id, created_at);
