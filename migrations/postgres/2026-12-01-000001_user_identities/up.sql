-- Sign-in with identity providers. An identity is a provider's account (its issuer-stable
-- subject) linked to one of ours. A flow is a sign-in or link begun at a provider and not yet
-- finished: only the SHA-256 of its `state` is kept, it is taken once, and it expires.
-- Forward-only.

CREATE TABLE user_identities (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- The address the provider gave at the last sign-in through it (shown on the account page).
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    UNIQUE (provider, subject)
);
-- A user's identities; and one per provider per user.
CREATE UNIQUE INDEX user_identities_user_id_provider ON user_identities (user_id, provider);

CREATE TABLE oauth_flows (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    -- The OpenID Connect nonce; empty for a plain OAuth 2 provider (GitHub).
    nonce TEXT NOT NULL,
    next_path TEXT NOT NULL,
    -- Set when a signed-in user is linking the provider to their account.
    link_user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oauth_flows_expires_at ON oauth_flows (expires_at);
