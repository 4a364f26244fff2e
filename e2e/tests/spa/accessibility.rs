//! axe-core on every page of the SPA, signed out and signed in (an admin sees them all): no
//! serious or critical violation. A screenshot of each page as checked.

use crate::{
    browser::{Browser, Result},
    run,
    server::Server,
    sign_in,
};

const ADMIN: (&str, &str) = ("root@example.com", "root's password 1");

/// Pages open to anyone, with the heading each shows once rendered. The emailed links' pages
/// without a token show their error state.
const PUBLIC_PAGES: &[(&str, &str)] = &[
    ("/", "Text generation, paid by the call."),
    ("/signup", "Create your account"),
    ("/login", "Sign in to your account"),
    ("/forgot-password", "Forgot your password?"),
    ("/reset-password", "Set a new password"),
    ("/verify-email", "Verify your email"),
    ("/confirm-email", "Confirm your new email"),
    ("/invite", "Join an organization"),
    ("/no-such-page", "Page not found"),
];

const SIGNED_IN_PAGES: &[(&str, &str)] = &[
    ("/dashboard", "Dashboard"),
    ("/keys", "API keys"),
    ("/tasks", "Tasks"),
    ("/account", "Account"),
    ("/org", "Organization"),
    ("/admin", "Admin"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_violation_on_any_page() {
    run("accessibility", every_page).await;
}

async fn every_page(b: &mut Browser, server: &Server) -> Result {
    check_pages(b, server, PUBLIC_PAGES).await?;
    server.create_admin(ADMIN.0, ADMIN.1).await;
    sign_in(b, server, ADMIN.0, ADMIN.1).await?;
    check_pages(b, server, SIGNED_IN_PAGES).await
}

async fn check_pages(b: &mut Browser, server: &Server, pages: &[(&str, &str)]) -> Result {
    for (path, heading) in pages {
        b.goto(&server.url(path)).await?;
        b.wait_for(&format!("//h1[normalize-space()='{heading}']"))
            .await?;
        // Whatever the page loads first (packages, keys, users) is on it.
        b.wait_for("//main[not(.//*[@role='status' and contains(., '…')])]")
            .await?;
        b.check_accessibility().await?;
        let name = match path.trim_start_matches('/') {
            "" => "landing",
            name => name,
        };
        b.screenshot(name).await?;
    }
    Ok(())
}
