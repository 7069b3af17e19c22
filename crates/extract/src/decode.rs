//! Bytes to text: BOM, declared charset (HTTP header, `<meta>`), then sniffing.

use encoding_rs::{Encoding, UTF_8};
use warta_core::{ExtractError, RawDoc, Warning};

/// A document decoded to UTF-8.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// Borrowed from the input when it already is valid UTF-8 (the common case).
    pub(crate) text: std::borrow::Cow<'a, str>,
    pub(crate) is_html: bool,
    pub(crate) warning: Option<Warning>,
}

/// Decodes `doc.bytes` to text and decides whether it is HTML.
pub(crate) fn decode(doc: &RawDoc) -> Result<Decoded<'_>, ExtractError> {
    let bytes = &doc.bytes[..];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty {
            input: doc.input.clone(),
        });
    }
    let mut warning = None;
    // 1. Byte-order mark.
    let (encoding, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..])
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc, bytes)
    } else {
        if let Some(reason) = binary_reason(bytes) {
            return Err(ExtractError::NotText {
                input: doc.input.clone(),
                reason,
            });
        }
        // 2. Declared: HTTP header, then <meta charset> in the first 4 KiB.
        let declared = doc
            .content_type
            .as_deref()
            .and_then(charset_from_content_type)
            .or_else(|| charset_from_meta(&bytes[..bytes.len().min(4096)]));
        // Validated once: most pages are UTF-8 and are then borrowed as they are.
        let utf8 = if declared.is_none_or(|enc| enc == UTF_8) {
            std::str::from_utf8(bytes).ok()
        } else {
            None
        };
        if let Some(text) = utf8 {
            let is_html = looks_like_html(text);
            return Ok(Decoded {
                text: std::borrow::Cow::Borrowed(text),
                is_html,
                warning,
            });
        }
        match declared {
            Some(enc) if enc == UTF_8 => {
                // Declared UTF-8 but it is not: sniff instead and say so.
                let enc = sniff(bytes);
                warning = Some(Warning {
                    code: "encoding_mismatch".into(),
                    message: format!(
                        "declared UTF-8 but the bytes are not; decoded as {}",
                        enc.name()
                    ),
                });
                (enc, bytes)
            }
            Some(enc) => (enc, bytes),
            None => {
                let enc = sniff(bytes);
                warning = Some(Warning {
                    code: "encoding_guessed".into(),
                    message: format!("no charset declared; guessed {}", enc.name()),
                });
                (enc, bytes)
            }
        }
    };
    if encoding == UTF_8 {
        if let Ok(text) = std::str::from_utf8(body) {
            let is_html = looks_like_html(text);
            return Ok(Decoded {
                text: std::borrow::Cow::Borrowed(text),
                is_html,
                warning,
            });
        }
    }
    let (text, _, had_errors) = encoding.decode(body);
    if had_errors && warning.is_none() {
        warning = Some(Warning {
            code: "encoding_errors".into(),
            message: format!(
                "some bytes are not valid {}; replaced with U+FFFD",
                encoding.name()
            ),
        });
    }
    let text = std::borrow::Cow::Owned(text.into_owned());
    let is_html = looks_like_html(&text);
    Ok(Decoded {
        text,
        is_html,
        warning,
    })
}

/// UTF-16 without a BOM: many NUL bytes in alternating positions.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(1024) & !1;
    if n < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in bytes[..n].chunks_exact(2) {
        if pair[0] == 0 {
            even += 1;
        }
        if pair[1] == 0 {
            odd += 1;
        }
    }
    let half = n / 2;
    if odd * 10 > half * 7 && even * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > half * 7 && odd * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Why the bytes are not text, if they are not.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "gzip data that could not be decompressed"),
        (b"\x7fELF", "an executable"),
        (b"RIFF", "a RIFF media file"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Some((*what).to_string());
        }
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if control * 100 > sample.len() * 5 {
        return Some(format!(
            "{control} control bytes in the first {} bytes",
            sample.len()
        ));
    }
    None
}

fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    let lower = ct.to_ascii_lowercase();
    let pos = lower.find("charset=")?;
    let rest = lower[pos + 8..].trim_start_matches(['"', '\'']);
    let end = rest.find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace());
    Encoding::for_label(&rest.as_bytes()[..end.unwrap_or(rest.len())])
}

/// Finds `<meta charset=…>` or `<meta http-equiv=Content-Type content="…; charset=…">`.
fn charset_from_meta(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"charset") {
        let at = from + i + 7;
        let rest = &lower[at..];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        if let Some(rest) = rest.strip_prefix(b"=") {
            let rest: &[u8] = {
                let mut r = rest;
                while let Some((first, tail)) = r.split_first() {
                    if matches!(first, b'"' | b'\'' | b' ') {
                        r = tail;
                    } else {
                        break;
                    }
                }
                r
            };
            let end = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/'))
                .unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..end]) {
                // A page that is really UTF-16 cannot say so in ASCII; HTML says treat as UTF-8.
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return Some(UTF_8);
                }
                return Some(enc);
            }
        }
        from = at;
    }
    None
}

fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new();
    det.feed(
        &bytes[..bytes.len().min(64 * 1024)],
        bytes.len() <= 64 * 1024,
    );
    det.guess(None, true)
}

/// True when the text is markup rather than a plain-text dump.
fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text[..end].to_ascii_lowercase();
    let t = head.trim_start();
    if t.starts_with("<!doctype html") || t.starts_with("<html") || t.starts_with("<?xml") {
        return true;
    }
    [
        "<html", "<head", "<body", "<div", "<p>", "<p ", "<meta", "<article", "<title", "<br",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(bytes: &[u8]) -> RawDoc {
        RawDoc {
            input: "t".into(),
            bytes: bytes.to_vec(),
            ..RawDoc::default()
        }
    }

    #[test]
    fn declared_windows_1252_is_honoured() {
        let raw = doc(b"<meta charset=windows-1252><p>caf\xe9 \x93quoted\x94</p>");
        let d = decode(&raw).unwrap();
        assert!(d.text.contains("café “quoted”"), "{}", d.text);
        assert!(d.is_html);
        assert!(d.warning.is_none());
    }

    #[test]
    fn undeclared_latin1_is_sniffed_with_a_warning() {
        let raw = doc(b"Le caf\xe9 est ferm\xe9 aujourd'hui \xe0 Paris.");
        let d = decode(&raw).unwrap();
        assert!(d.text.contains("café"), "{}", d.text);
        assert!(!d.is_html);
        assert_eq!(d.warning.unwrap().code, "encoding_guessed");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "<p>Halo dunia, apa kabar?</p>";
        let mut le: Vec<u8> = vec![0xff, 0xfe];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&doc(&le)).unwrap().text, s);
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&doc(&be)).unwrap().text, s);
    }

    #[test]
    fn binary_and_empty_inputs_are_errors() {
        assert!(matches!(
            decode(&doc(b"\x89PNG\r\n\x1a\n")),
            Err(ExtractError::NotText { .. })
        ));
        assert!(matches!(
            decode(&doc(b"\x00\x01\x02\x03\x04\x05ab\x06")),
            Err(ExtractError::NotText { .. })
        ));
        assert!(matches!(
            decode(&doc(b"  \n ")),
            Err(ExtractError::Empty { .. })
        ));
    }

    #[test]
    fn content_type_charset_wins_over_sniffing() {
        let mut d = doc(b"<p>\xe9t\xe9</p>");
        d.content_type = Some("text/html; charset=ISO-8859-1".into());
        assert_eq!(decode(&d).unwrap().text, "<p>été</p>");
    }
}
