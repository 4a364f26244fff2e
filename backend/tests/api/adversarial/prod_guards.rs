//! Unsafe settings stop the binary before it listens, with one line naming the variable: a JWT
//! secret anyone could brute-force (in either mode), a cheap password hash in production.
//!
//! (Elsewhere: a missing secret in prod in ops/startup.rs; no free credits and a Secure refresh
//! cookie in prod in ops/prod_mode.rs; no Secure cookie in dev in auth/succeeds.rs; HSTS in prod
//! in ops/security_headers.rs.)

use crate::helpers::*;

const GOOD_SECRET: &str = "a-production-secret-of-at-least-32-bytes";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_secrets_and_hashes_stop_start_up() {
    let short_secret = "s".repeat(31);
    let cases: [(&str, &[(&str, &str)]); 3] = [
        (
            "JWT_SECRET",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "10"),
                ("JWT_SECRET", &short_secret),
            ],
        ),
        (
            "JWT_SECRET",
            &[("APP_MODE", "dev"), ("JWT_SECRET", &short_secret)],
        ),
        (
            "BCRYPT_COST",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "9"),
                ("JWT_SECRET", GOOD_SECRET),
            ],
        ),
    ];
    for (variable, settings) in cases {
        let output = ServerProcess::assert_start_refused(settings, variable).await;
        assert!(
            !output.to_string().contains(&short_secret),
            "the refused secret was printed:\n{output}"
        );
    }
}
