//! Ed25519 keys that sign access tokens: read from PEM (PKCS#8, what `openssl genpkey -algorithm
//! ed25519` writes), or made up once in dev and kept in `data/`.

use std::{
    fmt,
    io::{self, Write},
    path::Path,
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding};
use jsonwebtoken::{
    DecodingKey, EncodingKey,
    jwk::{
        AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, KeyAlgorithm,
        OctetKeyPairParameters, OctetKeyPairType, PublicKeyUse,
    },
};
use sha2::{Digest, Sha256};

/// Where dev mode keeps the key it generated, so access tokens survive a restart.
pub const DEV_KEY_FILE: &str = "data/jwt-signing-key.pem";

const PEM_END: &str = "-----END PRIVATE KEY-----";

/// One signing key: the private half signs, the public half verifies and is published (JWKS)
/// under its `kid`, the key's RFC 7638 thumbprint (the same key always has the same id).
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    /// The public key as a JWK, with `kid`, `alg` and `use`.
    pub jwk: Jwk,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    fn from_dalek(key: &ed25519_dalek::SigningKey) -> Result<Self, String> {
        let der = key
            .to_pkcs8_der()
            .map_err(|e| format!("cannot encode the key: {e}"))?;
        let x = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
        // RFC 7638: SHA-256 of the required members, in lexicographic order, without spaces.
        let thumbprint = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(thumbprint.as_bytes()));
        let jwk = Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(KeyAlgorithm::EdDSA),
                key_id: Some(kid.clone()),
                ..CommonParameters::default()
            },
            algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                key_type: OctetKeyPairType::OctetKeyPair,
                curve: EllipticCurve::Ed25519,
                x,
            }),
        };
        let decoding = DecodingKey::from_jwk(&jwk)
            .map_err(|e| format!("cannot read the key's public half: {e}"))?;
        Ok(Self {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            decoding,
            jwk,
        })
    }

    /// One PKCS#8 PEM document holding an Ed25519 private key.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let key = ed25519_dalek::SigningKey::from_pkcs8_pem(pem.trim()).map_err(|_| {
            "is not an Ed25519 private key in PKCS#8 PEM (make one with: openssl genpkey \
             -algorithm ed25519)"
                .to_owned()
        })?;
        Self::from_dalek(&key)
    }

    /// Every `-----BEGIN PRIVATE KEY-----` block of `text`, in order; at least one.
    pub fn all_from_pem(text: &str) -> Result<Vec<Self>, String> {
        let blocks: Vec<&str> = text
            .split_inclusive(PEM_END)
            .map(str::trim)
            .filter(|block| !block.is_empty())
            .collect();
        if blocks.is_empty() {
            return Err("holds no key".to_owned());
        }
        blocks
            .iter()
            .enumerate()
            .map(|(i, block)| Self::from_pem(block).map_err(|e| format!("key {}: {e}", i + 1)))
            .collect()
    }

    /// A new random key and its PEM document.
    pub fn generate() -> Result<(Self, String), String> {
        use rand::RngCore;
        let mut seed = ed25519_dalek::SecretKey::default();
        rand::rng().fill_bytes(&mut seed);
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| format!("cannot encode the key: {e}"))?;
        Ok((Self::from_dalek(&key)?, pem.to_string()))
    }

    /// Dev mode's key: the one in `path`, or a new one written there (owner-only permissions;
    /// created next to it and linked into place, so two servers starting at once agree on one).
    pub fn dev_key(path: &Path) -> io::Result<Self> {
        let invalid = |e: String| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        };
        match std::fs::read_to_string(path) {
            Ok(pem) => return Self::from_pem(&pem).map_err(invalid),
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
        let (key, pem) = Self::generate().map_err(invalid)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let draft = dir.join(format!(".jwt-signing-key.{}.tmp", std::process::id()));
        write_private(&draft, pem.as_bytes())?;
        let linked = std::fs::hard_link(&draft, path);
        std::fs::remove_file(&draft)?;
        match linked {
            Ok(()) => Ok(key),
            // Another server got there first: use its key.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Self::from_pem(&std::fs::read_to_string(path)?).map_err(invalid)
            }
            Err(e) => Err(e),
        }
    }
}

/// `bytes` in a new file only its owner may read.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_pem_with_a_stable_kid() {
        let (key, pem) = SigningKey::generate().unwrap();
        let again = SigningKey::from_pem(&pem).unwrap();
        assert_eq!(key.kid, again.kid);
        assert_eq!(key.kid.len(), 43, "a base64url SHA-256 thumbprint");
    }

    #[test]
    fn the_kid_is_the_rfc_7638_thumbprint() {
        // RFC 8037, appendix A.3: the thumbprint of the key of appendix A.1.
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
                   -----END PRIVATE KEY-----";
        let key = SigningKey::from_pem(pem).unwrap();
        assert_eq!(key.kid, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    #[test]
    fn several_blocks_are_read_in_order_and_junk_is_refused() {
        let (first, a) = SigningKey::generate().unwrap();
        let (second, b) = SigningKey::generate().unwrap();
        let keys = SigningKey::all_from_pem(&format!("{a}\n{b}")).unwrap();
        let kids: Vec<_> = keys.iter().map(|k| k.kid.as_str()).collect();
        assert_eq!(kids, [first.kid.as_str(), second.kid.as_str()]);
        assert!(SigningKey::all_from_pem("  ").is_err());
        let broken = SigningKey::all_from_pem(&format!("{a}\nnot a key")).unwrap_err();
        assert!(broken.starts_with("key 2:"), "{broken}");
    }

    #[test]
    fn the_dev_key_is_made_once_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/key.pem");
        let made = SigningKey::dev_key(&path).unwrap();
        let kept = SigningKey::dev_key(&path).unwrap();
        assert_eq!(made.kid, kept.kid);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
