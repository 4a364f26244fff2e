//! What a file is, from its first bytes: the client's `Content-Type` and the file's extension
//! are the sender's claims, and an HTML page named `photo.png` must not be served as anything.

use shared::validate::ALLOWED_CONTENT_TYPES;

/// How many leading bytes are enough to tell every allowed type.
pub const SNIFF_LEN: usize = 512;

/// The allowed type the bytes are, or `None`. Text is text when nothing else matched and the
/// bytes are UTF-8 without NUL (a character cut at the end of the sample is allowed).
pub fn content_type(head: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        return ALLOWED_CONTENT_TYPES
            .into_iter()
            .find(|allowed| *allowed == kind.mime_type());
    }
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() >= SNIFF_LEN,
    };
    (text && !head.contains(&0) && !looks_like_markup(head)).then_some("text/plain")
}

/// HTML or SVG, which a browser would run as a page: never "plain text".
fn looks_like_markup(head: &[u8]) -> bool {
    let start = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    ["<!doctype", "<html", "<svg", "<?xml", "<script"]
        .iter()
        .any(|tag| start.starts_with(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(content_type(png), Some("image/png"));
        assert_eq!(content_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(content_type(b"hello, world\n"), Some("text/plain"));
        assert_eq!(content_type("héllo".as_bytes()), Some("text/plain"));
        // Not allowed, whatever the file is called: an executable, a zip, markup, binary junk.
        assert_eq!(content_type(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(content_type(b"PK\x03\x04\x14\0\0\0"), None);
        assert_eq!(content_type(b"  <!DOCTYPE html><html>"), None);
        assert_eq!(
            content_type(b"<svg xmlns='http://www.w3.org/2000/svg'>"),
            None
        );
        assert_eq!(content_type(b"\0\x01\x02text"), None);
        assert_eq!(content_type(&[0xff, 0xfe, 0x41]), None);
    }
}
