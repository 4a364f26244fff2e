//! The forms' validation: the rules of `shared::validate`, applied before any request is sent,
//! and the API's own errors placed next to the field they name.

use frontend::{
    api::ApiError,
    forms::{self, NewKey},
};
use shared::dto::{ErrorCode, LedgerKind, Scope};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn sign_up_applies_the_email_and_password_rules() {
    let refused = forms::sign_up("ada@", "short").unwrap_err();
    assert_eq!(
        refused.field("email").as_deref(),
        Some("Email must look like name@example.com")
    );
    assert_eq!(
        refused.field("password").as_deref(),
        Some("Password must be at least 8 characters")
    );

    let ok = forms::sign_up("  Ada@Example.COM ", "correct horse").unwrap();
    assert_eq!(ok.email, "ada@example.com");
    assert_eq!(ok.password, "correct horse");
    assert!(forms::sign_up("ada@example.com", &"x".repeat(129)).is_err());
}

#[wasm_bindgen_test]
fn sign_in_needs_an_email_and_any_password() {
    let refused = forms::sign_in("", "").unwrap_err();
    assert_eq!(refused.field("email").as_deref(), Some("Email is required"));
    assert_eq!(
        refused.field("password").as_deref(),
        Some("Password is required")
    );
    // An old short password is still sent: the server decides.
    assert!(forms::sign_in("ada@example.com", "short").is_ok());
}

#[wasm_bindgen_test]
fn change_password_checks_the_policy_and_the_confirmation() {
    let refused = forms::change_password(Some(""), "short", "short", false).unwrap_err();
    assert!(refused.field("current_password").is_some());
    assert!(refused.field("new_password").is_some());

    let refused = forms::change_password(
        Some("old password"),
        "new password 1",
        "new password 2",
        false,
    )
    .unwrap_err();
    assert_eq!(
        refused.field("confirm_password").as_deref(),
        Some("The passwords differ")
    );
    let ok =
        forms::change_password(Some("old password"), "new password", "new password", true).unwrap();
    assert_eq!(ok.new_password, "new password");
    assert!(ok.revoke_api_keys);

    // An account without a password sets its first one: no current password to give.
    let first = forms::change_password(None, "new password", "new password", false).unwrap();
    assert_eq!(first.current_password, None);
}

#[wasm_bindgen_test]
fn the_email_forms_apply_the_api_rules() {
    assert_eq!(
        forms::password_reset("ada@")
            .unwrap_err()
            .field("email")
            .as_deref(),
        Some("Email must look like name@example.com")
    );
    assert_eq!(
        forms::password_reset(" Ada@Example.COM ").unwrap().email,
        "ada@example.com"
    );

    assert!(
        forms::reset_password("t", "short", "short")
            .unwrap_err()
            .field("new_password")
            .is_some()
    );
    let refused = forms::reset_password("t", "new password 1", "new password 2").unwrap_err();
    assert_eq!(
        refused.field("confirm_password").as_deref(),
        Some("The passwords differ")
    );
    let ok = forms::reset_password("t", "new password", "new password").unwrap();
    assert_eq!(
        (ok.token.as_str(), ok.new_password.as_str()),
        ("t", "new password")
    );

    let refused = forms::change_email(" ADA@example.com", "", "ada@example.com").unwrap_err();
    assert_eq!(
        refused.field("new_email").as_deref(),
        Some("That is your address already")
    );
    assert_eq!(
        refused.field("current_password").as_deref(),
        Some("Current password is required")
    );
    assert!(
        forms::change_email("nope", "pw", "ada@example.com")
            .unwrap_err()
            .field("new_email")
            .is_some()
    );
    let ok = forms::change_email(" New@Example.com ", "pw", "ada@example.com").unwrap();
    assert_eq!(ok.new_email, "new@example.com");
}

#[wasm_bindgen_test]
fn key_names_scopes_lifetimes_limits_prompts_and_grants_follow_the_api_rules() {
    let all = Scope::ALL;
    let form = NewKey {
        name: "  ci  ",
        scopes: &all,
        expires_in_days: "",
        spend_limit_daily: "",
        spend_limit_monthly: "",
        rate_limit_per_minute: "",
        password: None,
    };
    let made = forms::create_key(&form).unwrap();
    assert_eq!(
        (
            made.name.as_str(),
            made.scopes.as_deref(),
            made.expires_in_days
        ),
        ("ci", Some(&all[..]), None)
    );
    assert_eq!(
        (made.spend_limit_daily, made.spend_limit_monthly),
        (None, None)
    );
    let refused = |form: NewKey| forms::create_key(&form).unwrap_err();
    assert!(
        refused(NewKey {
            name: "   ",
            ..form
        })
        .field("name")
        .is_some()
    );
    assert!(
        forms::create_key(&NewKey {
            name: &"k".repeat(65),
            ..form
        })
        .is_err()
    );
    // At least one scope; a lifetime of 1 to 365 days; limits of at least one credit.
    assert!(
        refused(NewKey {
            scopes: &[],
            ..form
        })
        .field("scopes")
        .is_some()
    );
    let limited = NewKey {
        scopes: &[Scope::CreditsRead],
        expires_in_days: "7",
        spend_limit_daily: "30",
        spend_limit_monthly: " 500 ",
        ..form
    };
    let weekly = forms::create_key(&limited).unwrap();
    assert_eq!(
        (weekly.scopes, weekly.expires_in_days),
        (Some(vec![Scope::CreditsRead]), Some(7))
    );
    assert_eq!(
        (weekly.spend_limit_daily, weekly.spend_limit_monthly),
        (Some(30), Some(500))
    );
    for days in ["0", "366", "soon"] {
        let errors = refused(NewKey {
            expires_in_days: days,
            ..form
        });
        assert!(errors.field("expires_in_days").is_some(), "{days}");
    }
    for credits in ["0", "-1", "lots"] {
        let errors = refused(NewKey {
            spend_limit_daily: credits,
            ..form
        });
        assert!(errors.field("spend_limit_daily").is_some(), "{credits}");
    }
    // Asked for again, the password must be given.
    let asked = refused(NewKey {
        password: Some(""),
        ..form
    });
    assert!(asked.field("password").is_some());
    let again = forms::create_key(&NewKey {
        password: Some("pw"),
        ..form
    })
    .unwrap();
    assert_eq!(again.password.as_deref(), Some("pw"));

    assert!(
        forms::generate_text(" ")
            .unwrap_err()
            .field("prompt")
            .is_some()
    );
    assert!(forms::generate_text(&"p".repeat(4001)).is_err());
    assert_eq!(forms::generate_text(" hi ").unwrap().prompt, "hi");

    let refused = forms::grant_credits("ten", "").unwrap_err();
    assert!(refused.field("amount").is_some() && refused.field("reason").is_some());
    assert!(forms::grant_credits("0", "x").is_err());
    assert_eq!(forms::grant_credits("-5", " refund ").unwrap().amount, -5);
}

#[wasm_bindgen_test]
fn a_key_rate_limit_follows_the_shared_rule() {
    let form = NewKey {
        name: "ci",
        scopes: &Scope::ALL,
        expires_in_days: "",
        spend_limit_daily: "",
        spend_limit_monthly: "",
        rate_limit_per_minute: "",
        password: None,
    };
    let per_minute = |text| {
        forms::create_key(&NewKey {
            rate_limit_per_minute: text,
            ..form
        })
    };
    // Empty: no limit of its own, the field left out of the request.
    let none = per_minute(" ").unwrap();
    assert_eq!(none.rate_limit_per_minute, None);
    assert!(
        !serde_json::to_string(&none)
            .unwrap()
            .contains("rate_limit_per_minute")
    );

    assert_eq!(per_minute(" 60 ").unwrap().rate_limit_per_minute, Some(60));
    assert_eq!(
        per_minute("1000000").unwrap().rate_limit_per_minute,
        Some(1_000_000)
    );
    // Refused with the message the API gives, from the same rule, next to the field.
    for text in ["0", "1000001", "-5"] {
        let refused = per_minute(text).unwrap_err();
        let expected = shared::validate::rate_limit(Some(text.parse().unwrap())).unwrap_err();
        assert_eq!(
            refused.field("rate_limit_per_minute").as_deref(),
            Some(forms::capitalise(&expected.message).as_str()),
            "{text}"
        );
    }
    let refused = per_minute("fast").unwrap_err();
    assert_eq!(
        refused.field("rate_limit_per_minute").as_deref(),
        Some("Rate_limit_per_minute must be a whole number")
    );
}

#[wasm_bindgen_test]
fn api_errors_go_next_to_their_field_or_on_the_form() {
    let body =
        r#"{"error":{"code":"validation_error","message":"key name is required","field":"name"}}"#;
    let error = ApiError::from_response(400, body);
    assert_eq!(error.code, ErrorCode::ValidationError);
    let placed = forms::FormErrors::from_api(&error, &["name"]);
    assert_eq!(
        placed.field("name").as_deref(),
        Some("Key name is required")
    );
    assert!(placed.general().is_none());

    // A field this form does not have, or none: the message goes on the form.
    let placed = forms::FormErrors::from_api(&error, &["prompt"]);
    assert_eq!(placed.general().as_deref(), Some("Key name is required"));
    let error = ApiError::from_response(
        402,
        r#"{"error":{"code":"insufficient_credits","message":"not enough credits: buy more to continue"}}"#,
    );
    assert_eq!(
        forms::FormErrors::from_api(&error, &["prompt"])
            .general()
            .as_deref(),
        Some("Not enough credits: buy more to continue")
    );

    // Not the contract's JSON (a proxy's HTML page): a readable message all the same.
    let error = ApiError::from_response(502, "<html>Bad Gateway</html>");
    assert_eq!(error.code, ErrorCode::NotReady);
}

#[wasm_bindgen_test]
fn prices_numbers_and_ledger_reasons_read_well() {
    use frontend::format;
    assert_eq!(format::price(500, "usd"), "$5.00");
    assert_eq!(format::price(3_000_000, "eur"), "€30,000.00");
    assert_eq!(format::unit_price(500, 100, "usd"), "$0.05 per credit");
    assert_eq!(format::unit_price(1000, 300, "usd"), "$0.03 per credit");
    assert_eq!(format::unit_price(300, 1000, "gbp"), "£0.003 per credit");
    assert_eq!(
        format::unit_price(12_345, 1, "xyz"),
        "123.45 XYZ per credit"
    );
    assert_eq!(format::int(-1_234_567), "-1,234,567");
    assert_eq!(format::delta(100), "+100");
    let route = || "POST /api/generate-text".to_owned();
    for (kind, shown) in [
        (
            LedgerKind::Purchase {
                package_id: "starter".into(),
            },
            "Purchase · starter pack",
        ),
        (
            LedgerKind::Grant {
                note: "welcome".into(),
            },
            "Admin grant · welcome",
        ),
        (
            LedgerKind::Spend { route: route() },
            "POST /api/generate-text",
        ),
        (
            LedgerKind::Refund {
                refunded_entry_id: 7,
                route: route(),
            },
            "Refund · POST /api/generate-text",
        ),
    ] {
        assert_eq!(format::movement(&kind), shown);
    }
}
