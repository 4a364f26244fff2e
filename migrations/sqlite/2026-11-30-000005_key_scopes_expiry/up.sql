-- API keys get scopes and an optional expiry. `scopes` is the space-separated list of what
-- the key may do (like OAuth's `scope`); the keys made before could spend and read credits,
-- and keep both. `expires_at` NULL: the key never expires. Forward-only. (SQLite)

ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'paid:call credits:read';
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP;
