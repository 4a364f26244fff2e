//! Attachment rules: the file's name, and the types a file may be.

use super::ValidationError;

pub const ATTACHMENT_NAME_MAX_LEN: usize = 255;
/// The form field an upload's file comes in.
pub const ATTACHMENT_FIELD: &str = "file";

/// What a file may be, by its content: images, PDF and plain text. A type not listed is 415,
/// whatever the file's name or the client's `Content-Type` say.
pub const ALLOWED_CONTENT_TYPES: [&str; 6] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
];

/// An uploaded file's name: 1 to 255 characters after trimming, a name alone (no `/`, `\`, `.`
/// or `..`: nothing a path could be made of), no control characters.
pub fn attachment_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    let refuse = |message: &str| Err(ValidationError::new(ATTACHMENT_FIELD, message));
    if name.is_empty() {
        return refuse("the file needs a name");
    }
    if name.chars().count() > ATTACHMENT_NAME_MAX_LEN {
        return Err(ValidationError::new(
            ATTACHMENT_FIELD,
            format!("the file's name must be at most {ATTACHMENT_NAME_MAX_LEN} characters"),
        ));
    }
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return refuse("the file's name must be a name alone, without / or \\");
    }
    if name.chars().any(char::is_control) {
        return refuse("the file's name must not contain control characters");
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_names_alone() {
        assert_eq!(attachment_name(" report.pdf ").as_deref(), Ok("report.pdf"));
        assert_eq!(attachment_name("..hidden").as_deref(), Ok("..hidden"));
        for bad in [
            "",
            "  ",
            "../../etc/passwd",
            "a/b.txt",
            "C:\\x.txt",
            "..",
            ".",
            "a\nb",
        ] {
            let err = attachment_name(bad).unwrap_err();
            assert_eq!(err.field, "file", "{bad:?}");
        }
        assert!(attachment_name(&"x".repeat(256)).is_err());
    }
}
