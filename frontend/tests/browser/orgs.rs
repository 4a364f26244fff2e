//! Organisations against a fake `fetch`: the switcher in the navigation lists them under the name
//! "Organization" and switches the session; each role sees only the buttons it may use
//! (`OrgRole::can`); the invitation link page reads its token, sends a signed-out visitor to sign
//! in and back, and accepts for a signed-in one.

use chrono::{TimeZone, Utc};
use frontend::{
    app::Route,
    components::{OrgSwitcher, RequireAuth},
    forms,
    pages::{Dashboard, Invite, Keys, Next, Org, next_route},
    store,
};
use shared::dto::{Invitation, Member, OrgMembership, OrgRole, Organization};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlAnchorElement};
use yew::html;

use super::support::{
    address, button, choose, fake_fetch, fetch_calls, find, focused, has_button, mount,
    mount_routed, select_state, set_address, settle, text, token, token_in_acme, type_into,
};

fn membership(id: i64, name: &str, personal: bool, role: OrgRole) -> OrgMembership {
    OrgMembership {
        organization: Organization {
            id,
            name: name.into(),
            personal,
            created_at: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
        },
        role,
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// The organisations of the user: their personal one (id 1), and Acme (id 2) as an admin.
fn two_orgs() -> String {
    json(&vec![
        membership(1, "Ada", true, OrgRole::Owner),
        membership(2, "Acme", false, OrgRole::Admin),
    ])
}

#[wasm_bindgen_test]
async fn the_switcher_lists_the_orgs_under_its_name_and_switches_the_session() {
    let orgs = two_orgs();
    let switched = json(&token_in_acme("t2", OrgRole::Admin, 500));
    fake_fetch(&format!(
        r#"(method, path) => {{
            if (method === "GET" && path === "/api/orgs") return [200, {orgs:?}];
            if (method === "POST" && path === "/api/orgs/2/switch") return [200, {switched:?}];
            return [404, '{{"error":{{"code":"not_found","message":"route not found"}}}}'];
        }}"#
    ));
    store::signed_in(token("t", 3));
    let root = mount::<OrgSwitcher>(()).await;

    assert_eq!(
        text(&find(&root, "label[for=org-switcher]")),
        "Organization",
        "the select's accessible name"
    );
    let (chosen, options) = select_state(&root, "org-switcher");
    assert_eq!(options, ["Ada", "Acme"]);
    assert_eq!(chosen, "1", "the organisation acted in");

    choose(&root, "org-switcher", "2");
    settle().await;

    let session = store::current();
    assert_eq!(session.access_token(), Some("t2"));
    let user = session.user().unwrap();
    assert_eq!((user.organization.id, user.credits), (2, 500));
    assert_eq!(select_state(&root, "org-switcher").0, "2");
    assert_eq!(
        fetch_calls(),
        [
            "GET /api/orgs Bearer t",
            "POST /api/orgs/2/switch Bearer t",
            // Listed again for the organisation now acted in.
            "GET /api/orgs Bearer t2",
        ]
    );
}

#[wasm_bindgen_test]
async fn a_refused_switch_says_why_and_shows_the_organisation_still_acted_in() {
    let orgs = two_orgs();
    fake_fetch(&format!(
        r#"(method, path) => method === "GET"
            ? [200, {orgs:?}]
            : [403, '{{"error":{{"code":"forbidden","message":"you are not a member of this organization"}}}}']"#
    ));
    store::signed_in(token("t", 3));
    let root = mount::<OrgSwitcher>(()).await;

    choose(&root, "org-switcher", "2");
    settle().await;

    assert_eq!(
        text(&find(&root, "[role=alert]")),
        "You are not a member of this organization"
    );
    assert_eq!(select_state(&root, "org-switcher").0, "1");
    assert_eq!(store::current().access_token(), Some("t"));
}

/// Members of Acme: Bob the owner, Ada (the user, id 7) with `role`, Carol a developer.
fn acme_members(role: OrgRole) -> String {
    let member = |user_id, email: &str, role| Member {
        user_id,
        email: email.into(),
        role,
        joined_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
    };
    json(&vec![
        member(9, "bob@example.com", OrgRole::Owner),
        member(7, "ada@example.com", role),
        member(11, "carol@example.com", OrgRole::Developer),
    ])
}

/// The org page of Acme for a user with `role`, its members and one pending invitation served.
async fn org_page_as(role: OrgRole) -> super::support::Mounted<super::support::Routed> {
    let members = acme_members(role);
    let invitations = json(&vec![Invitation {
        id: 4,
        email: "dan@example.com".into(),
        role: OrgRole::Billing,
        invited_by: Some("bob@example.com".into()),
        created_at: Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap(),
        expires_at: Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap(),
    }]);
    fake_fetch(&format!(
        r#"(method, path) => {{
            if (path === "/api/orgs/2/members") return [200, {members:?}];
            if (path === "/api/orgs/2/invitations") return [200, {invitations:?}];
            return [404, '{{"error":{{"code":"not_found","message":"route not found"}}}}'];
        }}"#
    ));
    store::signed_in(token_in_acme("t", role, 0));
    mount_routed(html! { <Org /> }).await
}

/// The text of each option of the role select of member `user_id`, or `None` without one.
fn role_choices(root: &Element, user_id: i64) -> Option<Vec<String>> {
    let id = format!("member-{user_id}-role");
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .map(|_| select_state(root, &id).1)
}

#[wasm_bindgen_test]
async fn an_admin_manages_members_but_never_owners() {
    let root = org_page_as(OrgRole::Admin).await;

    assert_eq!(
        text(&find(&root, "[data-testid=page-context]")),
        "Acme · admin"
    );
    assert!(has_button(&root, "Rename"));
    assert_eq!(
        role_choices(&root, 9),
        None,
        "the owner's role is not theirs to change"
    );
    let roles = ["admin", "developer", "billing"].map(String::from).to_vec();
    assert_eq!(
        role_choices(&root, 11),
        Some(roles.clone()),
        "no owner option"
    );
    assert_eq!(role_choices(&root, 7), Some(roles.clone()));
    // Remove Carol, not Bob; leave oneself.
    assert_eq!(
        root.query_selector_all("[data-testid=member-row] button")
            .unwrap()
            .length(),
        2
    );
    assert!(has_button(&root, "Remove") && has_button(&root, "Leave"));
    // Invite with any role but owner; cancel the pending invitation.
    assert_eq!(text(&find(&root, "label[for=invite_email]")), "Email");
    assert_eq!(text(&find(&root, "label[for=invite_role]")), "Role");
    assert_eq!(select_state(&root, "invite_role").1, roles);
    assert!(has_button(&root, "Invite") && has_button(&root, "Cancel"));
    assert!(text(&root).contains("dan@example.com"));
    assert!(has_button(&root, "Create organization"));
    assert!(!has_button(&root, "Delete organization"), "owners only");
    assert_eq!(
        fetch_calls(),
        [
            "GET /api/orgs/2/members Bearer t",
            "GET /api/orgs/2/invitations Bearer t",
        ]
    );
}

#[wasm_bindgen_test]
async fn an_owner_also_makes_owners_and_deletes_the_organisation() {
    let root = org_page_as(OrgRole::Owner).await;

    let all = ["owner", "admin", "developer", "billing"]
        .map(String::from)
        .to_vec();
    assert_eq!(role_choices(&root, 9), Some(all.clone()));
    assert_eq!(select_state(&root, "invite_role").1, all);
    assert!(has_button(&root, "Delete organization"));

    // Deleting asks first; the answer gets the focus.
    button(&root, "Delete organization").click();
    settle().await;
    let focused = focused();
    assert_eq!(
        focused.text_content().unwrap_or_default().trim(),
        "Yes, delete it"
    );
    assert!(
        fetch_calls().iter().all(|c| !c.starts_with("DELETE")),
        "nothing deleted before the answer"
    );
}

#[wasm_bindgen_test]
async fn a_developer_sees_the_members_and_nothing_to_manage() {
    let root = org_page_as(OrgRole::Developer).await;

    assert!(text(&root).contains("bob@example.com"));
    for user_id in [9, 7, 11] {
        assert_eq!(role_choices(&root, user_id), None);
    }
    for hidden in [
        "Rename",
        "Remove",
        "Invite",
        "Cancel",
        "Delete organization",
    ] {
        assert!(!has_button(&root, hidden), "{hidden} is shown");
    }
    assert!(has_button(&root, "Leave"));
    assert!(has_button(&root, "Create organization"));
    assert_eq!(
        fetch_calls(),
        ["GET /api/orgs/2/members Bearer t"],
        "no invitations asked for"
    );
}

#[wasm_bindgen_test]
async fn leaving_the_last_owner_seat_shows_the_api_message() {
    let root = org_page_as(OrgRole::Owner).await;
    fake_fetch(
        r#"() => [409, '{"error":{"code":"conflict","message":"the last owner cannot leave: make another member owner first"}}']"#,
    );

    button(&root, "Leave").click();
    settle().await;
    button(&root, "Yes, leave").click();
    settle().await;

    assert_eq!(
        text(&find(&root, "[data-testid=member-row] [role=alert]")),
        "The last owner cannot leave: make another member owner first"
    );
    assert_eq!(fetch_calls(), ["DELETE /api/orgs/2/members/7 Bearer t"]);
    assert_eq!(store::current().user().unwrap().organization.id, 2);
}

#[wasm_bindgen_test]
async fn an_admin_changes_a_role_invites_and_cancels_in_place() {
    let root = org_page_as(OrgRole::Admin).await;
    let carol = json(&Member {
        user_id: 11,
        email: "carol@example.com".into(),
        role: OrgRole::Billing,
        joined_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap(),
    });
    let invited = json(&Invitation {
        id: 5,
        email: "eve@example.com".into(),
        role: OrgRole::Admin,
        invited_by: Some("ada@example.com".into()),
        created_at: Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap(),
        expires_at: Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap(),
    });
    fake_fetch(&format!(
        r#"(method, path, auth, body) => {{
            if (method === "PATCH") return JSON.parse(body).role === "billing"
                ? [200, {carol:?}] : [400, '{{"error":{{"code":"bad_request","message":"unexpected role"}}}}'];
            if (method === "POST") return JSON.parse(body).role === "admin"
                ? [201, {invited:?}] : [400, '{{"error":{{"code":"bad_request","message":"unexpected role"}}}}'];
            if (method === "DELETE") return [204, ""];
            return [200, "[]"];
        }}"#
    ));

    choose(&root, "member-11-role", "billing");
    settle().await;
    button(&root, "Cancel").click();
    settle().await;
    type_into(&root, "invite_email", "eve@example.com");
    choose(&root, "invite_role", "admin");
    button(&root, "Invite").click();
    settle().await;
    assert!(
        text(&root).contains("Invitation sent to eve@example.com as admin."),
        "{}",
        text(&root)
    );

    assert_eq!(
        fetch_calls(),
        [
            "PATCH /api/orgs/2/members/11 Bearer t",
            "GET /api/orgs/2/members Bearer t",
            "DELETE /api/orgs/2/invitations/4 Bearer t",
            "GET /api/orgs/2/invitations Bearer t",
            "POST /api/orgs/2/invitations Bearer t",
            "GET /api/orgs/2/invitations Bearer t",
        ]
    );
}

#[wasm_bindgen_test]
async fn a_signed_in_page_loads_again_for_the_organisation_switched_to() {
    fake_fetch("() => [200, '[]']");
    store::signed_in(token("t", 0));
    let root = mount_routed(html! { <RequireAuth><Keys /></RequireAuth> }).await;
    assert_eq!(
        text(&find(&root, "[data-testid=page-context]")),
        "Ada · owner"
    );

    // What a switch stores: a new token acting in Acme.
    store::signed_in(token_in_acme("t2", OrgRole::Developer, 0));
    settle().await;

    assert_eq!(
        text(&find(&root, "[data-testid=page-context]")),
        "Acme · developer"
    );
    assert_eq!(
        fetch_calls(),
        [
            "GET /api/keys?limit=20 Bearer t",
            "GET /api/keys?limit=20 Bearer t2"
        ]
    );
}

/// The dashboard's fetches: a balance, no packages, no usage, an empty ledger.
fn serve_dashboard() {
    fake_fetch(
        r#"(method, path) => {
            if (path === "/api/credits") return [200, '{"credits":5}'];
            return [200, '[]'];
        }"#,
    );
}

#[wasm_bindgen_test]
async fn billing_buys_credits_but_does_not_spend_them() {
    serve_dashboard();
    store::signed_in(token_in_acme("t", OrgRole::Billing, 5));
    let root = mount_routed(html! { <Dashboard /> }).await;

    assert_eq!(
        text(&find(&root, "[data-testid=page-context]")),
        "Acme · billing"
    );
    assert!(root.query_selector("#buy").unwrap().is_some());
    assert!(text(&find(&root, "#buy")).contains("the balance of Acme"));
    assert!(root.query_selector("#generate").unwrap().is_none());
    assert!(!has_button(&root, "Generate"));
}

#[wasm_bindgen_test]
async fn a_developer_spends_credits_but_does_not_buy_them() {
    serve_dashboard();
    store::signed_in(token_in_acme("t", OrgRole::Developer, 5));
    let root = mount_routed(html! { <Dashboard /> }).await;

    assert!(has_button(&root, "Generate"));
    assert!(root.query_selector("#buy").unwrap().is_none());
    assert!(!text(&root).contains("Buy more credits"));
    assert!(
        !fetch_calls()
            .iter()
            .any(|c| c.contains("/api/credits/packages")),
        "{:?}",
        fetch_calls()
    );
}

#[wasm_bindgen_test]
async fn billing_is_told_it_does_not_manage_keys_and_none_are_asked_for() {
    fake_fetch("() => [200, '[]']");
    store::signed_in(token_in_acme("t", OrgRole::Billing, 0));
    let root = mount::<Keys>(()).await;

    assert!(
        text(&root).contains("Your role in Acme does not manage API keys"),
        "{}",
        text(&root)
    );
    assert!(!has_button(&root, "Create key"));
    assert!(fetch_calls().is_empty(), "{:?}", fetch_calls());
}

#[wasm_bindgen_test]
async fn a_signed_out_visitor_signs_in_and_comes_back_to_the_invitation() {
    fake_fetch("() => [500, '']");
    store::signed_out();
    let before = set_address("/invite?token=abc%2Bdef");
    let root = mount_routed(html! { <Invite /> }).await;

    assert_eq!(
        address(),
        "/invite",
        "the token is taken out of the address bar"
    );
    let sign_in: HtmlAnchorElement = find(&root, "a[href^='/login']").dyn_into().unwrap();
    assert_eq!(text(&sign_in), "Sign in");
    assert!(root.query_selector("a[href^='/signup']").unwrap().is_some());
    // The `next` of the link leads back to the invitation, with its token whole.
    let next = web_sys::Url::new(&sign_in.href())
        .unwrap()
        .search_params()
        .get("next");
    assert_eq!(next.as_deref(), Some("/invite?token=abc%2Bdef"));
    assert_eq!(
        next_route(next.as_deref()),
        Next::Invitation("abc+def".into())
    );
    assert!(fetch_calls().is_empty());
    drop(root);
    set_address(&before);
}

#[wasm_bindgen_test]
async fn a_signed_in_user_accepts_the_invitation_and_lands_in_the_organisation() {
    let joined = json(&membership(2, "Acme", false, OrgRole::Developer));
    let switched = json(&token_in_acme("t2", OrgRole::Developer, 0));
    fake_fetch(&format!(
        r#"(method, path, auth, body) => {{
            if (path === "/api/invitations/accept")
                return JSON.parse(body).token === "abc"
                    ? [200, {joined:?}]
                    : [400, '{{"error":{{"code":"invalid_token","message":"wrong token"}}}}'];
            if (path === "/api/orgs/2/switch") return [200, {switched:?}];
            return [404, '{{"error":{{"code":"not_found","message":"route not found"}}}}'];
        }}"#
    ));
    store::signed_in(token("t", 0));
    let before = set_address("/invite?token=abc");
    let root = mount_routed(html! { <Invite /> }).await;
    assert!(text(&root).contains("ada@example.com"));

    button(&root, "Accept invitation").click();
    settle().await;

    assert_eq!(
        fetch_calls(),
        [
            "POST /api/invitations/accept Bearer t",
            "POST /api/orgs/2/switch Bearer t",
        ]
    );
    assert_eq!(store::current().user().unwrap().organization.name, "Acme");
    assert_eq!(address(), "/dashboard");
    drop(root);
    set_address(&before);
}

#[wasm_bindgen_test]
async fn a_dead_invitation_shows_the_api_message() {
    fake_fetch(
        r#"() => [400, '{"error":{"code":"invalid_token","message":"this invitation was used, cancelled or has expired"}}']"#,
    );
    store::signed_in(token("t", 0));
    let before = set_address("/invite?token=old");
    let root = mount_routed(html! { <Invite /> }).await;

    button(&root, "Accept invitation").click();
    settle().await;

    assert_eq!(
        text(&find(&root, "[role=alert]")),
        "This invitation was used, cancelled or has expired"
    );
    assert_eq!(store::current().user().unwrap().organization.id, 1);
    drop(root);
    set_address(&before);
}

#[wasm_bindgen_test]
fn next_leads_back_to_our_pages_and_invitations_only() {
    assert_eq!(next_route(Some("/org")), Next::Page(Route::Org));
    assert_eq!(
        next_route(Some("/invite?token=t1")),
        Next::Invitation("t1".into())
    );
    for elsewhere in [
        None,
        Some("/invite"),
        Some("/invite?token="),
        Some("//evil.example/invite?token=t1"),
        Some("https://evil.example/invite?token=t1"),
        Some("/login"),
    ] {
        assert_eq!(
            next_route(elsewhere),
            Next::Page(Route::Dashboard),
            "{elsewhere:?}"
        );
    }
}

#[wasm_bindgen_test]
fn the_org_forms_apply_the_api_rules() {
    assert_eq!(
        forms::org_name("  ").unwrap_err().field("name").as_deref(),
        Some("Organization name is required")
    );
    assert_eq!(forms::org_name("  Acme ").unwrap(), "Acme");
    assert!(forms::org_name(&"a".repeat(101)).is_err());
    assert_eq!(
        forms::invite("bob@", OrgRole::Admin)
            .unwrap_err()
            .field("email")
            .as_deref(),
        Some("Email must look like name@example.com")
    );
    let invitation = forms::invite(" Bob@Example.com ", OrgRole::Billing).unwrap();
    assert_eq!(
        (invitation.email.as_str(), invitation.role),
        ("bob@example.com", OrgRole::Billing)
    );
}
