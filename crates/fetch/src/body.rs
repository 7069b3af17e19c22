//! Reading a response body within the limits: wire bytes capped, content codings (gzip,
//! deflate, brotli) decoded here (never by the HTTP client) through a capped reader, and a
//! deadline for the whole body.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;
use std::time::Instant;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More wire bytes than allowed.
    TooLarge,
    /// More decoded bytes than allowed.
    Bomb { encoding: String },
    /// A coding we do not read, or corrupt compressed data.
    Decoding { encoding: String, detail: String },
    /// The body deadline passed.
    Deadline,
    /// The transport failed (ureq's error inside, timeouts included).
    Transport(io::Error),
}

/// What stopped the wire reader, recorded where the decoders cannot hide it.
#[derive(Debug)]
enum Stop {
    Cap,
    Deadline,
    Transport(io::Error),
}

/// Counts wire bytes, enforces the cap and the deadline, and records why it stopped.
struct WireReader<R> {
    inner: R,
    read: u64,
    max: u64,
    deadline: Instant,
    stop: Rc<RefCell<Option<Stop>>>,
}

impl<R: Read> Read for WireReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if Instant::now() >= self.deadline {
            *self.stop.borrow_mut() = Some(Stop::Deadline);
            return Err(io::Error::new(io::ErrorKind::TimedOut, "body deadline"));
        }
        // Read at most one byte past the cap: enough to know it was passed.
        let room = (self.max + 1).saturating_sub(self.read);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        match self.inner.read(&mut buf[..want]) {
            Ok(n) => {
                self.read += n as u64;
                if self.read > self.max {
                    *self.stop.borrow_mut() = Some(Stop::Cap);
                    return Err(io::Error::other("body size cap"));
                }
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let kind = e.kind();
                *self.stop.borrow_mut() = Some(Stop::Transport(e));
                Err(io::Error::new(kind, "transport"))
            }
        }
    }
}

/// The content codings of a `Content-Encoding` value, in the order they were applied,
/// `identity` left out, lower-cased.
pub(crate) fn codings(content_encoding: Option<&str>) -> Vec<String> {
    content_encoding
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect()
}

/// Reads the body from `wire`, undoing `content_encoding`, with at most `max_wire` bytes
/// read from the wire and `max_decoded` bytes produced, before `deadline`. With `truncate`,
/// a body decoding past `max_decoded` is cut there instead of refused.
pub(crate) fn read_body(
    wire: impl Read,
    content_encoding: Option<&str>,
    max_wire: u64,
    max_decoded: u64,
    truncate: bool,
    deadline: Instant,
) -> Result<Vec<u8>, BodyError> {
    let codings = codings(content_encoding);
    let label = codings.join(", ");
    if codings.len() > 2 {
        return Err(BodyError::Decoding {
            encoding: label,
            detail: "more than two content codings stacked".into(),
        });
    }
    let stop = Rc::new(RefCell::new(None));
    let mut reader: Box<dyn Read + '_> = Box::new(WireReader {
        inner: wire,
        read: 0,
        max: max_wire,
        deadline,
        stop: Rc::clone(&stop),
    });
    // Codings are listed in the order applied, so they are undone last first.
    for coding in codings.iter().rev() {
        reader = match coding.as_str() {
            "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(reader)),
            "deflate" => Box::new(flate2::read::ZlibDecoder::new(reader)),
            "br" => Box::new(brotli_decompressor::Decompressor::new(reader, 8192)),
            other => {
                return Err(BodyError::Decoding {
                    encoding: other.to_string(),
                    detail: "unsupported content coding".into(),
                });
            }
        };
    }
    let mut out = Vec::new();
    // One byte past the limit tells a body at the limit from one over it.
    let take = if truncate {
        max_decoded
    } else {
        max_decoded.saturating_add(1)
    };
    let result = reader.by_ref().take(take).read_to_end(&mut out);
    drop(reader);
    let stopped = stop.borrow_mut().take();
    match (result, stopped) {
        (_, Some(Stop::Cap)) => Err(BodyError::TooLarge),
        (_, Some(Stop::Deadline)) => Err(BodyError::Deadline),
        (_, Some(Stop::Transport(e))) => Err(BodyError::Transport(e)),
        (Err(e), None) => Err(BodyError::Decoding {
            encoding: label,
            detail: e.to_string(),
        }),
        (Ok(_), None) if out.len() as u64 > max_decoded => {
            if codings.is_empty() {
                Err(BodyError::TooLarge)
            } else {
                Err(BodyError::Bomb { encoding: label })
            }
        }
        (Ok(_), None) => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(30)
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn plain_gzip_and_caps() {
        assert_eq!(
            read_body(&b"hello"[..], None, 10, 10, false, later()).unwrap(),
            b"hello"
        );
        assert!(matches!(
            read_body(&b"hello world"[..], None, 5, 100, false, later()),
            Err(BodyError::TooLarge)
        ));
        let z = gz(b"hello");
        assert_eq!(
            read_body(&z[..], Some("gzip"), 100, 10, false, later()).unwrap(),
            b"hello"
        );
        let bomb = gz(&vec![0; 1 << 20]);
        assert!(bomb.len() < 10_000);
        assert!(matches!(
            read_body(&bomb[..], Some("gzip"), 100_000, 1000, false, later()),
            Err(BodyError::Bomb { .. })
        ));
        assert!(matches!(
            read_body(
                &b"not gzip at all"[..],
                Some("gzip"),
                100,
                100,
                false,
                later()
            ),
            Err(BodyError::Decoding { .. })
        ));
        assert!(matches!(
            read_body(&b"x"[..], Some("zstd"), 100, 100, false, later()),
            Err(BodyError::Decoding { .. })
        ));
        assert_eq!(
            read_body(&bomb[..], Some("gzip"), 100_000, 1000, true, later()).unwrap(),
            vec![0; 1000]
        );
        let past = Instant::now();
        assert!(matches!(
            read_body(&b"x"[..], None, 100, 100, false, past),
            Err(BodyError::Deadline)
        ));
    }

    #[test]
    fn codings_are_listed_in_order() {
        assert_eq!(codings(Some("gzip, identity, BR")), ["gzip", "br"]);
        assert!(codings(None).is_empty());
    }
}
