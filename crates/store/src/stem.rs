//! A small Indonesian stemmer for the full-text index: a rule-based confix stripper in
//! the manner of Sastrawi (Nazief–Adriani with Asian's enhancements, much reduced),
//! guarded by a dictionary of root words.
//!
//! A word is reduced only when the result is a known root (`data/id-roots.txt`, the
//! root-word list of the Sastrawi Python package, MIT licence, see `data/NOTICE.md`), so
//! words the rules do not understand, English words and names are left alone: the
//! stemmer may miss a root but it does not invent one. Particles (`-lah`, `-kah`, `-pun`),
//! possessives (`-ku`, `-mu`, `-nya`) and derivational suffixes (`-i`, `-kan`, `-an`) are
//! removed from the end, and up to three derivational prefixes (`di-`, `ke-`, `se-`,
//! `ber-`, `ter-`, `me-`, `pe-`, `per-` with their nasal forms, whose assimilated first
//! letter is restored: `menulis` → `tulis`, `memukul` → `pukul`) from the start.

use std::collections::HashSet;
use std::sync::OnceLock;

fn roots() -> &'static HashSet<&'static str> {
    static ROOTS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        include_str!("../data/id-roots.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

fn is_root(w: &str) -> bool {
    roots().contains(w)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The root of a lowercased Indonesian word, or the word itself when no known root is
/// reached by the rules.
pub(crate) fn stem(word: &str) -> String {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) || is_root(word) {
        return word.to_string();
    }
    // Inflectional suffixes: a particle, then a possessive.
    let mut bases = vec![word];
    let mut w = word;
    for p in ["lah", "kah", "tah", "pun"] {
        if let Some(rest) = w.strip_suffix(p).filter(|r| r.len() >= 3) {
            w = rest;
            bases.push(w);
            break;
        }
    }
    for p in ["nya", "ku", "mu"] {
        if let Some(rest) = w.strip_suffix(p).filter(|r| r.len() >= 3) {
            w = rest;
            bases.push(w);
            break;
        }
    }
    // Derivational suffixes.
    let mut candidates: Vec<&str> = Vec::new();
    for &b in bases.iter().rev() {
        for suffix in ["kan", "an", "i"] {
            if let Some(rest) = b.strip_suffix(suffix).filter(|r| r.len() >= 3) {
                candidates.push(rest);
            }
        }
        candidates.push(b);
    }
    for c in &candidates {
        if is_root(c) {
            return (*c).to_string();
        }
    }
    // Prefixes, on the word without suffixes first, then with them.
    for c in &candidates {
        if let Some(root) = strip_prefixes(c, 3) {
            return root;
        }
    }
    word.to_string()
}

/// Strips up to `depth` prefixes from `w`, returning the first known root reached.
fn strip_prefixes(w: &str, depth: u32) -> Option<String> {
    if depth == 0 {
        return None;
    }
    for rest in prefix_removals(w) {
        if rest.len() < 3 {
            continue;
        }
        if is_root(&rest) {
            return Some(rest);
        }
        // A suffix may only show once the prefix is gone (`pertemuan` → `temu`).
        for suffix in ["kan", "an", "i"] {
            if let Some(r) = rest.strip_suffix(suffix).filter(|r| r.len() >= 3)
                && is_root(r)
            {
                return Some(r.to_string());
            }
        }
        if let Some(root) = strip_prefixes(&rest, depth - 1) {
            return Some(root);
        }
    }
    None
}

/// Every way one prefix can be taken off `w`, most specific first.
fn prefix_removals(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let after = |n: usize| -> &str { w.get(n..).unwrap_or("") };
    let vowel_at = |n: usize| b.get(n).is_some_and(|&c| is_vowel(c));
    for plain in ["di", "ke", "se", "ku", "kau"] {
        if let Some(rest) = w.strip_prefix(plain) {
            out.push(rest.to_string());
        }
    }
    for (long, short) in [("ber", "be"), ("ter", "te"), ("per", "pe")] {
        if let Some(rest) = w.strip_prefix(long) {
            out.push(rest.to_string());
            // ber- + r…: `berambut` is ber-rambut.
            if vowel_at(3) {
                out.push(format!("r{rest}"));
            }
        }
        if w.starts_with(short) && !w.starts_with(long) {
            out.push(after(2).to_string());
        }
    }
    if w.starts_with("pel") {
        out.push(after(3).to_string()); // pelajar → ajar
    }
    for m in ["me", "pe"] {
        if !w.starts_with(m) {
            continue;
        }
        if w.starts_with(&format!("{m}nge")) {
            out.push(after(4).to_string()); // mengecat → cat
        }
        if w.starts_with(&format!("{m}ng")) {
            out.push(after(4).to_string()); // menggali → gali, mengambil → ambil
            if vowel_at(4) {
                out.push(format!("k{}", after(4))); // mengirim → kirim
            }
        } else if w.starts_with(&format!("{m}ny")) {
            if vowel_at(4) {
                out.push(format!("s{}", after(4))); // menyapu → sapu
            }
        } else if w.starts_with(&format!("{m}m")) {
            out.push(after(3).to_string()); // membaca → baca
            if vowel_at(3) {
                out.push(format!("p{}", after(3))); // memukul → pukul
                out.push(format!("m{}", after(3))); // memakan? (root starts with m)
            }
        } else if w.starts_with(&format!("{m}n")) {
            out.push(after(3).to_string()); // mendengar → dengar
            if vowel_at(3) {
                out.push(format!("t{}", after(3))); // menulis → tulis
                out.push(format!("n{}", after(3))); // menanti → nanti
            }
        } else {
            out.push(after(2).to_string()); // melihat → lihat, merasa → rasa
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn common_affixes_reach_their_roots() {
        for (word, root) in [
            ("menulis", "tulis"),
            ("memukul", "pukul"),
            ("membaca", "baca"),
            ("mengirim", "kirim"),
            ("menyapu", "sapu"),
            ("mendengar", "dengar"),
            ("melihat", "lihat"),
            ("pertemuan", "temu"),
            ("kebijakan", "bijak"),
            ("diluncurkan", "luncur"),
            ("peluncuran", "luncur"),
            ("memperkenalkan", "kenal"),
            ("bertemu", "temu"),
            ("rudalnya", "rudal"),
            ("pemerintah", "perintah"),
        ] {
            assert_eq!(stem(word), root, "{word}");
        }
    }

    #[test]
    fn roots_names_and_english_words_are_left_alone() {
        for word in [
            "rudal",
            "jakarta",
            "tertitskiy",
            "meeting",
            "president",
            "dinner",
        ] {
            assert_eq!(stem(word), word);
        }
    }
}
