//! How many abbreviations of a list (one per line) keep a sentence whole when
//! followed by a capitalised word: `… {abbr}. Sudirman …`.
use warta_nlp::segment::Segmenter;

fn main() {
    let path = std::env::args().nth(1).expect("a list of abbreviations");
    let list = std::fs::read_to_string(path).expect("readable");
    let s = Segmenter::shared();
    let (mut ok, mut all) = (0, 0);
    let mut missed = Vec::new();
    for a in list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let a = a.trim_end_matches('.');
        let cap: String = a
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .chain(a.chars().skip(1))
            .collect();
        let text = format!("Dia tinggal di {cap}. Sudirman sejak lama.");
        let mut toks = Vec::new();
        s.tokenize(&text, &mut toks);
        let mut out = Vec::new();
        s.sentences(&text, &toks, &mut out);
        all += 1;
        if out.len() == 1 {
            ok += 1
        } else {
            missed.push(a.to_string())
        }
    }
    println!(
        "{ok}/{all} kept whole; missed e.g. {:?}",
        &missed[..missed.len().min(40)]
    );
}
