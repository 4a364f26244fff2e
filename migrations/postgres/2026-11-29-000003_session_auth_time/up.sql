-- When the person behind a session family last proved who they are (signed in with a password):
-- copied to every rotation, and carried in access tokens as `auth_time`, so widening access (a new
-- API key) can ask for a recent sign-in. Forward-only. Open families count from their sign-in.
ALTER TABLE sessions ADD COLUMN authenticated_at TIMESTAMP;
UPDATE sessions SET authenticated_at = family.started
FROM (SELECT family_id, MIN(created_at) AS started FROM sessions GROUP BY family_id) AS family
WHERE family.family_id = sessions.family_id;
ALTER TABLE sessions ALTER COLUMN authenticated_at SET NOT NULL;
