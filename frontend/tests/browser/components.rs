//! Rendered components: the auth forms refuse bad input in place (no request sent), with
//! labelled fields and errors tied to them, and send once however often submitted; the usage
//! chart draws every day.

use chrono::NaiveDate;
use frontend::components::{
    auth_form::{AuthForm, AuthFormProps, AuthMode},
    usage_chart::{UsageChart, UsageChartProps},
};
use shared::dto::UsageDay;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use super::support::{
    button, fake_fetch, fetch_calls, find, focused, render, settle, text, type_into,
};

#[wasm_bindgen_test]
async fn the_sign_up_form_refuses_bad_input_without_a_request() {
    fake_fetch("() => [500, '']");
    let root = render::<AuthForm>(AuthFormProps {
        mode: AuthMode::SignUp,
    })
    .await;

    // Labelled fields, the accessible names the design asks for.
    assert_eq!(
        text(&root.query_selector("label[for=email]").unwrap().unwrap()),
        "Email"
    );
    assert_eq!(
        text(&root.query_selector("label[for=password]").unwrap().unwrap()),
        "Password"
    );

    type_into(&root, "email", "not-an-email");
    type_into(&root, "password", "short");
    button(&root, "Sign up").click();
    settle().await;

    let page = text(&root);
    assert!(
        page.contains("Email must look like name@example.com"),
        "{page}"
    );
    assert!(
        page.contains("Password must be at least 8 characters"),
        "{page}"
    );
    let email = find(&root, "#email");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        email.get_attribute("aria-describedby").as_deref(),
        Some("email-error")
    );
    let focused = focused();
    assert_eq!(
        focused.id(),
        "email",
        "focus goes to the first field to fix"
    );
    assert!(
        fetch_calls().is_empty(),
        "nothing was sent: {:?}",
        fetch_calls()
    );
}

/// The sign-in form, filled in, against an API that refuses the password.
async fn sign_in_form_with_a_wrong_password() -> Element {
    fake_fetch(
        r#"() => [401, '{"error":{"code":"invalid_credentials","message":"invalid email or password"}}']"#,
    );
    let root = render::<AuthForm>(AuthFormProps {
        mode: AuthMode::SignIn,
    })
    .await;
    type_into(&root, "email", "ada@example.com");
    type_into(&root, "password", "wrong password");
    root
}

#[wasm_bindgen_test]
async fn the_sign_in_form_shows_the_api_error_on_the_form() {
    let root = sign_in_form_with_a_wrong_password().await;
    button(&root, "Sign in").click();
    settle().await;

    assert_eq!(fetch_calls(), ["POST /api/auth/login"]);
    let alert = find(&root, "[role=alert]");
    assert_eq!(text(&alert), "Invalid email or password");
    // Fixing the input clears nothing by itself; the button is usable again.
    let submit: web_sys::HtmlButtonElement = button(&root, "Sign in").dyn_into().unwrap();
    assert!(!submit.disabled());
}

#[wasm_bindgen_test]
async fn a_form_submitted_again_while_its_request_is_in_flight_sends_once() {
    let root = sign_in_form_with_a_wrong_password().await;

    // Enter pressed twice: two submit events before the first answer.
    let form = find(&root, "form");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    for _ in 0..2 {
        let submit = web_sys::Event::new_with_event_init_dict("submit", &init).unwrap();
        form.dispatch_event(&submit).unwrap();
    }
    settle().await;

    assert_eq!(fetch_calls(), ["POST /api/auth/login"]);
    assert_eq!(
        text(&find(&root, "[role=alert]")),
        "Invalid email or password"
    );
}

#[wasm_bindgen_test]
async fn the_usage_chart_draws_every_day_and_the_totals() {
    let start = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
    let days: Vec<UsageDay> = (0..30)
        .map(|i| UsageDay {
            date: start + chrono::Days::new(i),
            spent: if i == 29 { 3 } else { 0 },
            purchased: if i == 28 { 100 } else { 0 },
        })
        .collect();
    let root = render::<UsageChart>(UsageChartProps { days }).await;

    let bars = |series: &str| {
        root.query_selector_all(&format!("[data-testid=usage-{series}-bars] rect"))
            .unwrap()
            .length()
    };
    assert_eq!(bars("spent"), 30);
    assert_eq!(bars("bought"), 30);
    assert_eq!(text(&find(&root, "[data-testid=usage-spent]")), "3");
    assert_eq!(text(&find(&root, "[data-testid=usage-bought]")), "100");
    let page = text(&root);
    assert!(page.contains("Oct 25") && page.contains("Nov 23"), "{page}");
}
