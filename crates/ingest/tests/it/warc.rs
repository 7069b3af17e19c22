//! The WARC reader on records built here: plain and gzip (per record and whole file),
//! chunked and gzip-encoded HTTP bodies, skipped record types, caps, junk and truncation.

use std::io::BufReader;

use warta_ingest::sources::warc::{WarcError, WarcLimits, WarcReader, WarcRecord};

use crate::gz;

/// One WARC record with the given type, extra header lines and block.
fn record(kind: &str, extra: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nWARC-Date: 2024-05-06T07:08:09Z\r\n",
        block.len()
    );
    for (k, v) in extra {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uri: &str, http_head: &str, body: &[u8]) -> Vec<u8> {
    let mut block = http_head.replace('\n', "\r\n").into_bytes();
    block.extend_from_slice(b"\r\n");
    block.extend_from_slice(body);
    record(
        "response",
        &[
            ("WARC-Target-URI", uri),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        &block,
    )
}

fn warcinfo() -> Vec<u8> {
    record(
        "warcinfo",
        &[("Content-Type", "application/warc-fields")],
        b"software: warta-tests\r\n",
    )
}

fn request(uri: &str) -> Vec<u8> {
    record(
        "request",
        &[
            ("WARC-Target-URI", uri),
            ("Content-Type", "application/http; msgtype=request"),
        ],
        b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n",
    )
}

const HTML: &[u8] = b"<html><head><title>Banjir</title></head><body><p>Air naik.</p></body></html>";

fn read_all(bytes: &[u8]) -> Vec<Result<WarcRecord, WarcError>> {
    WarcReader::new(bytes).collect()
}

fn read_with(bytes: &[u8], limits: WarcLimits) -> Vec<Result<WarcRecord, WarcError>> {
    WarcReader::with_limits(bytes, limits).collect()
}

fn plain_archive() -> Vec<u8> {
    let mut w = warcinfo();
    w.extend(request("https://example.org/a"));
    w.extend(response(
        "https://example.org/a",
        "HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Length: 82\n",
        HTML,
    ));
    w.extend(record(
        "metadata",
        &[("WARC-Target-URI", "https://example.org/a")],
        b"outlink: https://example.org/b\r\n",
    ));
    w.extend(record(
        "resource",
        &[
            ("WARC-Target-URI", "file:///notes/b.html"),
            ("Content-Type", "text/html"),
        ],
        b"<p>resource</p>",
    ));
    w.extend(record(
        "resource",
        &[
            ("WARC-Target-URI", "file:///img/c.png"),
            ("Content-Type", "image/png"),
        ],
        b"\x89PNG....",
    ));
    w
}

#[test]
fn yields_responses_and_html_resources_only() {
    let records: Vec<WarcRecord> = read_all(&plain_archive())
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.record_type, "response");
    assert_eq!(r.target_uri.as_deref(), Some("https://example.org/a"));
    assert_eq!(r.date.as_deref(), Some("2024-05-06T07:08:09Z"));
    assert!(
        r.record_id
            .as_deref()
            .unwrap()
            .starts_with("<urn:uuid:response")
    );
    assert_eq!(r.http_status, Some(200));
    assert_eq!(r.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(r.http_header("content-length"), Some("82"));
    assert_eq!(r.payload, HTML);
    let res = &records[1];
    assert_eq!(res.record_type, "resource");
    assert_eq!(res.http_status, None);
    assert_eq!(res.content_type.as_deref(), Some("text/html"));
    assert_eq!(res.payload, b"<p>resource</p>");
    let doc = records[0].clone().into_raw_doc("a.warc#0");
    assert_eq!(doc.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(doc.bytes, HTML);
}

#[test]
fn offsets_point_at_record_starts() {
    let archive = plain_archive();
    for r in read_all(&archive) {
        let r = r.unwrap();
        assert!(archive[r.offset as usize..].starts_with(b"WARC/1.1\r\n"));
    }
}

#[test]
fn reads_per_record_gzip_members_and_whole_file_gzip() {
    let mut members = Vec::new();
    members.extend(gz(&warcinfo()));
    members.extend(gz(&response(
        "https://example.org/1",
        "HTTP/1.1 200 OK\nContent-Type: text/html\n",
        b"<p>one</p>",
    )));
    members.extend(gz(&response(
        "https://example.org/2",
        "HTTP/1.1 200 OK\nContent-Type: text/html\n",
        b"<p>two</p>",
    )));
    let reader = WarcReader::new(&members[..]);
    assert!(reader.is_gzip());
    let uris: Vec<String> = reader.map(|r| r.unwrap().target_uri.unwrap()).collect();
    assert_eq!(uris, ["https://example.org/1", "https://example.org/2"]);

    let whole = gz(&plain_archive());
    assert_eq!(read_all(&whole).iter().filter(|r| r.is_ok()).count(), 2);
    // Through a small buffer, as from a file.
    let small = BufReader::with_capacity(7, &whole[..]);
    assert_eq!(WarcReader::new(small).filter(Result::is_ok).count(), 2);
}

#[test]
fn undoes_chunked_transfer_and_gzip_content_encoding() {
    let mut chunked = Vec::new();
    for piece in [&b"<html><body><p>Rapat di "[..], b"Balai Kota.</p>"] {
        chunked.extend(format!("{:x}\r\n", piece.len()).bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let gzipped = gz(HTML);
    let mut both = format!("{:x}\r\n", gzipped.len()).into_bytes();
    both.extend_from_slice(&gzipped);
    both.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut w = response(
        "https://example.org/chunked",
        "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Type: text/html\n",
        &chunked,
    );
    w.extend(response(
        "https://example.org/gzip",
        "HTTP/1.1 200 OK\nContent-Encoding: gzip\nContent-Type: text/html\n",
        &gzipped,
    ));
    w.extend(response(
        "https://example.org/both",
        "HTTP/1.1 200 OK\nContent-Encoding: gzip\nTransfer-Encoding: chunked\n",
        &both,
    ));
    // Stored already decoded, headers kept: the body passes through as it is.
    w.extend(response(
        "https://example.org/decoded",
        "HTTP/1.1 200 OK\nContent-Encoding: gzip\nTransfer-Encoding: chunked\n",
        HTML,
    ));
    let payloads: Vec<Vec<u8>> = read_all(&w)
        .into_iter()
        .map(|r| r.unwrap().payload)
        .collect();
    assert_eq!(payloads[0], b"<html><body><p>Rapat di Balai Kota.</p>");
    assert_eq!(payloads[1], HTML);
    assert_eq!(payloads[2], HTML);
    assert_eq!(payloads[3], HTML);
}

#[test]
fn a_gzip_bomb_in_a_body_is_an_error_item_and_reading_goes_on() {
    let bomb = gz(&vec![b'a'; 4 << 20]);
    let mut w = response(
        "https://example.org/bomb",
        "HTTP/1.1 200 OK\nContent-Encoding: gzip\n",
        &bomb,
    );
    w.extend(response(
        "https://example.org/ok",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let limits = WarcLimits {
        max_payload_bytes: 1 << 20,
        ..WarcLimits::default()
    };
    let items = read_with(&w, limits);
    assert_eq!(items.len(), 2);
    let e = items[0].as_ref().unwrap_err();
    assert!(matches!(e, WarcError::Payload { offset: 0, .. }), "{e}");
    assert!(e.to_string().contains("https://example.org/bomb"));
    assert_eq!(items[1].as_ref().unwrap().payload, HTML);
}

#[test]
fn oversized_records_are_skipped_by_content_length() {
    let mut w = response(
        "https://example.org/big",
        "HTTP/1.1 200 OK\n",
        &vec![b'x'; 10_000],
    );
    let second_at = w.len() as u64;
    w.extend(response(
        "https://example.org/small",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let limits = WarcLimits {
        max_record_bytes: 5_000,
        ..WarcLimits::default()
    };
    let items = read_with(&w, limits);
    assert_eq!(items.len(), 2);
    match &items[0] {
        Err(WarcError::TooLarge {
            offset,
            length,
            uri,
            ..
        }) => {
            assert_eq!(*offset, 0);
            assert!(*length > 10_000);
            assert_eq!(uri.as_deref(), Some("https://example.org/big"));
        }
        other => panic!("{other:?}"),
    }
    let ok = items[1].as_ref().unwrap();
    assert_eq!(ok.offset, second_at);
    assert_eq!(ok.target_uri.as_deref(), Some("https://example.org/small"));
}

#[test]
fn a_truncated_final_record_names_its_offset_and_ends_cleanly() {
    let mut w = response("https://example.org/1", "HTTP/1.1 200 OK\n", HTML);
    let cut_at = w.len() as u64;
    let full = response("https://example.org/2", "HTTP/1.1 200 OK\n", HTML);
    w.extend_from_slice(&full[..full.len() - 40]);
    let items = read_all(&w);
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    let e = items[1].as_ref().unwrap_err();
    assert!(matches!(e, WarcError::Truncated { .. }), "{e}");
    assert_eq!(e.offset(), cut_at);
    assert!(e.to_string().contains(&format!("offset {cut_at}")));

    // Cut inside the header.
    let mut w = response("https://example.org/1", "HTTP/1.1 200 OK\n", HTML);
    w.extend_from_slice(b"WARC/1.1\r\nWARC-Type: resp");
    let items = read_all(&w);
    assert!(matches!(items[1], Err(WarcError::TruncatedHeader { .. })));

    // A truncated gzip member: the records before it are read.
    let mut g = gz(&response(
        "https://example.org/1",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let second = gz(&full);
    g.extend_from_slice(&second[..second.len() / 2]);
    let items = read_all(&g);
    assert!(items[0].is_ok());
    assert_eq!(items.len(), 2);
    assert!(items[1].is_err());
}

#[test]
fn junk_and_bad_headers_are_skipped_up_to_the_next_record() {
    let mut w = b"this is not a warc record\r\nnor this\r\n".to_vec();
    w.extend(response("https://example.org/1", "HTTP/1.1 200 OK\n", HTML));
    // A record without Content-Length.
    w.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nbody text\r\n\r\n");
    w.extend(response("https://example.org/2", "HTTP/1.1 200 OK\n", HTML));
    // A response whose HTTP message is not HTTP.
    w.extend(response("https://example.org/3", "SPDY nonsense\n", HTML));
    w.extend(response(
        "https://example.org/4",
        "HTTP/1.1 301 Moved\nLocation: /5\n",
        b"",
    ));
    let items = read_all(&w);
    let summary: Vec<String> = items
        .iter()
        .map(|r| match r {
            Ok(r) => r.target_uri.clone().unwrap(),
            Err(WarcError::NotWarc { .. }) => "not-warc".into(),
            Err(WarcError::BadHeader { .. }) => "bad-header".into(),
            Err(WarcError::Http { .. }) => "bad-http".into(),
            Err(e) => panic!("{e}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "not-warc",
            "https://example.org/1",
            "bad-header",
            "https://example.org/2",
            "bad-http",
            "https://example.org/4"
        ]
    );
    let moved = items.last().unwrap().as_ref().unwrap();
    assert_eq!(moved.http_status, Some(301));
    assert!(moved.payload.is_empty());
}

#[test]
fn an_oversized_header_is_an_error_item() {
    let long = "x".repeat(2_000);
    let mut w = record("response", &[("X-Long", &long)], b"HTTP/1.1 200 OK\r\n\r\n");
    w.extend(response(
        "https://example.org/ok",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let limits = WarcLimits {
        max_header_bytes: 1_000,
        ..WarcLimits::default()
    };
    let items = read_with(&w, limits);
    assert!(matches!(
        items[0],
        Err(WarcError::HeaderTooLarge { offset: 0, .. })
    ));
    assert_eq!(
        items
            .last()
            .unwrap()
            .as_ref()
            .unwrap()
            .target_uri
            .as_deref(),
        Some("https://example.org/ok")
    );
}

#[test]
fn warc_1_0_and_empty_input() {
    let w = String::from_utf8(response("https://example.org/1", "HTTP/1.0 200 OK\n", HTML))
        .unwrap()
        .replacen("WARC/1.1", "WARC/1.0", 1);
    assert_eq!(read_all(w.as_bytes()).len(), 1);
    assert!(read_all(b"").is_empty());
    assert!(read_all(b"\r\n\r\n").is_empty());
}

/// Throughput on a 200 MB archive of 100 KB gzip-compressed records (run with
/// `cargo test --profile train -p warta-ingest --test it warc_throughput -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement, not a check"]
fn warc_throughput() {
    let body: Vec<u8> = (0..100_000u32)
        .map(|i| b"abcdefghij klmnopqrs tuvwxyz <p>\n"[(i % 33) as usize])
        .collect();
    let one = gz(&response(
        "https://example.org/page",
        "HTTP/1.1 200 OK\nContent-Type: text/html\n",
        &body,
    ));
    let plain_one = response(
        "https://example.org/page",
        "HTTP/1.1 200 OK\nContent-Type: text/html\n",
        &body,
    );
    for (label, record) in [("plain", &plain_one), ("gzip per record", &one)] {
        let archive: Vec<u8> = record.repeat(2_000);
        let start = std::time::Instant::now();
        let mut bytes = 0usize;
        for r in WarcReader::new(&archive[..]) {
            bytes += r.unwrap().payload.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{label}: {} records, {:.0} MB of payload in {secs:.2} s: {:.0} MB/s",
            2_000,
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs
        );
    }
}

#[test]
fn a_corrupt_gzip_member_loses_only_its_records() {
    let one = gz(&response(
        "https://example.org/1",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let mut two = gz(&response(
        "https://example.org/2",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    // Damage the deflate data in the middle of the second member.
    let mid = two.len() / 2;
    for b in &mut two[mid..mid + 8] {
        *b ^= 0x5a;
    }
    let three = gz(&response(
        "https://example.org/3",
        "HTTP/1.1 200 OK\n",
        HTML,
    ));
    let mut w = one.clone();
    w.extend_from_slice(&two);
    w.extend_from_slice(&three);
    // Junk between members, then a fourth record.
    w.extend_from_slice(b"garbage between members");
    w.extend(gz(&response(
        "https://example.org/4",
        "HTTP/1.1 200 OK\n",
        HTML,
    )));
    for capacity in [8192, 7] {
        let items: Vec<_> = WarcReader::new(BufReader::with_capacity(capacity, &w[..])).collect();
        let summary: Vec<String> = items
            .iter()
            .map(|r| match r {
                Ok(r) => r.target_uri.clone().unwrap(),
                Err(WarcError::Gzip { source, .. }) => format!("gzip: {source}"),
                Err(e) => format!("other: {e}"),
            })
            .collect();
        assert_eq!(summary.len(), 5, "{summary:?}");
        assert_eq!(summary[0], "https://example.org/1");
        assert!(
            summary[1].starts_with(&format!(
                "gzip: gzip member at compressed byte {}",
                one.len()
            )),
            "{summary:?}"
        );
        assert_eq!(summary[2], "https://example.org/3");
        assert!(
            summary[3].starts_with("gzip: gzip member at compressed byte"),
            "{summary:?}"
        );
        assert_eq!(summary[4], "https://example.org/4");
    }
}
