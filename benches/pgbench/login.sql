-- POST /api/v1/auth/login, its database part: one transaction that locks the account's
-- and the address's keys, counts their attempts of the last 15 minutes, records this
-- attempt and reads the account; after the right password, the account's attempts are
-- forgotten. The argon2id check (about 12 ms of CPU) is the service's own work.
\set m random(1, :towns)
\set a random(1, 1000000)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('advisor.' || :m || '@seed.woonservice.nl'));
SELECT pg_advisory_xact_lock(hashtext('10.0.' || :a));
SELECT COUNT(*), min(attempted_at) FROM login_attempts
  WHERE attempted_at > (now() AT TIME ZONE 'UTC') - interval '15 minutes' AND email = 'advisor.' || :m || '@seed.woonservice.nl' LIMIT 1;
SELECT COUNT(*), min(attempted_at) FROM login_attempts
  WHERE attempted_at > (now() AT TIME ZONE 'UTC') - interval '15 minutes' AND client_address = '10.0.' || :a LIMIT 1;
INSERT INTO login_attempts (email, client_address, attempted_at)
  VALUES ('advisor.' || :m || '@seed.woonservice.nl', '10.0.' || :a, now() AT TIME ZONE 'UTC');
SELECT id, password_hash, active, role, token_version FROM users WHERE email = 'advisor.' || :m || '@seed.woonservice.nl' LIMIT 1;
COMMIT;
DELETE FROM login_attempts WHERE email = 'advisor.' || :m || '@seed.woonservice.nl';
