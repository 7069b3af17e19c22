//! A linear-chain CRF at tagging time: feature weights looked up by hash,
//! Viterbi decoding, and the binary model format.
//!
//! Model file layout (little-endian):
//! `b"WARTANER"`, format version (u32), feature version (u32), note (str: the
//! training data and settings), name (str), labels (u32 count + strs), helper
//! model names (u32 count + strs), data-set (domain) names (u32 count + strs;
//! format 2 only), clusters (u32 count + (u64 word hash, u32
//! cluster) pairs), transitions (f32 × L×L, then start L, end L), attribute
//! count A (u32), attribute hashes (u64 × A, ascending), pairs per attribute
//! (u8 × A), pairs (u32 × Σ: an f32 weight whose 4 low mantissa bits hold the
//! label). Strings are a u32 byte length then UTF-8.

use std::collections::HashMap;

use super::NerError;
use super::features::{FEATURES_VERSION, TokenInfo, attributes, cap_runs, sentence_info};

/// The first bytes of every model file.
pub(crate) const MAGIC: &[u8; 8] = b"WARTANER";
/// Version of the binary layout.
pub(crate) const FORMAT_VERSION: u32 = 2;
/// At most this many labels fit in the packed pairs.
pub(crate) const MAX_LABELS: usize = 16;

/// Open-addressing table from attribute hash to its run of (label, weight) pairs.
#[derive(Debug, Clone)]
struct AttrTable {
    mask: usize,
    /// (hash, start, len); hash 0 marks an empty slot (attribute hashes are odd).
    slots: Vec<(u64, u32, u32)>,
}

impl AttrTable {
    fn build(hashes: &[u64], starts: &[u32], lens: &[u8]) -> Self {
        let cap = (hashes.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u64, 0u32, 0u32); cap];
        let mask = cap - 1;
        for ((&h, &s), &l) in hashes.iter().zip(starts).zip(lens) {
            let mut k = (h as usize) & mask;
            while slots[k].0 != 0 {
                k = (k + 1) & mask;
            }
            slots[k] = (h, s, u32::from(l));
        }
        Self { mask, slots }
    }

    /// Reads the first slot of every hash without acting on it, so that the
    /// lookups that follow find them in the cache.
    #[inline]
    fn touch(&self, hashes: &[u64]) {
        let mut acc = 0u64;
        for &h in hashes {
            acc ^= self.slots[(h as usize) & self.mask].0;
        }
        std::hint::black_box(acc);
    }

    #[inline]
    fn get(&self, h: u64) -> Option<(usize, usize)> {
        let mut k = (h as usize) & self.mask;
        loop {
            let (key, s, l) = self.slots[k];
            if key == h {
                return Some((s as usize, l as usize));
            }
            if key == 0 {
                return None;
            }
            k = (k + 1) & self.mask;
        }
    }
}

/// A trained linear-chain CRF ready to tag.
#[derive(Debug, Clone)]
pub(crate) struct Crf {
    pub(crate) note: String,
    pub(crate) name: String,
    pub(crate) labels: Vec<String>,
    pub(crate) helpers: Vec<String>,
    pub(crate) domains: Vec<String>,
    pub(crate) clusters: HashMap<u64, u32>,
    trans: Vec<f32>,
    start: Vec<f32>,
    end: Vec<f32>,
    hashes: Vec<u64>,
    lens: Vec<u8>,
    pairs: Vec<u32>,
    table: AttrTable,
}

/// Packs a weight and a label into one word (the label in the low mantissa bits).
#[inline]
pub(crate) fn pack(weight: f32, label: usize) -> u32 {
    (weight.to_bits() & !0xF) | label as u32
}

#[inline]
fn unpack(p: u32) -> (usize, f32) {
    ((p & 0xF) as usize, f32::from_bits(p & !0xF))
}

/// A model's descriptive parts.
struct Meta {
    note: String,
    name: String,
    labels: Vec<String>,
    helpers: Vec<String>,
    domains: Vec<String>,
    clusters: HashMap<u64, u32>,
}

/// The parts of a CRF as the trainer produces them.
#[derive(Debug)]
pub(crate) struct CrfParts {
    pub(crate) note: String,
    pub(crate) name: String,
    pub(crate) labels: Vec<String>,
    pub(crate) helpers: Vec<String>,
    pub(crate) domains: Vec<String>,
    pub(crate) clusters: HashMap<u64, u32>,
    pub(crate) trans: Vec<f32>,
    pub(crate) start: Vec<f32>,
    pub(crate) end: Vec<f32>,
    /// Per attribute hash, its (label, weight) pairs.
    pub(crate) weights: Vec<(u64, Vec<(usize, f32)>)>,
}

impl Crf {
    /// Assembles a model from trained parts.
    pub(crate) fn from_parts(mut p: CrfParts) -> Self {
        p.weights.sort_by_key(|(h, _)| *h);
        let mut hashes = Vec::with_capacity(p.weights.len());
        let mut lens = Vec::with_capacity(p.weights.len());
        let mut pairs = Vec::new();
        for (h, ws) in &p.weights {
            if ws.is_empty() {
                continue;
            }
            hashes.push(*h);
            lens.push(ws.len() as u8);
            pairs.extend(ws.iter().map(|&(l, w)| pack(w, l)));
        }
        Self::assemble(
            Meta {
                note: p.note,
                name: p.name,
                labels: p.labels,
                helpers: p.helpers,
                domains: p.domains,
                clusters: p.clusters,
            },
            p.trans,
            p.start,
            p.end,
            hashes,
            lens,
            pairs,
        )
    }

    fn assemble(
        meta: Meta,
        trans: Vec<f32>,
        start: Vec<f32>,
        end: Vec<f32>,
        hashes: Vec<u64>,
        lens: Vec<u8>,
        pairs: Vec<u32>,
    ) -> Self {
        let mut starts = Vec::with_capacity(lens.len());
        let mut acc = 0u32;
        for &l in &lens {
            starts.push(acc);
            acc += u32::from(l);
        }
        let table = AttrTable::build(&hashes, &starts, &lens);
        let Meta {
            note,
            name,
            labels,
            helpers,
            domains,
            clusters,
        } = meta;
        Self {
            note,
            name,
            labels,
            helpers,
            domains,
            clusters,
            trans,
            start,
            end,
            hashes,
            lens,
            pairs,
            table,
        }
    }

    /// Number of labels.
    pub(crate) fn n_labels(&self) -> usize {
        self.labels.len()
    }

    /// Number of (attribute, label) weights.
    pub(crate) fn n_weights(&self) -> usize {
        self.pairs.len()
    }

    /// Summarises tokens with this model's word clusters.
    pub(crate) fn token_info<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<TokenInfo> {
        sentence_info(
            tokens,
            (!self.clusters.is_empty()).then_some(&self.clusters),
        )
    }

    /// Best label index for every token (Viterbi), with augmented features for
    /// data set `domain` (0: shared features only) and labels limited to the bit set `allowed`.
    pub(crate) fn tag(
        &self,
        info: &[TokenInfo],
        stack: &[Vec<u8>],
        domain: u64,
        allowed: u16,
    ) -> Vec<u8> {
        let n = info.len();
        let l = self.n_labels();
        if n == 0 {
            return Vec::new();
        }
        let runs = cap_runs(info);
        let mut scores = vec![0f32; n * l];
        let mut hashes: Vec<u64> = Vec::with_capacity(160);
        let mut found: Vec<(u32, u32)> = Vec::with_capacity(160);
        for (i, row) in scores.chunks_exact_mut(l).enumerate() {
            // The table is far larger than the caches: collect the token's attribute
            // hashes first and touch their slots in one branch-free pass, so the
            // memory reads overlap instead of waiting one after another.
            hashes.clear();
            attributes(info, &runs, stack, domain, i, &mut |h| hashes.push(h));
            self.table.touch(&hashes);
            found.clear();
            for &h in &hashes {
                if let Some((s, len)) = self.table.get(h) {
                    found.push((s as u32, len as u32));
                }
            }
            for &(s, len) in &found {
                for &p in &self.pairs[s as usize..(s + len) as usize] {
                    let (y, w) = unpack(p);
                    row[y] += w;
                }
            }
            if allowed & ((1u32 << l) - 1) as u16 != ((1u32 << l) - 1) as u16 {
                for (y, v) in row.iter_mut().enumerate() {
                    if allowed & (1 << y) == 0 {
                        *v = -1e30;
                    }
                }
            }
        }
        // Viterbi.
        let mut back = vec![0u8; n * l];
        let mut delta: Vec<f32> = (0..l).map(|y| self.start[y] + scores[y]).collect();
        let mut next = vec![0f32; l];
        for i in 1..n {
            let row = &scores[i * l..(i + 1) * l];
            for y in 0..l {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0usize;
                for (yp, &d) in delta.iter().enumerate() {
                    let v = d + self.trans[yp * l + y];
                    if v > best {
                        best = v;
                        arg = yp;
                    }
                }
                next[y] = best + row[y];
                back[i * l + y] = arg as u8;
            }
            std::mem::swap(&mut delta, &mut next);
        }
        let mut best = f32::NEG_INFINITY;
        let mut y = 0usize;
        for (k, &d) in delta.iter().enumerate() {
            let v = d + self.end[k];
            if v > best {
                best = v;
                y = k;
            }
        }
        let mut out = vec![0u8; n];
        for i in (0..n).rev() {
            out[i] = y as u8;
            if i > 0 {
                y = back[i * l + y] as usize;
            }
        }
        out
    }

    /// The model as bytes (see the module documentation for the layout).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(64 + self.hashes.len() * 9 + self.pairs.len() * 4);
        b.extend_from_slice(MAGIC);
        put_u32(&mut b, FORMAT_VERSION);
        put_u32(&mut b, FEATURES_VERSION);
        put_str(&mut b, &self.note);
        put_str(&mut b, &self.name);
        put_u32(&mut b, self.labels.len() as u32);
        for s in &self.labels {
            put_str(&mut b, s);
        }
        put_u32(&mut b, self.helpers.len() as u32);
        for s in &self.helpers {
            put_str(&mut b, s);
        }
        put_u32(&mut b, self.domains.len() as u32);
        for s in &self.domains {
            put_str(&mut b, s);
        }
        let mut clusters: Vec<_> = self.clusters.iter().map(|(&h, &c)| (h, c)).collect();
        clusters.sort_unstable();
        put_u32(&mut b, clusters.len() as u32);
        for (h, c) in clusters {
            b.extend_from_slice(&h.to_le_bytes());
            put_u32(&mut b, c);
        }
        for v in self.trans.iter().chain(&self.start).chain(&self.end) {
            b.extend_from_slice(&v.to_le_bytes());
        }
        put_u32(&mut b, self.hashes.len() as u32);
        for h in &self.hashes {
            b.extend_from_slice(&h.to_le_bytes());
        }
        b.extend_from_slice(&self.lens);
        for p in &self.pairs {
            put_u32(&mut b, *p);
        }
        b
    }

    /// Reads a model written by [`Crf::to_bytes`].
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self, NerError> {
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(NerError::NotAModel);
        }
        let format = r.u32()?;
        let features = r.u32()?;
        if !(1..=FORMAT_VERSION).contains(&format) || features != FEATURES_VERSION {
            return Err(NerError::Version {
                format,
                features,
                expected_format: FORMAT_VERSION,
                expected_features: FEATURES_VERSION,
            });
        }
        let note = r.string()?;
        let name = r.string()?;
        let n_labels = r.u32()? as usize;
        if n_labels == 0 || n_labels > MAX_LABELS {
            return Err(NerError::Corrupt("label count"));
        }
        let labels = (0..n_labels)
            .map(|_| r.string())
            .collect::<Result<Vec<_>, _>>()?;
        let n_helpers = r.u32()? as usize;
        let helpers = (0..n_helpers.min(16))
            .map(|_| r.string())
            .collect::<Result<Vec<_>, _>>()?;
        let domains = if format >= 2 {
            let n = r.u32()? as usize;
            (0..n.min(64))
                .map(|_| r.string())
                .collect::<Result<Vec<_>, _>>()?
        } else {
            Vec::new()
        };
        let n_clusters = r.u32()? as usize;
        let mut clusters = HashMap::with_capacity(n_clusters.min(bytes.len() / 12));
        for _ in 0..n_clusters {
            let h = r.u64()?;
            clusters.insert(h, r.u32()?);
        }
        let floats = |r: &mut Reader<'_>, k: usize| -> Result<Vec<f32>, NerError> {
            let raw = r.take(k * 4)?;
            Ok(raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let trans = floats(&mut r, n_labels * n_labels)?;
        let start = floats(&mut r, n_labels)?;
        let end = floats(&mut r, n_labels)?;
        let n_attrs = r.u32()? as usize;
        let hashes: Vec<u64> = r
            .take(
                n_attrs
                    .checked_mul(8)
                    .ok_or(NerError::Corrupt("attributes"))?,
            )?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        if hashes.contains(&0) || hashes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(NerError::Corrupt("attribute hashes"));
        }
        let lens = r.take(n_attrs)?.to_vec();
        let total: usize = lens.iter().map(|&l| usize::from(l)).sum();
        let pairs: Vec<u32> = r
            .take(total * 4)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if pairs.iter().any(|&p| (p & 0xF) as usize >= n_labels) {
            return Err(NerError::Corrupt("weight labels"));
        }
        if r.at != bytes.len() {
            return Err(NerError::Corrupt("trailing bytes"));
        }
        Ok(Self::assemble(
            Meta {
                note,
                name,
                labels,
                helpers,
                domains,
                clusters,
            },
            trans,
            start,
            end,
            hashes,
            lens,
            pairs,
        ))
    }
}

fn put_u32(b: &mut Vec<u8>, v: u32) {
    b.extend_from_slice(&v.to_le_bytes());
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    put_u32(b, s.len() as u32);
    b.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, k: usize) -> Result<&'a [u8], NerError> {
        let end = self.at.checked_add(k).ok_or(NerError::Truncated)?;
        let s = self.b.get(self.at..end).ok_or(NerError::Truncated)?;
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, NerError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64, NerError> {
        let s = self.take(8)?;
        Ok(u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
    }
    fn string(&mut self) -> Result<String, NerError> {
        let n = self.u32()? as usize;
        let s = self.take(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| NerError::Corrupt("string"))
    }
}
