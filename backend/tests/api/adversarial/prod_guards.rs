//! Unsafe settings stop the binary before it listens, with one line naming the variable: a
//! signing key that is not an Ed25519 private key (in either mode, and never echoed), a cheap
//! password hash in production.
//!
//! (Elsewhere: missing keys in prod in ops/startup.rs; no free credits and a Secure refresh
//! cookie in prod in ops/prod_mode.rs; no Secure cookie in dev in auth/succeeds.rs; HSTS in prod
//! in ops/security_headers.rs.)

use crate::helpers::*;

const PUBLIC_URL: (&str, &str) = ("PUBLIC_URL", "https://app.example.com");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signing_keys_and_weak_hashes_stop_start_up() {
    // What someone used to HS256 might paste: a shared secret, which is no key (nor a file).
    let hmac_secret = "an-hs256-secret-of-at-least-32-bytes";
    let not_ed25519 = "-----BEGIN PRIVATE KEY-----\nbm90IGFuIGVkMjU1MTkga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----";
    let cases: [(&str, &[(&str, &str)]); 4] = [
        (
            "JWT_SIGNING_KEYS",
            &[
                ("APP_MODE", "prod"),
                ("BCRYPT_COST", "10"),
                PUBLIC_URL,
                ("JWT_SIGNING_KEYS", hmac_secret),
            ],
        ),
        (
            "JWT_SIGNING_KEYS",
            &[("APP_MODE", "dev"), ("JWT_SIGNING_KEYS", hmac_secret)],
        ),
        (
            "JWT_SIGNING_KEYS",
            &[("APP_MODE", "dev"), ("JWT_SIGNING_KEYS", not_ed25519)],
        ),
        (
            "BCRYPT_COST",
            &[("APP_MODE", "prod"), ("BCRYPT_COST", "9"), PUBLIC_URL],
        ),
    ];
    for (variable, settings) in cases {
        let output = ServerProcess::assert_start_refused(settings, variable).await;
        for secret in [hmac_secret, "bm90IGFuIGVkMjU1MTkga2V5"] {
            assert!(
                !output.to_string().contains(secret),
                "the refused key was printed:\n{output}"
            );
        }
    }
}
