-- POST /api/v1/auth/login, the database part (the argon2 check is CPU in the service):
-- the caller's recent failures, then its credentials.
\set m random(1, :towns)
SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE email = 'advisor.' || :m || '@seed.woonservice.nl' AND failed_at > (now() AT TIME ZONE 'UTC') - interval '15 minutes';
SELECT id, password_hash, active, role FROM users WHERE email = 'advisor.' || :m || '@seed.woonservice.nl' LIMIT 1;
