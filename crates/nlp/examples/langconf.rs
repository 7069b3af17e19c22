//! Prints how lines of stdin (≥ 80 bytes) are identified: a quick check of the
//! language identifier on a corpus, e.g. the NER sentences (all Indonesian).
use std::collections::BTreeMap;
use std::io::BufRead;

use warta_nlp::language::LanguageIdentifier;

fn main() {
    let id = LanguageIdentifier::shared();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if line.len() < 80 {
            continue;
        }
        let l = id.identify(&line);
        if std::env::args().any(|a| a == "-v") && l.code != "id" {
            println!("{} {}", l.code, line);
        }
        *counts.entry(l.code).or_default() += 1;
    }
    println!("{counts:?}");
}
