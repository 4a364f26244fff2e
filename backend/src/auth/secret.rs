//! Random secrets (API keys, refresh tokens) and the form they are stored in.

/// Hex SHA-256: the stored form of API keys and refresh tokens (high-entropy secrets, for which
/// a fast hash is right and bcrypt would cost ~100 ms a request).
pub fn sha256_hex(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// `len` random letters and digits (~5.95 bits each) from the OS-seeded CSPRNG.
pub fn random_token(len: usize) -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
