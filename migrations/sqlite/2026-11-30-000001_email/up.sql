-- Email: verified addresses, the single-use tokens behind email links, and the outbox the
-- background sender works through. Forward-only.

-- Accounts made before email verification existed were in use without it: they count as
-- verified from their creation, so REQUIRE_VERIFIED_EMAIL locks no existing customer out.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
UPDATE users SET email_verified_at = created_at;

-- Only the SHA-256 of a token is kept. A token is consumed once (used_at), and a newer one of
-- the same purpose supersedes the older ones (their used_at is set too).
CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    token_hash TEXT NOT NULL UNIQUE,
    -- The address an email change moves to.
    new_email TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
-- Superseding, the per-account send limits, and the purge of old tokens walk this index.
CREATE INDEX email_tokens_user_purpose ON email_tokens (user_id, purpose, created_at);

-- One row per email, written in the transaction of the action that causes it. A sender claims a
-- row by moving next_attempt_at past its lease (attempts + 1): a replica that dies mid-send
-- leaves it due again once the lease ends. The bodies, which can hold a link's token, are
-- cleared once the email is sent or given up.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- Which email it is (verify_email, password_changed, ...), for the logs.
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
