//! A streaming reader of WARC 1.0 and 1.1 files (ISO 28500), plain or gzip-compressed.
//!
//! [`WarcReader`] reads records one at a time from any [`BufRead`], so memory is bounded
//! by the largest record allowed, not by the file. It yields the records that carry
//! documents: `response` records (the archived HTTP message is parsed: status line,
//! headers, chunked transfer coding and gzip/deflate content coding undone) and
//! `resource` records holding HTML or text. `request`, `metadata`, `warcinfo`,
//! `revisit` and other records are skipped.
//!
//! Compression is recognised by the gzip magic, not the file name. Both layouts in the
//! wild are read: one gzip member per record (the `.warc.gz` convention) and a whole file
//! compressed as one stream.
//!
//! Hostile input ends in error items, never a panic: a record whose header passes
//! [`WarcLimits::max_header_bytes`] or whose block passes
//! [`WarcLimits::max_record_bytes`] is skipped (its `Content-Length` says how far) with a
//! [`WarcError`] naming its offset; junk between records is skipped up to the next line
//! starting `WARC/`; a record cut short at the end of the file gives
//! [`WarcError::Truncated`] and the iteration ends; a corrupt gzip member gives
//! [`WarcError::Gzip`] (naming the member's compressed offset) and reading resumes at
//! the next member. Record offsets count bytes of the uncompressed WARC stream.

use std::io::{self, BufRead, Read};

use warta_core::RawDoc;

use super::io::{Compression, Counting, DecodeFailure, MaybeGz, broken_member, decode_capped};

/// Size limits for [`WarcReader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarcLimits {
    /// Largest WARC header (and largest archived HTTP header), in bytes.
    pub max_header_bytes: usize,
    /// Largest record block (`Content-Length`) read; larger records are skipped.
    pub max_record_bytes: u64,
    /// Largest payload after undoing the HTTP content coding (gzip bombs stop here).
    pub max_payload_bytes: u64,
}

impl Default for WarcLimits {
    /// 64 KiB of header, 32 MiB per record, 16 MiB of decoded payload (the extraction
    /// stage's own input cap).
    fn default() -> Self {
        Self {
            max_header_bytes: 64 << 10,
            max_record_bytes: 32 << 20,
            max_payload_bytes: warta_extract::input::DEFAULT_MAX_BYTES,
        }
    }
}

/// One archived document: a `response` record (with its HTTP message parsed) or a
/// `resource` record holding HTML or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Where the record starts, in bytes of the uncompressed WARC stream.
    pub offset: u64,
    /// `WARC-Type`, lower-cased: `response` or `resource`.
    pub record_type: String,
    /// `WARC-Target-URI`: the address the document was captured from.
    pub target_uri: Option<String>,
    /// `WARC-Date`: when it was captured (ISO 8601, as written in the archive).
    pub date: Option<String>,
    /// `WARC-Record-ID`, as written (`<urn:uuid:…>`).
    pub record_id: Option<String>,
    /// The payload's media type: the HTTP `Content-Type` of a response, the WARC
    /// `Content-Type` of a resource. Carries the charset when one was sent.
    pub content_type: Option<String>,
    /// The HTTP status code of a response record.
    pub http_status: Option<u16>,
    /// The archived HTTP response headers, in order, names as sent.
    pub http_headers: Vec<(String, String)>,
    /// The document bytes, with transfer and content codings undone.
    pub payload: Vec<u8>,
}

impl WarcRecord {
    /// The first value of HTTP header `name` (case-insensitive).
    pub fn http_header(&self, name: &str) -> Option<&str> {
        header_value(&self.http_headers, name)
    }

    /// The document as the extraction stage takes it: `input` names it (for instance
    /// `archive.warc.gz#1234`), the URL and `Content-Type` come from the record.
    pub fn into_raw_doc(self, input: impl Into<String>) -> RawDoc {
        RawDoc {
            input: input.into(),
            url: self.target_uri,
            content_type: self.content_type,
            bytes: self.payload,
            truncated: false,
        }
    }
}

/// What went wrong with one record (or the stream), and where.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    /// The underlying reader failed.
    #[error("WARC offset {offset}: read error: {source}")]
    Io {
        /// Where reading failed.
        offset: u64,
        /// The underlying error.
        source: io::Error,
    },
    /// The gzip compression is corrupt. The records of the broken gzip member are lost;
    /// reading goes on at the next member (so a `.warc.gz` with one member per record
    /// loses only the damaged records, a file compressed whole loses the rest).
    #[error("WARC offset {offset}: the gzip data is corrupt ({source}); its records are lost")]
    Gzip {
        /// Where in the uncompressed stream decoding failed.
        offset: u64,
        /// The decoder's error.
        source: io::Error,
    },
    /// Bytes that are not a WARC record where one should start; they were skipped up to
    /// the next line starting `WARC/`.
    #[error("WARC offset {offset}: not a WARC record (starts {found:?}); skipped {skipped} bytes")]
    NotWarc {
        /// Where the junk starts.
        offset: u64,
        /// The first bytes found, lossily decoded and shortened.
        found: String,
        /// How many bytes were skipped.
        skipped: u64,
    },
    /// A record header longer than the cap; the record was skipped.
    #[error("WARC offset {offset}: record header longer than {cap} bytes; record skipped")]
    HeaderTooLarge {
        /// Where the record starts.
        offset: u64,
        /// [`WarcLimits::max_header_bytes`].
        cap: usize,
    },
    /// A record header without a usable `Content-Length`; the reader resynchronised on the
    /// next record.
    #[error("WARC offset {offset}: bad record header: {reason}")]
    BadHeader {
        /// Where the record starts.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
    /// A record larger than the cap; it was skipped.
    #[error(
        "WARC offset {offset}: record of {length} bytes is over the {cap}-byte cap; skipped ({})",
        uri.as_deref().unwrap_or("no target URI")
    )]
    TooLarge {
        /// Where the record starts.
        offset: u64,
        /// Its `Content-Length`.
        length: u64,
        /// [`WarcLimits::max_record_bytes`].
        cap: u64,
        /// Its `WARC-Target-URI`.
        uri: Option<String>,
    },
    /// The file ends inside a record; reading stops.
    #[error("WARC offset {offset}: record truncated: {got} of {expected} block bytes present")]
    Truncated {
        /// Where the record starts.
        offset: u64,
        /// Its `Content-Length`.
        expected: u64,
        /// The bytes present.
        got: u64,
    },
    /// The file ends inside a record header; reading stops.
    #[error("WARC offset {offset}: record header truncated at the end of the file")]
    TruncatedHeader {
        /// Where the record starts.
        offset: u64,
    },
    /// The archived HTTP response could not be read; the record was skipped.
    #[error("WARC offset {offset}: bad HTTP response for {}: {reason}", uri.as_deref().unwrap_or("no target URI"))]
    Http {
        /// Where the record starts.
        offset: u64,
        /// Its `WARC-Target-URI`.
        uri: Option<String>,
        /// What was wrong.
        reason: String,
    },
    /// The HTTP content coding could not be undone (corrupt, unsupported, or decoding past
    /// [`WarcLimits::max_payload_bytes`]); the record was skipped.
    #[error("WARC offset {offset}: cannot decode the payload of {}: {reason}", uri.as_deref().unwrap_or("no target URI"))]
    Payload {
        /// Where the record starts.
        offset: u64,
        /// Its `WARC-Target-URI`.
        uri: Option<String>,
        /// What was wrong.
        reason: String,
    },
}

impl WarcError {
    /// Where in the uncompressed stream the failing record (or read) starts.
    pub fn offset(&self) -> u64 {
        match self {
            WarcError::Io { offset, .. }
            | WarcError::Gzip { offset, .. }
            | WarcError::NotWarc { offset, .. }
            | WarcError::HeaderTooLarge { offset, .. }
            | WarcError::BadHeader { offset, .. }
            | WarcError::TooLarge { offset, .. }
            | WarcError::Truncated { offset, .. }
            | WarcError::TruncatedHeader { offset, .. }
            | WarcError::Http { offset, .. }
            | WarcError::Payload { offset, .. } => *offset,
        }
    }
}

/// Streams the document records of a WARC file; see the [module docs](self).
///
/// Each item is one record or one error; after an error the reader goes on with the next
/// record when it can, and ends (returns `None`) when it cannot.
#[derive(Debug)]
pub struct WarcReader<R: BufRead> {
    input: Option<Counting<MaybeGz<R>>>,
    /// An error met before the first record (peeking for gzip), reported first.
    pending: Option<io::Error>,
    limits: WarcLimits,
    /// A `WARC/` line (and its offset) already read while resynchronising.
    carried: Option<(u64, Vec<u8>)>,
    line: Vec<u8>,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader with the default [`WarcLimits`].
    pub fn new(reader: R) -> Self {
        Self::with_limits(reader, WarcLimits::default())
    }

    /// A reader with the given limits.
    pub fn with_limits(reader: R, limits: WarcLimits) -> Self {
        let (input, pending) = match MaybeGz::new(reader) {
            Ok(r) => (Some(Counting::new(r)), None),
            Err(e) => (None, Some(e)),
        };
        Self {
            input,
            pending,
            limits,
            carried: None,
            line: Vec::new(),
            done: false,
        }
    }

    /// True when the input is gzip-compressed (per record or as a whole).
    pub fn is_gzip(&self) -> bool {
        self.input.as_ref().is_some_and(|r| r.get_ref().is_gzip())
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if let Some(source) = self.pending.take() {
            self.done = true;
            return Some(Err(WarcError::Io { offset: 0, source }));
        }
        loop {
            match self.step() {
                Step::Record(r) => return Some(Ok(*r)),
                Step::Skipped => {}
                Step::Error(e) => return Some(Err(e)),
                Step::Fatal(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Step::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

/// The outcome of reading one record.
enum Step {
    Record(Box<WarcRecord>),
    /// A record of a type not yielded.
    Skipped,
    /// A bad record; the next one can still be read.
    Error(WarcError),
    /// Reading cannot go on.
    Fatal(WarcError),
    End,
}

enum Line {
    /// A complete line (ending `\n`, or the last bytes of the stream), without the line end.
    Full,
    /// End of stream, nothing read.
    Eof,
    /// The line passed the limit; what was read is in the buffer, the rest is unread.
    TooLong,
}

/// Reads one line into `out` (cleared first), reading at most `max` bytes.
fn read_line(r: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    out.clear();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(if out.is_empty() {
                Line::Eof
            } else {
                Line::Full
            });
        }
        let room = max.saturating_sub(out.len());
        match memchr::memchr(b'\n', buf) {
            Some(i) if i < room => {
                out.extend_from_slice(&buf[..i]);
                r.consume(i + 1);
                if out.last() == Some(&b'\r') {
                    out.pop();
                }
                return Ok(Line::Full);
            }
            _ => {
                let n = buf.len().min(room);
                out.extend_from_slice(&buf[..n]);
                r.consume(n);
                if out.len() >= max {
                    return Ok(Line::TooLong);
                }
            }
        }
    }
}

/// Skips up to `n` bytes; returns how many were there.
fn skip(r: &mut impl BufRead, n: u64) -> io::Result<u64> {
    io::copy(&mut r.take(n), &mut io::sink())
}

fn lossy_head(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned()
}

impl<R: BufRead> WarcReader<R> {
    fn fatal_io(&self, offset: u64, source: io::Error) -> Step {
        // A broken gzip member costs its own records; reading goes on at the next member.
        if broken_member(&source).is_some() && source.kind() != io::ErrorKind::UnexpectedEof {
            return Step::Error(WarcError::Gzip { offset, source });
        }
        if self.is_gzip() {
            Step::Fatal(WarcError::Gzip { offset, source })
        } else {
            Step::Fatal(WarcError::Io { offset, source })
        }
    }

    /// Skips lines up to the next one starting `WARC/`, which is kept for the next
    /// record. Returns how many bytes were skipped.
    fn resync(&mut self) -> io::Result<u64> {
        let max = self.limits.max_header_bytes.max(16);
        let Some(input) = self.input.as_mut() else {
            return Ok(0);
        };
        let start = input.pos();
        let mut mid_line = false;
        loop {
            let at = input.pos();
            match read_line(input, &mut self.line, max)? {
                Line::Eof => return Ok(input.pos() - start),
                Line::TooLong => mid_line = true,
                Line::Full => {
                    if !mid_line && self.line.starts_with(b"WARC/") {
                        self.carried = Some((at, std::mem::take(&mut self.line)));
                        return Ok(at - start);
                    }
                    mid_line = false;
                }
            }
        }
    }

    /// Reads the next record.
    fn step(&mut self) -> Step {
        let max = self.limits.max_header_bytes;
        let Some(input) = self.input.as_mut() else {
            return Step::End;
        };
        // The version line, after any blank lines (the CRLF CRLF closing the last record).
        let offset;
        let mut first = self.carried.take();
        loop {
            if let Some((at, line)) = first.take() {
                offset = at;
                self.line = line;
                break;
            }
            let at = input.pos();
            match read_line(input, &mut self.line, max) {
                Ok(Line::Eof) => return Step::End,
                Ok(Line::Full) if self.line.iter().all(u8::is_ascii_whitespace) => {}
                Ok(_) => {
                    offset = at;
                    break;
                }
                Err(e) => return self.fatal_io(at, e),
            }
        }
        if !self.line.starts_with(b"WARC/") {
            let found = lossy_head(&self.line);
            let line_len = self.line.len() as u64;
            return match self.resync() {
                Ok(skipped) => Step::Error(WarcError::NotWarc {
                    offset,
                    found,
                    skipped: skipped + line_len,
                }),
                Err(e) => self.fatal_io(offset, e),
            };
        }
        // The named fields, up to the blank line.
        let mut used = self.line.len();
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            let Some(input) = self.input.as_mut() else {
                return Step::End;
            };
            let at = input.pos();
            match read_line(input, &mut self.line, max.saturating_sub(used).max(1)) {
                Ok(Line::Full) => {}
                Ok(Line::Eof) => return Step::Fatal(WarcError::TruncatedHeader { offset }),
                Ok(Line::TooLong) => {
                    return match self.resync() {
                        Ok(_) => Step::Error(WarcError::HeaderTooLarge { offset, cap: max }),
                        Err(e) => self.fatal_io(at, e),
                    };
                }
                Err(e) => return self.fatal_io(at, e),
            }
            used += self.line.len() + 2;
            if self.line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(&self.line);
            if text.starts_with([' ', '\t']) {
                // A continuation line folds into the previous field.
                if let Some((_, v)) = fields.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
            } else if let Some((name, value)) = text.split_once(':') {
                fields.push((name.trim().to_string(), value.trim().to_string()));
            }
            // A line with no colon is ignored.
        }
        let length = match header_value(&fields, "Content-Length").map(|v| v.parse::<u64>()) {
            Some(Ok(n)) => n,
            bad => {
                let reason = match bad {
                    Some(_) => "Content-Length is not a number",
                    None => "no Content-Length",
                };
                return match self.resync() {
                    Ok(_) => Step::Error(WarcError::BadHeader {
                        offset,
                        reason: reason.to_string(),
                    }),
                    Err(e) => self.fatal_io(offset, e),
                };
            }
        };
        let record_type = header_value(&fields, "WARC-Type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(input) = self.input.as_mut() else {
            return Step::End;
        };
        if record_type != "response" && record_type != "resource" {
            return match skip(input, length) {
                Ok(got) if got < length => Step::Fatal(WarcError::Truncated {
                    offset,
                    expected: length,
                    got,
                }),
                Ok(_) => Step::Skipped,
                Err(e) => self.fatal_io(offset, e),
            };
        }
        let uri = target_uri(&fields);
        if length > self.limits.max_record_bytes {
            return match skip(input, length) {
                Ok(_) => Step::Error(WarcError::TooLarge {
                    offset,
                    length,
                    cap: self.limits.max_record_bytes,
                    uri,
                }),
                Err(e) => self.fatal_io(offset, e),
            };
        }
        // Hostile lengths do not reserve memory up front: the block grows as it is read.
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        match input.take(length).read_to_end(&mut block) {
            Ok(_) => {}
            // A gzip stream cut short reads as UnexpectedEof: the record is truncated.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {}
            Err(e) => return self.fatal_io(offset, e),
        }
        if (block.len() as u64) < length {
            return Step::Fatal(WarcError::Truncated {
                offset,
                expected: length,
                got: block.len() as u64,
            });
        }
        match build_record(offset, record_type, &fields, block, &self.limits) {
            Ok(Some(r)) => Step::Record(Box::new(r)),
            Ok(None) => Step::Skipped,
            Err(e) => Step::Error(e),
        }
    }
}

/// The first value of header `name` (case-insensitive).
fn header_value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn target_uri(fields: &[(String, String)]) -> Option<String> {
    header_value(fields, "WARC-Target-URI").map(|v| {
        // WARC 1.1 drafts wrote the URI in angle brackets; some tools still do.
        v.trim_start_matches('<').trim_end_matches('>').to_string()
    })
}

fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// True for media types that hold documents the extraction stage reads.
fn is_document_type(content_type: &str) -> bool {
    matches!(
        media_type(content_type).as_str(),
        "text/html" | "application/xhtml+xml" | "text/plain"
    )
}

fn build_record(
    offset: u64,
    record_type: String,
    fields: &[(String, String)],
    block: Vec<u8>,
    limits: &WarcLimits,
) -> Result<Option<WarcRecord>, WarcError> {
    let warc_type = header_value(fields, "Content-Type").map(str::to_string);
    let mut record = WarcRecord {
        offset,
        record_type,
        target_uri: target_uri(fields),
        date: header_value(fields, "WARC-Date").map(str::to_string),
        record_id: header_value(fields, "WARC-Record-ID").map(str::to_string),
        content_type: None,
        http_status: None,
        http_headers: Vec::new(),
        payload: Vec::new(),
    };
    let is_http = warc_type
        .as_deref()
        .is_some_and(|t| media_type(t) == "application/http");
    if record.record_type == "response" && is_http {
        let http =
            parse_http(&block, limits.max_header_bytes).map_err(|reason| WarcError::Http {
                offset,
                uri: record.target_uri.clone(),
                reason,
            })?;
        record.http_status = Some(http.status);
        record.http_headers = http.headers;
        record.content_type = record.http_header("Content-Type").map(str::to_string);
        let body = &block[http.body_start..];
        record.payload = decode_body(&record.http_headers, body, limits).map_err(|reason| {
            WarcError::Payload {
                offset,
                uri: record.target_uri.clone(),
                reason,
            }
        })?;
        return Ok(Some(record));
    }
    // A resource, or a response that is not HTTP (gopher, DNS): kept when it is a document.
    match warc_type {
        Some(t) if is_document_type(&t) => {
            record.content_type = Some(t);
            record.payload = block;
            Ok(Some(record))
        }
        _ => Ok(None),
    }
}

/// The parts of an archived HTTP response header.
struct HttpHead {
    status: u16,
    headers: Vec<(String, String)>,
    body_start: usize,
}

fn parse_http(block: &[u8], max_header: usize) -> Result<HttpHead, String> {
    let window = &block[..block.len().min(max_header)];
    let end = memchr::memmem::find(window, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| memchr::memmem::find(window, b"\n\n").map(|i| i + 2))
        .or_else(|| {
            // A header with no body may end at the end of the block.
            (block.len() <= max_header && (block.ends_with(b"\r\n") || block.ends_with(b"\n")))
                .then_some(block.len())
        })
        .ok_or_else(|| {
            if block.len() > max_header {
                format!("HTTP header longer than {max_header} bytes")
            } else {
                "HTTP header does not end".to_string()
            }
        })?;
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("").trim();
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return Err(format!(
            "no HTTP status line (starts {:?})",
            lossy_head(block)
        ));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| format!("bad HTTP status line {status_line:?}"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Ok(HttpHead {
        status,
        headers,
        body_start: end,
    })
}

/// Undoes the transfer coding (chunked) and content coding (gzip, deflate) of a body.
///
/// Archivers differ: some store the bytes as they came off the wire, some store them
/// already decoded but keep the headers. So a body is dechunked only when it parses as
/// chunked, and decompressed only when it starts like the compressed format.
fn decode_body(
    headers: &[(String, String)],
    body: &[u8],
    limits: &WarcLimits,
) -> Result<Vec<u8>, String> {
    let chunked = header_value(headers, "Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let dechunked = if chunked { dechunk(body) } else { None };
    let body = dechunked.as_deref().unwrap_or(body);
    let coding = header_value(headers, "Content-Encoding")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let scheme = match coding.as_str() {
        "" | "identity" | "none" => None,
        "gzip" | "x-gzip" => super::io::is_gzip(body).then_some(Compression::Gzip),
        "deflate" => Some(Compression::Deflate),
        other => {
            // Stored decoded despite the header? Then it reads as text.
            if looks_like_text(body) {
                None
            } else {
                return Err(format!("content coding {other:?} is not supported"));
            }
        }
    };
    let Some(scheme) = scheme else {
        if body.len() as u64 > limits.max_payload_bytes {
            return Err(format!(
                "payload of {} bytes is over the {}-byte cap",
                body.len(),
                limits.max_payload_bytes
            ));
        }
        return Ok(body.to_vec());
    };
    match decode_capped(body, scheme, limits.max_payload_bytes) {
        Ok(out) => Ok(out),
        Err(DecodeFailure::OverCap(cap)) => {
            Err(format!("decoded payload is over the {cap}-byte cap"))
        }
        Err(DecodeFailure::Corrupt(e)) => {
            if scheme == Compression::Deflate && looks_like_text(body) {
                Ok(body.to_vec())
            } else {
                Err(format!("corrupt {coding} data: {e}"))
            }
        }
    }
}

fn looks_like_text(body: &[u8]) -> bool {
    let head = &body[..body.len().min(512)];
    !head.is_empty() && !head.contains(&0) && std::str::from_utf8(head).is_ok()
        || head.first().is_some_and(|b| *b == b'<')
}

/// Decodes an HTTP/1.1 chunked body; `None` when the body is not chunked after all.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let eol = memchr::memchr(b'\n', body)?;
        let line = std::str::from_utf8(&body[..eol]).ok()?.trim();
        // Chunk extensions follow a semicolon.
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[eol + 1..];
        if size == 0 {
            // Trailers follow; they are not kept.
            return Some(out);
        }
        if body.len() < size {
            // A chunk cut short: keep what there is (captures are often cut).
            out.extend_from_slice(body);
            return Some(out);
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        if body.is_empty() {
            // No terminating zero chunk: tolerated.
            return Some(out);
        }
        // Each chunk ends with a line end; anything else means the body is not chunked.
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))?;
        if body.is_empty() {
            // No terminating zero chunk: tolerated.
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunk_reads_chunks_and_rejects_plain_bodies() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n").unwrap(),
            b"hello world"
        );
        assert_eq!(dechunk(b"<html>").as_deref(), None);
        assert_eq!(dechunk(b"2\r\nabcd\r\n0\r\n\r\n").as_deref(), None);
        assert_eq!(dechunk(b"3\r\nab").unwrap(), b"ab");
        assert_eq!(dechunk(b"3\r\nabcdef"), None);
    }

    #[test]
    fn http_head_parses_status_and_headers() {
        let h = parse_http(
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html;\r\n charset=utf-8\r\n\r\nbody",
            1024,
        )
        .unwrap();
        assert_eq!(h.status, 404);
        assert_eq!(h.headers[0].1, "text/html; charset=utf-8");
        assert!(parse_http(b"GET / HTTP/1.1\r\n\r\n", 1024).is_err());
        assert!(parse_http(b"HTTP/1.1 200 OK\r\nX: y", 1024).is_err());
    }
}
