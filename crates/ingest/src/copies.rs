//! The copy detector the pipeline uses by default: MinHash signatures with LSH band
//! keys from `warta-dedup`, stored in the store's neutral fingerprint form.

use warta_core::Article;
use warta_dedup::{DedupConfig, Fingerprint as DedupFingerprint, Signature, Verdict, compare};
use warta_store::Fingerprint;

use crate::pipeline::CopyDetector;

/// Layout version of the stored signature blob (first byte).
const BLOB_VERSION: u8 = 1;

/// Syndicated and lightly edited copies, and exact copies by text or URL, found with
/// `warta-dedup`'s fingerprints and decision rule.
#[derive(Debug, Clone, Default)]
pub struct MinHashCopies {
    /// Thresholds of the decision rule.
    pub config: DedupConfig,
}

/// Stored blob: version, URL key (flag + u64), shingle count (u32), signature.
fn to_blob(fp: &DedupFingerprint) -> Vec<u8> {
    let sig = fp.signature.to_bytes();
    let mut out = Vec::with_capacity(14 + sig.len());
    out.push(BLOB_VERSION);
    match fp.url_key {
        Some(k) => {
            out.push(1);
            out.extend_from_slice(&k.to_le_bytes());
        }
        None => {
            out.push(0);
            out.extend_from_slice(&0u64.to_le_bytes());
        }
    }
    out.extend_from_slice(&fp.shingles.to_le_bytes());
    out.extend_from_slice(&sig);
    out
}

fn from_blob(stored: &Fingerprint) -> Option<DedupFingerprint> {
    let b = &stored.signature;
    if b.len() < 14 || b[0] != BLOB_VERSION {
        return None;
    }
    let key = u64::from_le_bytes(b[2..10].try_into().ok()?);
    let url_key = (b[1] == 1).then_some(key);
    let shingles = u32::from_le_bytes(b[10..14].try_into().ok()?);
    let signature = Signature::from_bytes(&b[14..]).ok()?;
    Some(DedupFingerprint {
        url_key,
        content: (shingles > 0).then_some(stored.exact),
        shingles,
        signature,
    })
}

impl CopyDetector for MinHashCopies {
    fn fingerprint(&self, article: &Article) -> Fingerprint {
        let fp = DedupFingerprint::of_article(article);
        Fingerprint {
            // An empty body matches nothing by content: use a value no text hashes to
            // in practice, distinct per article.
            exact: fp.content.unwrap_or_else(|| {
                u64::from_str_radix(&warta_core::content_hash(article.id.as_bytes()), 16)
                    .unwrap_or(0)
            }),
            keys: fp.bands().map(|b| b.key).collect(),
            signature: to_blob(&fp),
        }
    }

    fn copy_of(&self, new: &Fingerprint, stored: &Fingerprint) -> Option<f32> {
        let (a, b) = (from_blob(new)?, from_blob(stored)?);
        match compare(&a, &b, &self.config) {
            Verdict::Exact(_) => Some(1.0),
            Verdict::Near { similarity, .. } => Some(similarity),
            Verdict::Different => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(url: &str, text: &str) -> Article {
        let mut a = Article::from_text(None, url, None, text);
        a.canonical_url = Some(url.to_string());
        a
    }

    #[test]
    fn syndicated_copies_match_and_other_stories_do_not() {
        let story = "Pemerintah Kabupaten Sleman menutup sementara jalur pendakian Merapi \
            setelah status gunung naik menjadi siaga. Kepala BPBD Sleman meminta warga di \
            radius lima kilometer mengungsi ke barak yang telah disiapkan. Sebanyak 1.200 \
            warga dari tiga desa telah dipindahkan sejak Selasa malam, dan bantuan logistik \
            mulai disalurkan oleh relawan pada Rabu pagi.";
        let copy = format!("SLEMAN, KOMPAS - {story}\n\nBaca juga: Merapi erupsi lagi");
        let other = "Harga cabai rawit di pasar tradisional Yogyakarta turun tajam pekan ini \
            karena panen raya di Magelang dan Temanggung. Pedagang mengaku omzet mereka \
            justru menurun karena pembeli menahan belanja menjelang akhir bulan.";
        let d = MinHashCopies::default();
        let (a, b, c) = (
            d.fingerprint(&article("https://a.example/1", story)),
            d.fingerprint(&article("https://b.example/9", &copy)),
            d.fingerprint(&article("https://a.example/2", other)),
        );
        assert_eq!(a.keys.len(), warta_dedup::NUM_BANDS);
        assert!(d.copy_of(&b, &a).is_some());
        assert!(d.copy_of(&c, &a).is_none());
        // Round trip through the stored form.
        let back = from_blob(&a).unwrap();
        assert_eq!(
            back,
            DedupFingerprint::of_article(&article("https://a.example/1", story))
        );
    }
}
