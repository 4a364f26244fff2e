-- Per-key spend limits per UTC day and calendar month, and what the key spent in its current
-- windows (`spent_*_start`: the window's first instant; a spend in a newer window starts the
-- count again). Counted in the paid call's own transaction. Forward-only. (SQLite)

ALTER TABLE api_keys ADD COLUMN spend_limit_daily BIGINT CHECK (spend_limit_daily > 0);
ALTER TABLE api_keys ADD COLUMN spend_limit_monthly BIGINT CHECK (spend_limit_monthly > 0);
ALTER TABLE api_keys ADD COLUMN spent_day BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN spent_day_start TIMESTAMP;
ALTER TABLE api_keys ADD COLUMN spent_month BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN spent_month_start TIMESTAMP;
