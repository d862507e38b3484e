-- POST /api/v1/auth/login, its database part: the email's recent failures, then the
-- account. The argon2id check (about 15 ms of CPU) is the service's own work.
\set m random(1, :towns)
SELECT COUNT(*), min(failed_at) FROM login_failures
  WHERE email = 'advisor.' || :m || '@seed.woonservice.nl' AND failed_at > (now() AT TIME ZONE 'UTC') - interval '15 minutes' LIMIT 1;
SELECT id, password_hash, active, role FROM users WHERE email = 'advisor.' || :m || '@seed.woonservice.nl' LIMIT 2;
