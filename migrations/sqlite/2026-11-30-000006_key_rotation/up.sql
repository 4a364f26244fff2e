-- Key rotation: a rotated key points at the key that replaced it, and works until its
-- `expires_at` (the end of the grace period); once that has passed it leaves the list.
-- Forward-only. (SQLite)

ALTER TABLE api_keys ADD COLUMN replaced_by BIGINT REFERENCES api_keys (id);
