//! The tables of migrations/{sqlite,postgres}: the same columns and types on both backends.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        is_active -> Bool,
        token_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        organization_id -> BigInt,
        created_by -> BigInt,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        scopes -> Text,
        expires_at -> Nullable<Timestamp>,
        replaced_by -> Nullable<BigInt>,
        spend_limit_daily -> Nullable<BigInt>,
        spend_limit_monthly -> Nullable<BigInt>,
        spent_day -> BigInt,
        spent_day_start -> Nullable<Timestamp>,
        spent_month -> BigInt,
        spent_month_start -> Nullable<Timestamp>,
        rate_limit_per_minute -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        family_id -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        ends_at -> Timestamp,
        authenticated_at -> Timestamp,
        organization_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    credit_ledger (id) {
        id -> BigInt,
        organization_id -> BigInt,
        user_id -> Nullable<BigInt>,
        api_key_id -> Nullable<BigInt>,
        delta -> BigInt,
        kind -> Text,
        package_id -> Nullable<Text>,
        route -> Nullable<Text>,
        refunded_entry_id -> Nullable<BigInt>,
        note -> Nullable<Text>,
        reference -> Nullable<Text>,
        balance_after -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> BigInt,
        name -> Text,
        personal_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        credits -> BigInt,
        storage_used -> BigInt,
    }
}

diesel::table! {
    memberships (organization_id, user_id) {
        organization_id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (organization_id, idempotency_key) {
        organization_id -> BigInt,
        idempotency_key -> Text,
        fingerprint -> Text,
        created_at -> Timestamp,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        organization_id -> BigInt,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_identities (id) {
        id -> BigInt,
        user_id -> BigInt,
        provider -> Text,
        subject -> Text,
        email -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
    }
}

diesel::table! {
    oauth_flows (state_hash) {
        state_hash -> Text,
        provider -> Text,
        pkce_verifier -> Text,
        nonce -> Text,
        next_path -> Text,
        link_user_id -> Nullable<BigInt>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    tasks (id) {
        id -> BigInt,
        organization_id -> BigInt,
        created_by -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        status -> Text,
        due_date -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        organization_id -> BigInt,
        task_id -> BigInt,
        name -> Text,
        size -> BigInt,
        content_type -> Text,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(attachments -> tasks (task_id));
diesel::joinable!(tasks -> organizations (organization_id));
diesel::joinable!(user_identities -> users (user_id));
diesel::joinable!(idempotency_keys -> organizations (organization_id));
diesel::joinable!(invitations -> organizations (organization_id));
diesel::joinable!(invitations -> users (invited_by));
diesel::joinable!(api_keys -> organizations (organization_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(credit_ledger -> organizations (organization_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_keys,
    sessions,
    credit_ledger,
    email_tokens,
    outbox,
    organizations,
    memberships,
    invitations,
    idempotency_keys,
    user_identities,
    oauth_flows,
    tasks,
    attachments
);
