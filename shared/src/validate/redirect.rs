//! Where the app may send a browser after signing in: a path of this site, never another site.

use super::ValidationError;

pub const NEXT_PATH_MAX_LEN: usize = 2048;

/// A `next` path (`/login?next=`, `/api/auth/oauth/{provider}/start?next=`): starts with a single
/// `/`, so `//evil.example` and `/\evil.example` (which browsers read as another host) are
/// refused, as are control characters and anything longer than [`NEXT_PATH_MAX_LEN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPath(String);

impl NextPath {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if Self::is_valid(raw) {
            return Ok(Self(raw.to_owned()));
        }
        let why = if raw.len() > NEXT_PATH_MAX_LEN {
            format!("must be at most {NEXT_PATH_MAX_LEN} bytes")
        } else {
            "must be a path on this site: one / first, no control characters".to_owned()
        };
        Err(ValidationError::new("next", format!("next {why}")))
    }

    /// The rule alone, for a caller that only needs yes or no (the SPA, which falls back to the
    /// dashboard and carries no messages).
    pub fn is_valid(raw: &str) -> bool {
        raw.len() <= NEXT_PATH_MAX_LEN
            && raw.starts_with('/')
            && !raw.starts_with("//")
            && !raw.starts_with("/\\")
            && !raw.chars().any(char::is_control)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site() {
        for good in ["/", "/dashboard", "/keys?page=2#x", "/a//b"] {
            assert_eq!(NextPath::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "dashboard",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a\nb",
            "/\tx",
        ] {
            assert_eq!(NextPath::parse(bad).unwrap_err().field, "next", "{bad:?}");
        }
        assert!(NextPath::parse(&format!("/{}", "a".repeat(NEXT_PATH_MAX_LEN))).is_err());
    }
}
