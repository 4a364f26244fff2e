//! Test users: signing up, admins and credits through the command-line tasks.

use std::time::Duration;

use backend::tasks::{Admin, Grantee, IfExists, create_admin, grant_credits};
use shared::dto::TokenResponse;

use super::app::{Auth, TestApp};

/// The password every test user signs up with.
pub const PASSWORD: &str = "correct horse battery";

/// An email address no other test uses.
pub fn unique_email() -> String {
    format!("user-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// A signed-in user: the browser that signed in holds the refresh cookie.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub token: String,
    /// The organisation the token acts in: the personal one, unless switched.
    pub org_id: i64,
}

impl TestUser {
    pub fn new(email: &str, tokens: TokenResponse) -> Self {
        Self {
            id: tokens.user.id,
            email: email.to_owned(),
            token: tokens.access_token,
            org_id: tokens.user.organization.id,
        }
    }

    pub fn bearer(&self) -> Auth<'_> {
        Auth::Bearer(&self.token)
    }
}

impl TestApp {
    /// Signs a new user up in this browser.
    pub async fn new_user(&self) -> TestUser {
        let email = unique_email();
        TestUser::new(&email, self.signup(&email, PASSWORD).await)
    }

    /// Signs a new user up and grants them credits (the `grant-credits` task).
    pub async fn new_user_with_credits(&self, credits: i64) -> TestUser {
        let user = self.new_user().await;
        assert_eq!(self.grant_by_task(&user.email, credits).await, credits);
        user
    }

    /// Makes an admin with the `create-admin` task and signs them in in this browser.
    pub async fn new_admin(&self) -> TestUser {
        let email = unique_email();
        let Admin::Created(id) = self.create_admin_by_task(&email, IfExists::Refuse).await else {
            panic!("a new email makes a new admin");
        };
        let tokens = self.login(&email, PASSWORD).await;
        assert_eq!(tokens.user.id, id, "create_admin returns the user id");
        TestUser::new(&email, tokens)
    }

    /// Signs an existing account in, in this browser (its password is [`PASSWORD`]).
    pub async fn sign_in_as(&self, email: &str) -> TestUser {
        TestUser::new(email, self.login(email, PASSWORD).await)
    }

    /// Signs `user` in again from another browser: the new browser and its access token.
    pub async fn sign_in_elsewhere(&self, user: &TestUser) -> (TestApp, String) {
        let browser = self.new_browser();
        let token = browser.login(&user.email, PASSWORD).await.access_token;
        (browser, token)
    }

    /// Makes `user`'s sign-ins `ago` old (in the database), then refreshes in this browser: the
    /// user as they are when they signed in that long ago and kept refreshing since.
    pub async fn signed_in_ago(&self, user: &TestUser, ago: Duration) -> TestUser {
        use backend::db::schema::sessions;
        use diesel::prelude::*;

        let mut conn = self.connect_to_database();
        let ago = chrono::TimeDelta::from_std(ago).expect("a short age");
        let (id, at) = (user.id, backend::models::now() - ago);
        tokio::task::spawn_blocking(move || {
            diesel::update(sessions::table.filter(sessions::user_id.eq(id)))
                .set(sessions::authenticated_at.eq(at))
                .execute(&mut conn)
        })
        .await
        .expect("the database thread")
        .expect("the sign-ins are moved back");
        TestUser {
            token: self.refresh().await.access_token,
            ..user.clone()
        }
    }

    /// The `create-admin` task: creates the admin (password [`PASSWORD`]), or with
    /// `IfExists::Promote` promotes the existing account.
    pub async fn create_admin_by_task(&self, email: &str, if_exists: IfExists) -> Admin {
        let email = email.to_owned();
        self.run_task(move |config| create_admin(&config, &email, PASSWORD, if_exists))
            .await
            .unwrap_or_else(|e| panic!("create_admin failed: {e:?}"))
    }

    /// The `grant-credits` task to `email`'s personal organisation; returns the new balance.
    pub async fn grant_by_task(&self, email: &str, amount: i64) -> i64 {
        self.grant_to(Grantee::PersonalOf(email.to_owned()), amount)
            .await
    }

    /// The `grant-credits` task to organisation `org_id`; returns the new balance.
    pub async fn grant_by_task_to_org(&self, org_id: i64, amount: i64) -> i64 {
        self.grant_to(Grantee::Organization(org_id), amount).await
    }

    async fn grant_to(&self, grantee: Grantee, amount: i64) -> i64 {
        self.run_task(move |config| grant_credits(&config, &grantee, amount, "test set-up"))
            .await
            .unwrap_or_else(|e| panic!("grant_credits failed: {e:?}"))
    }

    /// Runs a synchronous task with this server's configuration off the async workers.
    pub async fn run_task<T: Send + 'static>(
        &self,
        task: impl FnOnce(backend::Config) -> T + Send + 'static,
    ) -> T {
        let config = self.config();
        tokio::task::spawn_blocking(move || task(config))
            .await
            .expect("the task panicked")
    }
}
