//! Fuzzes the whole extraction stage (decoding, HTML tree, text dumps, dates) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let doc = warta_core::RawDoc {
        input: "fuzz".into(),
        url: Some("https://example.org/news/2024/01/02/story".into()),
        bytes: data.to_vec(),
        ..Default::default()
    };
    let _ = warta_extract::extract(&doc);
    let _ = warta_extract::find_dates(&doc);
});
