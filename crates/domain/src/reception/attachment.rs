//! Files attached to a request (an itinerary, a guest list): which kinds are taken — told
//! by the file's own first bytes, never by its name or the type its sender claims — and
//! how a file name is cleaned before it is kept and shown.

/// Largest file, in bytes (10 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Most files on one request.
pub const MAX_ATTACHMENTS: u64 = 20;

/// Longest file name kept, in characters.
pub const MAX_ATTACHMENT_NAME: usize = 120;

/// The content type of a file taken as an attachment, read from its first bytes: PDF,
/// PNG, JPEG, GIF or WebP. `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The file extension that goes with a sniffed content type.
pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "bin",
    }
}

/// A file name as kept: the last part of whatever path came with it, without control
/// characters or characters that are special in file systems and headers, at most
/// [`MAX_ATTACHMENT_NAME`] characters, ending with the extension of its real type. A name
/// with nothing left becomes `attachment.<ext>`.
pub fn clean_name(raw: &str, content_type: &str) -> String {
    let ext = extension(content_type);
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*' | '\u{202e}' | '\u{202d}'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem.trim(),
        _ => cleaned,
    };
    let stem = if stem.is_empty() { "attachment" } else { stem };
    let budget = MAX_ATTACHMENT_NAME.saturating_sub(ext.len() + 1);
    let stem: String = stem.chars().take(budget).collect();
    format!("{}.{ext}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_first_bytes_not_its_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a.."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_name_keeps_its_last_part_and_takes_the_extension_of_its_real_type() {
        assert_eq!(clean_name("C:\\Users\\wang\\行程安排.pdf", "application/pdf"), "行程安排.pdf");
        assert_eq!(clean_name("../../etc/passwd", "image/png"), "passwd.png");
        assert_eq!(clean_name("invoice.exe", "application/pdf"), "invoice.pdf");
        assert_eq!(clean_name("a\u{202e}fdp.exe", "application/pdf"), "afdp.pdf");
        assert_eq!(clean_name("  ", "image/jpeg"), "attachment.jpg");
        assert_eq!(clean_name(".htaccess", "image/gif"), "htaccess.gif");
        let long = "长".repeat(500);
        assert_eq!(clean_name(&long, "application/pdf").chars().count(), MAX_ATTACHMENT_NAME);
    }
}
