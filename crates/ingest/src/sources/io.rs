//! Byte-level helpers shared by the readers: gzip sniffing, transparent gzip
//! decoding, counting and capped readers.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::{DeflateDecoder, GzDecoder, MultiGzDecoder, ZlibDecoder};

/// The two magic bytes every gzip member starts with.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// True when `bytes` start like a gzip member.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// A `BufRead` with a few bytes already taken from it and handed back first.
#[derive(Debug)]
pub(crate) struct Prefixed<R> {
    prefix: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: BufRead> Prefixed<R> {
    /// Reads up to `n` bytes from `inner` (fewer only at the end of the stream).
    fn peek(mut inner: R, n: usize) -> io::Result<Self> {
        let mut prefix = Vec::with_capacity(n);
        (&mut inner).take(n as u64).read_to_end(&mut prefix)?;
        Ok(Self {
            prefix,
            pos: 0,
            inner,
        })
    }

    fn head(&self) -> &[u8] {
        &self.prefix[self.pos..]
    }

    /// The next `n` bytes (fewer only at the end of the stream), without consuming them,
    /// even when they straddle the inner reader's buffer boundary.
    fn ensure(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.pos > 0 {
            self.prefix.drain(..self.pos);
            self.pos = 0;
        }
        while self.prefix.len() < n {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = (n - self.prefix.len()).min(buf.len());
            self.prefix.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
        }
        Ok(&self.prefix)
    }
}

impl<R: BufRead> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Prefixed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.prefix.len() {
            Ok(&self.prefix[self.pos..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.prefix.len() {
            self.pos = (self.pos + amt).min(self.prefix.len());
        } else {
            self.inner.consume(amt);
        }
    }
}

/// A reader that decompresses gzip (one member or many, concatenated) when the stream
/// starts with the gzip magic, and passes bytes through otherwise.
#[derive(Debug)]
pub(crate) enum MaybeGz<R: BufRead> {
    /// Not compressed.
    Plain(Prefixed<R>),
    /// Gzip, decoded member after member.
    Gz(BufReader<Members<R>>),
}

impl<R: BufRead> MaybeGz<R> {
    /// Peeks at the first two bytes and wraps `inner` in a decoder when they are gzip.
    pub(crate) fn new(inner: R) -> io::Result<Self> {
        let peeked = Prefixed::peek(inner, 2)?;
        Ok(if is_gzip(peeked.head()) {
            MaybeGz::Gz(BufReader::new(Members::new(peeked)))
        } else {
            MaybeGz::Plain(peeked)
        })
    }

    /// True when the stream is gzip.
    pub(crate) fn is_gzip(&self) -> bool {
        matches!(self, MaybeGz::Gz(_))
    }
}

impl<R: BufRead> Read for MaybeGz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            MaybeGz::Plain(r) => r.read(buf),
            MaybeGz::Gz(r) => r.read(buf),
        }
    }
}

impl<R: BufRead> BufRead for MaybeGz<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            MaybeGz::Plain(r) => r.fill_buf(),
            MaybeGz::Gz(r) => r.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        match self {
            MaybeGz::Plain(r) => r.consume(amt),
            MaybeGz::Gz(r) => r.consume(amt),
        }
    }
}

/// A gzip member that could not be decoded: corrupt, or cut short.
#[derive(Debug, thiserror::Error)]
#[error("gzip member at compressed byte {offset}: {source}")]
pub(crate) struct BrokenMember {
    /// Where the member starts in the compressed stream.
    pub(crate) offset: u64,
    /// The decoder's error.
    pub(crate) source: io::Error,
}

/// The [`BrokenMember`] inside `e`, when `e` reports one.
pub(crate) fn broken_member(e: &io::Error) -> Option<&BrokenMember> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<BrokenMember>())
}

/// Decodes concatenated gzip members one by one, like `MultiGzDecoder`, but survives a
/// broken member: the error is returned once (an `io::Error` of the decoder's kind
/// wrapping a [`BrokenMember`]), then reading goes on at the next gzip magic in the
/// compressed stream. A `.warc.gz` with one member per record thus loses only the
/// records of the broken member.
#[derive(Debug)]
pub(crate) struct Members<R: BufRead> {
    state: MemberState<R>,
    /// Where the current member starts, in compressed bytes.
    member_start: u64,
    /// True after a broken member until a member decodes whole: further failures in a
    /// damaged stretch (false magics) are skipped silently.
    damaged: bool,
}

#[derive(Debug)]
enum MemberState<R: BufRead> {
    Between(Counting<Prefixed<R>>),
    Member(Box<GzDecoder<Counting<Prefixed<R>>>>),
    /// Only while switching states.
    Gone,
}

/// The three bytes every deflate-compressed gzip member starts with.
const MEMBER_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

impl<R: BufRead> Members<R> {
    fn new(inner: Prefixed<R>) -> Self {
        Self {
            state: MemberState::Between(Counting::new(inner)),
            member_start: 0,
            damaged: false,
        }
    }

    /// Skips compressed bytes up to the next member magic; false at the end of the stream.
    fn seek_magic(src: &mut Counting<Prefixed<R>>) -> io::Result<bool> {
        loop {
            let head = src.get_mut().ensure(MEMBER_MAGIC.len())?;
            if head.is_empty() {
                return Ok(false);
            }
            if head.starts_with(&MEMBER_MAGIC) {
                return Ok(true);
            }
            let buf = src.fill_buf()?;
            let skip = memchr::memchr(MEMBER_MAGIC[0], &buf[1..]).map_or(buf.len(), |i| i + 1);
            src.consume(skip);
        }
    }

    fn broken(&mut self, offset: u64, kind: io::ErrorKind, source: io::Error) -> io::Error {
        self.damaged = true;
        io::Error::new(kind, BrokenMember { offset, source })
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, MemberState::Gone) {
                MemberState::Gone => return Ok(0),
                MemberState::Between(mut src) => {
                    let head = src.get_mut().ensure(MEMBER_MAGIC.len())?;
                    if head.is_empty() {
                        self.state = MemberState::Between(src);
                        return Ok(0);
                    }
                    if is_gzip(head) {
                        self.member_start = src.pos();
                        self.state = MemberState::Member(Box::new(GzDecoder::new(src)));
                        continue;
                    }
                    // Junk after a member: report it once, then look for the next one.
                    let at = src.pos();
                    src.consume(1);
                    let found = Self::seek_magic(&mut src)?;
                    self.state = MemberState::Between(src);
                    if !self.damaged {
                        let why = if found {
                            "bytes that are not gzip before the next member"
                        } else {
                            "bytes that are not gzip at the end"
                        };
                        return Err(self.broken(
                            at,
                            io::ErrorKind::InvalidData,
                            io::Error::other(why),
                        ));
                    }
                }
                MemberState::Member(mut dec) => match dec.read(buf) {
                    Ok(0) => {
                        self.damaged = false;
                        self.state = MemberState::Between(dec.into_inner());
                    }
                    Ok(n) => {
                        self.state = MemberState::Member(dec);
                        return Ok(n);
                    }
                    Err(e) => {
                        let mut src = dec.into_inner();
                        // Past the broken member's first byte, then on to the next magic.
                        if src.pos() == self.member_start {
                            src.consume(1);
                        }
                        let found = Self::seek_magic(&mut src)?;
                        self.state = MemberState::Between(src);
                        if self.damaged && found {
                            continue;
                        }
                        // At the end of the stream the member was cut short.
                        let kind = if found {
                            e.kind()
                        } else {
                            io::ErrorKind::UnexpectedEof
                        };
                        return Err(self.broken(self.member_start, kind, e));
                    }
                },
            }
        }
    }
}

/// Counts the bytes consumed, so readers can name the offset of what went wrong.
#[derive(Debug)]
pub(crate) struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, pos: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    pub(crate) fn get_ref(&self) -> &R {
        &self.inner
    }

    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// The error a [`Capped`] reader returns once its cap is passed.
#[derive(Debug, thiserror::Error)]
#[error("more than {cap} bytes")]
pub(crate) struct OverCap {
    pub(crate) cap: u64,
}

/// Reads at most `cap` bytes and fails with [`OverCap`] (as an `io::Error` of kind
/// `Other`) when the stream has more, instead of silently stopping.
#[derive(Debug)]
pub(crate) struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
}

impl<R: BufRead> Capped<R> {
    pub(crate) fn new(inner: R, cap: u64) -> Self {
        Self {
            inner,
            left: cap,
            cap,
        }
    }
}

/// True when `e` is the error a [`Capped`] reader gives past its cap.
pub(crate) fn over_cap(e: &io::Error) -> Option<u64> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<OverCap>())
        .map(|o| o.cap)
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let left = self.left;
        let cap = self.cap;
        let buf = self.inner.fill_buf()?;
        if left == 0 {
            if buf.is_empty() {
                return Ok(buf);
            }
            return Err(io::Error::other(OverCap { cap }));
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        Ok(&buf[..n])
    }

    fn consume(&mut self, amt: usize) {
        self.left = self.left.saturating_sub(amt as u64);
        self.inner.consume(amt);
    }
}

/// Why [`decode_capped`] gave up.
#[derive(Debug)]
pub(crate) enum DecodeFailure {
    /// The decoded data would pass the cap.
    OverCap(u64),
    /// The compressed data is corrupt or cut short.
    Corrupt(io::Error),
}

/// The compression schemes [`decode_capped`] undoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    /// gzip, one or more members.
    Gzip,
    /// zlib-wrapped deflate (what HTTP `deflate` means), or raw deflate from servers that
    /// get it wrong.
    Deflate,
}

/// Decompresses `data` into at most `cap` bytes.
pub(crate) fn decode_capped(
    data: &[u8],
    scheme: Compression,
    cap: u64,
) -> Result<Vec<u8>, DecodeFailure> {
    fn run(r: impl Read, cap: u64) -> Result<Vec<u8>, DecodeFailure> {
        let mut out = Vec::new();
        r.take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(DecodeFailure::Corrupt)?;
        if out.len() as u64 > cap {
            return Err(DecodeFailure::OverCap(cap));
        }
        Ok(out)
    }
    match scheme {
        Compression::Gzip => run(MultiGzDecoder::new(data), cap),
        Compression::Deflate => {
            // A zlib header is two bytes whose big-endian value is a multiple of 31.
            let zlib = data.len() >= 2
                && data[0] & 0x0f == 8
                && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
            if zlib {
                run(ZlibDecoder::new(data), cap)
            } else {
                run(DeflateDecoder::new(data), cap)
            }
        }
    }
}

/// Reads a whole (small) source into memory, decompressing gzip, failing past `cap`
/// decompressed bytes.
pub(crate) fn read_all_capped(data: &[u8], cap: u64) -> Result<Vec<u8>, DecodeFailure> {
    if is_gzip(data) {
        decode_capped(data, Compression::Gzip, cap)
    } else if data.len() as u64 > cap {
        Err(DecodeFailure::OverCap(cap))
    } else {
        Ok(data.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn maybe_gz_reads_plain_and_multi_member_gzip() {
        let mut out = String::new();
        MaybeGz::new(&b"plain"[..])
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "plain");
        let mut two = gz(b"one ");
        two.extend(gz(b"two"));
        let mut r = MaybeGz::new(&two[..]).unwrap();
        assert!(r.is_gzip());
        out.clear();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "one two");
        // A one-byte input is not lost while peeking.
        out.clear();
        MaybeGz::new(&b"x"[..])
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "x");
    }

    #[test]
    fn capped_fails_past_the_cap() {
        let mut out = Vec::new();
        let e = Capped::new(&b"0123456789"[..], 4)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(over_cap(&e), Some(4));
        out.clear();
        Capped::new(&b"0123"[..], 4).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"0123");
    }

    #[test]
    fn decode_capped_stops_a_bomb() {
        let bomb = gz(&vec![b'a'; 1 << 20]);
        assert!(matches!(
            decode_capped(&bomb, Compression::Gzip, 1000),
            Err(DecodeFailure::OverCap(1000))
        ));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"zlib body").unwrap();
        let z = z.finish().unwrap();
        assert_eq!(
            decode_capped(&z, Compression::Deflate, 100).unwrap(),
            b"zlib body"
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        d.write_all(b"raw body").unwrap();
        let d = d.finish().unwrap();
        assert_eq!(
            decode_capped(&d, Compression::Deflate, 100).unwrap(),
            b"raw body"
        );
    }
}
