//! Calls of the email flows, and reading their links from MailDev.

use backend::db::schema::email_tokens::dsl as t;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use reqwest::{Response, StatusCode};
use shared::dto::{
    Accepted, ChangeEmailRequest, EmailTokenRequest, PasswordResetConfirm, PasswordResetRequest,
};

use super::{
    app::{Auth, TestApp},
    assertions::expect_json,
};

/// The subjects' words the tests wait for (see `backend/src/mail/message.rs`).
pub const VERIFY_SUBJECT: &str = "Verify your email";
pub const RESET_SUBJECT: &str = "Reset your";
pub const CHANGE_SUBJECT: &str = "Confirm your new email";
pub const PASSWORD_CHANGED_SUBJECT: &str = "password was changed";

impl TestApp {
    pub async fn try_verify_email(&self, token: &str) -> Response {
        let body = EmailTokenRequest {
            token: token.into(),
        };
        self.post_json("/api/auth/verify-email", &body, Auth::None)
            .await
    }

    pub async fn try_resend_verification(&self, auth: Auth<'_>) -> Response {
        self.post_empty("/api/auth/resend-verification", auth).await
    }

    pub async fn try_password_reset(&self, email: &str) -> Response {
        let body = PasswordResetRequest {
            email: email.into(),
        };
        self.post_json("/api/auth/password-reset", &body, Auth::None)
            .await
    }

    /// Asks for a reset link and checks the answer every address gets.
    pub async fn password_reset(&self, email: &str) -> Accepted {
        expect_json(self.try_password_reset(email).await, StatusCode::ACCEPTED).await
    }

    pub async fn try_confirm_reset(&self, token: &str, new_password: &str) -> Response {
        let body = PasswordResetConfirm {
            token: token.into(),
            new_password: new_password.into(),
        };
        self.post_json("/api/auth/password-reset/confirm", &body, Auth::None)
            .await
    }

    pub async fn try_change_email(
        &self,
        auth: Auth<'_>,
        new_email: &str,
        password: &str,
    ) -> Response {
        let body = ChangeEmailRequest {
            new_email: new_email.into(),
            current_password: password.into(),
        };
        self.post_json("/api/me/email", &body, auth).await
    }

    pub async fn try_confirm_email_change(&self, token: &str) -> Response {
        let body = EmailTokenRequest {
            token: token.into(),
        };
        self.post_json("/api/auth/confirm-email-change", &body, Auth::None)
            .await
    }

    /// The token of the `n`th email to `to` about `subject` with a link to `page`.
    pub async fn nth_token(&self, to: &str, subject: &str, page: &str, n: usize) -> String {
        self.mailbox()
            .wait_for_nth(to, subject, n)
            .await
            .token_for(page)
    }

    /// The token of the verification link sent to `to` at sign-up.
    pub async fn verification_token(&self, to: &str) -> String {
        self.nth_token(to, VERIFY_SUBJECT, "verify-email", 1).await
    }

    /// The token of the first reset link sent to `to`.
    pub async fn reset_token(&self, to: &str) -> String {
        self.nth_token(to, RESET_SUBJECT, "reset-password", 1).await
    }

    /// Moves the user's email tokens `seconds` into the past, as if sent that long ago.
    pub fn age_email_tokens(&self, user_id: i64, seconds: i64) {
        let mut conn = self.connect_to_database();
        let sent: Vec<(i64, NaiveDateTime)> = t::email_tokens
            .filter(t::user_id.eq(user_id))
            .select((t::id, t::created_at))
            .load(&mut conn)
            .expect("the tokens");
        for (id, created_at) in sent {
            diesel::update(t::email_tokens.find(id))
                .set(t::created_at.eq(created_at - TimeDelta::seconds(seconds)))
                .execute(&mut conn)
                .expect("a token aged");
        }
    }

    /// Makes every email token of the user's expire now.
    pub fn expire_email_tokens(&self, user_id: i64) {
        let past = chrono::Utc::now().naive_utc() - TimeDelta::seconds(1);
        diesel::update(t::email_tokens.filter(t::user_id.eq(user_id)))
            .set(t::expires_at.eq(past))
            .execute(&mut self.connect_to_database())
            .expect("tokens expired");
    }
}
