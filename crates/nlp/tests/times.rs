//! The time finder on hand-written sentences, the gold set and the seed document.

use warta_nlp::times::{Date, find_times};

/// Prints what is found in each line of `$WARTA_PROBE` (published `$WARTA_PROBE_DATE`).
#[test]
#[ignore = "a tool for reading the finder's output"]
fn probe() {
    let path = std::env::var("WARTA_PROBE").unwrap();
    let published = std::env::var("WARTA_PROBE_DATE")
        .ok()
        .and_then(|d| Date::parse(&d));
    for line in std::fs::read_to_string(path).unwrap().lines() {
        println!("> {line}");
        for t in find_times(line, published, "id") {
            println!(
                "   [{}..{}] {:?} => {} ({})",
                t.start, t.end, t.text, t.value, t.kind
            );
        }
    }
}
