//! Calls of the organisation routes.

use reqwest::{Response, StatusCode};
use serde_json::json;
use shared::dto::{
    AcceptInvitationRequest, CreateInvitationRequest, CreateOrgRequest, Invitation, Member,
    OrgMembership, OrgRole, TokenResponse,
};

use super::{
    app::{Auth, TestApp},
    assertions::expect_json,
    users::TestUser,
};

/// Words of an invitation's subject (see `backend/src/mail/message.rs`).
pub const INVITATION_SUBJECT: &str = "invited you to";

impl TestApp {
    pub async fn try_orgs(&self, auth: Auth<'_>) -> Response {
        self.get("/api/orgs", auth).await
    }

    /// The caller's organisations, personal one first.
    pub async fn orgs(&self, auth: Auth<'_>) -> Vec<OrgMembership> {
        expect_json(self.try_orgs(auth).await, StatusCode::OK).await
    }

    pub async fn try_create_org(&self, auth: Auth<'_>, name: &str) -> Response {
        let body = CreateOrgRequest { name: name.into() };
        self.post_json("/api/orgs", &body, auth).await
    }

    /// A new team organisation, owned by the caller.
    pub async fn create_org(&self, auth: Auth<'_>, name: &str) -> OrgMembership {
        expect_json(self.try_create_org(auth, name).await, StatusCode::CREATED).await
    }

    pub async fn try_switch_org(&self, auth: Auth<'_>, org_id: i64) -> Response {
        self.post_empty(&format!("/api/orgs/{org_id}/switch"), auth)
            .await
    }

    /// `user` acting in organisation `org_id` from now on (a new access token).
    pub async fn switch_org(&self, user: &TestUser, org_id: i64) -> TestUser {
        let tokens: TokenResponse = expect_json(
            self.try_switch_org(user.bearer(), org_id).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(tokens.user.organization.id, org_id);
        TestUser::new(&user.email, tokens)
    }

    pub async fn try_org(&self, auth: Auth<'_>, org_id: i64) -> Response {
        self.get(&format!("/api/orgs/{org_id}"), auth).await
    }

    /// The organisation's name, as one of its members sees it.
    pub async fn org_name(&self, auth: Auth<'_>, org_id: i64) -> String {
        let org: OrgMembership =
            expect_json(self.try_org(auth, org_id).await, StatusCode::OK).await;
        org.organization.name
    }

    pub async fn try_rename_org(&self, auth: Auth<'_>, org_id: i64, name: &str) -> Response {
        self.patch_json(
            &format!("/api/orgs/{org_id}"),
            &json!({ "name": name }),
            auth,
        )
        .await
    }

    pub async fn try_delete_org(&self, auth: Auth<'_>, org_id: i64) -> Response {
        self.delete(&format!("/api/orgs/{org_id}"), auth).await
    }

    pub async fn try_members(&self, auth: Auth<'_>, org_id: i64) -> Response {
        self.get(&format!("/api/orgs/{org_id}/members"), auth).await
    }

    pub async fn members(&self, auth: Auth<'_>, org_id: i64) -> Vec<Member> {
        expect_json(self.try_members(auth, org_id).await, StatusCode::OK).await
    }

    pub async fn try_set_member_role(
        &self,
        auth: Auth<'_>,
        org_id: i64,
        user_id: i64,
        role: OrgRole,
    ) -> Response {
        let path = format!("/api/orgs/{org_id}/members/{user_id}");
        self.patch_json(&path, &json!({ "role": role }), auth).await
    }

    pub async fn try_remove_member(&self, auth: Auth<'_>, org_id: i64, user_id: i64) -> Response {
        self.delete(&format!("/api/orgs/{org_id}/members/{user_id}"), auth)
            .await
    }

    pub async fn try_invite(
        &self,
        auth: Auth<'_>,
        org_id: i64,
        email: &str,
        role: OrgRole,
    ) -> Response {
        let body = CreateInvitationRequest {
            email: email.into(),
            role,
        };
        self.post_json(&format!("/api/orgs/{org_id}/invitations"), &body, auth)
            .await
    }

    pub async fn invite(
        &self,
        auth: Auth<'_>,
        org_id: i64,
        email: &str,
        role: OrgRole,
    ) -> Invitation {
        expect_json(
            self.try_invite(auth, org_id, email, role).await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn try_invitations(&self, auth: Auth<'_>, org_id: i64) -> Response {
        self.get(&format!("/api/orgs/{org_id}/invitations"), auth)
            .await
    }

    pub async fn try_cancel_invitation(&self, auth: Auth<'_>, org_id: i64, id: i64) -> Response {
        self.delete(&format!("/api/orgs/{org_id}/invitations/{id}"), auth)
            .await
    }

    pub async fn try_accept_invitation(&self, auth: Auth<'_>, token: &str) -> Response {
        let body = AcceptInvitationRequest {
            token: token.into(),
        };
        self.post_json("/api/invitations/accept", &body, auth).await
    }

    /// The token of the `n`th invitation emailed to `to` (MailDev: `spawn_with_mail`).
    pub async fn invitation_token(&self, to: &str, n: usize) -> String {
        self.nth_token(to, INVITATION_SUBJECT, "invite", n).await
    }

    /// A new user, in a browser of their own, who joined `org_id` as `role` through an
    /// invitation from `inviter` and acts in it.
    pub async fn new_member(
        &self,
        inviter: &TestUser,
        org_id: i64,
        role: OrgRole,
    ) -> (TestApp, TestUser) {
        let browser = self.new_browser();
        let user = browser.new_user().await;
        self.invite(inviter.bearer(), org_id, &user.email, role)
            .await;
        let token = self.invitation_token(&user.email, 1).await;
        let joined: OrgMembership = expect_json(
            browser.try_accept_invitation(user.bearer(), &token).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!((joined.organization.id, joined.role), (org_id, role));
        let member = browser.switch_org(&user, org_id).await;
        (browser, member)
    }
}
