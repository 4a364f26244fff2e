-- A key's own rate limit in requests per minute, on top of the API's per-user limit (none when
-- NULL). Counted in memory like the other limits; stored so every replica applies it.
-- Forward-only.

ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute BIGINT CHECK (rate_limit_per_minute > 0);
