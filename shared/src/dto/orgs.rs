//! Organisations and their members (`/api/orgs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;

/// What a member may do in an organisation, a closed set: `owner` (everything, including
/// deleting it and handing it over), `admin` (members, invitations, keys, purchases),
/// `developer` (keys, paid routes, reading the ledger, writing tasks), `billing` (purchases,
/// ledger, usage, reading tasks).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Owner,
    Admin,
    Developer,
    Billing,
}

impl OrgRole {
    pub const ALL: [Self; 4] = [Self::Owner, Self::Admin, Self::Developer, Self::Billing];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Developer => "developer",
            Self::Billing => "billing",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// Whether a member with this role may do `permission`: the one table of who may do what,
    /// read by the API's guards and by the SPA to hide what a role may not use.
    pub fn can(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Self::Owner => true,
            Self::Admin => permission != P::OwnOrganization,
            Self::Developer => matches!(
                permission,
                P::ManageKeys | P::Spend | P::ReadCredits | P::ReadTasks | P::WriteTasks
            ),
            Self::Billing => matches!(permission, P::Purchase | P::ReadCredits | P::ReadTasks),
        }
    }
}

/// What an organisation lets a caller do; each role grants a fixed set (`OrgRole::can`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Delete the organisation, hand it over, make or unmake owners.
    OwnOrganization,
    /// Rename it.
    ManageOrganization,
    /// Change roles, remove members, invite and cancel invitations.
    ManageMembers,
    /// Create, list and revoke API keys.
    ManageKeys,
    /// Buy credits.
    Purchase,
    /// Call paid routes, spending the organisation's credits.
    Spend,
    /// Read the balance, the ledger and usage.
    ReadCredits,
    /// Read the organisation's tasks (every role).
    ReadTasks,
    /// Create, change and delete its tasks.
    WriteTasks,
}

impl Permission {
    pub const ALL: [Self; 9] = [
        Self::OwnOrganization,
        Self::ManageOrganization,
        Self::ManageMembers,
        Self::ManageKeys,
        Self::Purchase,
        Self::Spend,
        Self::ReadCredits,
        Self::ReadTasks,
        Self::WriteTasks,
    ];

    /// The roles that grant it, for error messages and the OpenAPI document.
    pub fn roles(self) -> Vec<OrgRole> {
        OrgRole::ALL
            .into_iter()
            .filter(|role| role.can(self))
            .collect()
    }

    /// The scope that lets an API key do it; `None`: no key may (a key acts for its
    /// organisation on paid routes and reads its credits, never manages anything).
    pub fn scope(self) -> Option<Scope> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.permission() == self)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    /// The one every user gets at sign-up, of which they are the owner.
    pub personal: bool,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// The organisation a caller acts in (`GET /api/me`): a browser session's active one, or an API
/// key's own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveOrganization {
    pub id: i64,
    pub name: String,
    pub personal: bool,
    /// The caller's role in it; `null` for an API key, which acts for the organisation rather
    /// than as a member.
    pub role: Option<OrgRole>,
}

/// An organisation the caller belongs to, with their role in it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMembership {
    pub organization: Organization,
    pub role: OrgRole,
}

/// Body of `POST /api/orgs`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgRequest {
    pub name: String,
}

/// Body of `PATCH /api/orgs/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrgRequest {
    pub name: String,
}

/// A member of an organisation (`GET /api/orgs/{id}/members`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub role: OrgRole,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub joined_at: DateTime<Utc>,
}

/// Body of `PATCH /api/orgs/{id}/members/{user_id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberRequest {
    pub role: OrgRole,
}

/// A pending invitation to join an organisation (`GET /api/orgs/{id}/invitations`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role: OrgRole,
    /// The member who sent it, while they have an account.
    pub invited_by: Option<String>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "super::time::timestamp")]
    pub expires_at: DateTime<Utc>,
}

/// Body of `POST /api/orgs/{id}/invitations`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitationRequest {
    pub email: String,
    pub role: OrgRole,
}

/// Body of `POST /api/invitations/accept`: the token from the invitation's link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    pub token: String,
}

/// An organisation with its balance, as site admins see it (`GET /api/admin/orgs`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgBalance {
    pub organization: Organization,
    pub credits: i64,
    pub members: i64,
    /// The email of its earliest owner (of a personal organisation: its user), to tell the
    /// organisations apart and know whom to contact.
    pub owner_email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_as_written() {
        for role in OrgRole::ALL {
            assert_eq!(OrgRole::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(OrgRole::parse("root"), None);
    }

    #[test]
    fn owners_alone_own_and_billing_never_touches_keys() {
        assert_eq!(Permission::OwnOrganization.roles(), vec![OrgRole::Owner]);
        assert_eq!(
            Permission::ManageKeys.roles(),
            vec![OrgRole::Owner, OrgRole::Admin, OrgRole::Developer]
        );
        assert_eq!(
            Permission::Purchase.roles(),
            vec![OrgRole::Owner, OrgRole::Admin, OrgRole::Billing]
        );
        assert_eq!(Permission::ReadCredits.roles(), OrgRole::ALL.to_vec());
        assert_eq!(Permission::ReadTasks.roles(), OrgRole::ALL.to_vec());
        assert_eq!(
            Permission::WriteTasks.roles(),
            vec![OrgRole::Owner, OrgRole::Admin, OrgRole::Developer]
        );
    }
}
