//! The `warta` binary end to end: inputs, formats, errors that do not stop a batch.

use std::io::Write;
use std::process::{Command, Stdio};

fn warta() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warta"))
}

fn fixture(rel: &str) -> String {
    format!(
        "{}/../extract/tests/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn one_input_gives_one_json_object() {
    let out = warta()
        .args(["extract", &fixture("html/en-wire.html")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Port strike enters second week as talks stall");
    assert_eq!(v["pages"], 1);
}

#[test]
fn a_batch_goes_on_past_bad_inputs_and_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("html/en-wire.html"), dir.path().join("a.html")).unwrap();
    std::fs::copy(
        fixture("text/en-wire-reuters.txt"),
        dir.path().join("b.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("c.html"), [0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9]).unwrap();
    std::fs::write(dir.path().join("ignored.png"), b"not a document").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(fixture("html/id-multipage-1.html")).unwrap())
        .unwrap();
    std::fs::write(dir.path().join("d.html.gz"), gz.finish().unwrap()).unwrap();
    let out = warta()
        .args([
            "extract",
            "--jobs",
            "2",
            dir.path().to_str().unwrap(),
            "/no/such/file.html",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "jsonl, one record per good input, in input order"
    );
    assert!(lines[0]["input"].as_str().unwrap().ends_with("a.html"));
    assert!(lines[2]["input"].as_str().unwrap().ends_with("d.html.gz"));
    assert_eq!(lines[2]["site"], "kabarpesisir.example");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("c.html: this is not text or HTML"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/no/such/file.html: cannot read it"),
        "{stderr}"
    );
    assert!(
        stderr.contains("5 documents, 3 articles, 2 errors"),
        "{stderr}"
    );
}

#[test]
fn stdin_with_url_and_markdown() {
    let mut child = warta()
        .args([
            "extract",
            "--format",
            "markdown",
            "--url",
            "https://news.harbourtimes.example/x",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(fixture("html/en-wire.html")).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.starts_with("# Port strike enters second week as talks stall\n"),
        "{md}"
    );
    assert!(md.contains("\n## Queues at sea\n"));
    assert!(md.contains(
        "> Idle container cranes at the Maasvlakte terminal on Sunday. (Anna de Vries/Harbour Wire)"
    ));
}

#[test]
fn text_format_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.txt");
    let st = warta()
        .args([
            "extract",
            "--format",
            "text",
            "--out",
            out_path.to_str().unwrap(),
            &fixture("text/id-lensakota-dateline.txt"),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(out_path).unwrap();
    assert!(!text.contains('{'));
    assert!(text.lines().count() > 3);
}

#[test]
fn no_article_anywhere_exits_nonzero_with_a_clear_message() {
    let out = warta()
        .args(["extract", &fixture("html/index-page.html")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article body found"));
}

/// Runs `warta <command> SEED` and the seed's own checker on one part of the gold facts.
fn check_seed(command: &str, part: &str) {
    let seed = format!("{}/../../../shared/corpus/seed", env!("CARGO_MANIFEST_DIR"));
    let txt = format!("{seed}/andalpost-20230913.txt");
    if !std::path::Path::new(&txt).exists() {
        eprintln!("skipped: ../shared/corpus/seed is not checked out next to the repository");
        return;
    }
    let out = warta().args([command, &txt]).output().unwrap();
    assert!(out.status.success());
    let rec = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(rec.path(), &out.stdout).unwrap();
    let check = Command::new("python3")
        .args([
            &format!("{seed}/check.py"),
            part,
            &format!("{seed}/andalpost-20230913.gold.json"),
        ])
        .arg(rec.path())
        .output();
    match check {
        Ok(c) => assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stdout)),
        Err(e) => eprintln!("skipped the gold check: python3 is not available ({e})"),
    }
}

#[test]
fn the_seed_document_matches_its_gold_facts() {
    check_seed("extract", "extract");
}

#[test]
fn the_seed_document_entities_match_their_gold_facts() {
    check_seed("analyze", "entities");
}

#[test]
fn the_seed_document_quotes_match_their_gold_facts() {
    check_seed("analyze", "quotes");
}

#[test]
fn the_seed_document_times_match_their_gold_facts() {
    check_seed("analyze", "times");
}

#[test]
fn analyze_adds_language_sentences_and_linked_entities() {
    let out = warta()
        .args([
            "analyze",
            "--tokens",
            &fixture("text/id-lensakota-dateline.txt"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rec["language"], "id");
    let sentences = rec["sentences"].as_array().unwrap();
    assert!(sentences.len() > 3);
    let text: Vec<char> = rec["text"].as_str().unwrap().chars().collect();
    // Offsets are characters of `text`, and tokens lie inside their sentence.
    for s in sentences {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= text.len());
        for t in s["tokens"].as_array().unwrap() {
            let (x, y) = (
                t[0].as_u64().unwrap() as usize,
                t[1].as_u64().unwrap() as usize,
            );
            assert!(a <= x && x < y && y <= b);
        }
    }
    assert!(rec["entities"].is_array());
}

#[test]
fn analyze_reads_json_lines_of_text_and_keeps_ids() {
    let mut child = warta()
        .args([
            "analyze",
            "--input-format",
            "jsonl",
            "--published",
            "2023-09-13",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "{\"id\": \"story-1\", \"text\": \"Presiden Joko Widodo tiba di Surabaya.\\n\\n“Kami siap membantu warga,” kata Jokowi.\"}\n\
             this line is not JSON\n\
             {\"id\": \"story-2\", \"text\": \"The minister arrived in Jakarta on Monday.\", \"language\": \"en\", \"published\": \"2024-01-02\"}\n"
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-:2: not a text record"), "{stderr}");
    let recs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], "story-1");
    assert_eq!(recs[0]["published"], "2023-09-13");
    assert_eq!(recs[0]["paragraphs"].as_array().unwrap().len(), 2);
    assert_eq!(recs[0]["quotes"][0]["speaker"], "Joko Widodo");
    assert_eq!(recs[1]["id"], "story-2");
    assert_eq!(recs[1]["published"], "2024-01-02");
}

#[test]
fn analyze_rejects_a_malformed_published_date() {
    let out = warta()
        .args(["analyze", "--published", "13/9/2023", "-"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

/// `warta ingest` into a fresh store, twice: the second run adds nothing; the store
/// checks clean; export lists what was stored.
#[test]
fn ingest_is_idempotent_and_the_store_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let data = data.to_str().unwrap();
    let html = fixture("html");
    let run = |args: &[&str]| {
        let out = warta().args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = run(&["ingest", "--data", data, &html]);
    assert!(ok, "{err}");
    assert!(err.contains(" new,"), "{err}");
    assert!(err.contains("0 errors"), "{err}");
    let (ok, _, err2) = run(&["ingest", "--data", data, &html]);
    assert!(ok, "{err2}");
    assert!(err2.contains("0 new, 0 updated"), "{err2}");
    let (ok, out, _) = run(&["check", "--data", data]);
    assert!(ok, "{out}");
    assert!(out.contains("store is sound"), "{out}");
    let (ok, out, err) = run(&["export", "--data", data]);
    assert!(ok, "{err}");
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r["copies"].is_array()));
    let (ok, out, _) = run(&["export", "--data", data, "--format", "csv"]);
    assert!(ok);
    assert!(out.starts_with("id,url,canonical_url,site,title"));
    let (ok, _, _) = run(&["reindex", "--data", data]);
    assert!(ok);
}

/// A source that does not exist is one error in the summary, and the rest is ingested.
#[test]
fn a_missing_source_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let out = warta()
        .args([
            "ingest",
            "--data",
            data.to_str().unwrap(),
            "no/such/file.html",
            &fixture("html/en-wire.html"),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("1 new"), "{err}");
    assert!(err.contains("1 errors"), "{err}");
}

/// Sources are registered once per address and listed.
#[test]
fn sources_are_registered_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let data = data.to_str().unwrap();
    for _ in 0..2 {
        let out = warta()
            .args([
                "sources",
                "add",
                "https://example.org/rss",
                "--every",
                "15m",
                "--data",
                data,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = warta()
        .args(["sources", "list", "--data", data])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("every    900 s"), "{list}");
    let bad = warta()
        .args([
            "sources",
            "add",
            "https://example.org/x",
            "--every",
            "5x",
            "--data",
            data,
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

/// A running `warta serve` and its address; killed when dropped.
struct Served {
    child: std::process::Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &std::path::Path, token: &str) -> Served {
    use std::io::BufRead;
    let mut child = warta()
        .args(["serve", "--addr", "127.0.0.1:0", "--token", token, "--data"])
        .arg(data)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Served { child, addr }
}

/// One HTTP/1.1 request; the status and body of the answer.
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    // Chunked bodies: keep the JSON between the chunk sizes.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => body[a..=b].to_string(),
        _ => body.to_string(),
    };
    (status, body)
}

/// POST /api/ingest runs the real pipeline: the page is extracted, analysed, stored and
/// at once searchable; writes need the token; sending it again changes nothing.
#[test]
fn the_api_ingests_a_page_through_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(&dir.path().join("data"), "s3cret");
    let html = std::fs::read_to_string(fixture("html/en-wire.html")).unwrap();
    let body =
        serde_json::json!({"html": html, "base_url": "https://news.example/2023/09/13/rudal"})
            .to_string();
    let (status, _) = http(&served.addr, "POST", "/api/ingest", None, &body);
    assert_eq!(status, 401);
    let (status, _) = http(&served.addr, "POST", "/api/ingest", Some("wrong"), &body);
    assert_eq!(status, 401);
    let (status, answer) = http(&served.addr, "POST", "/api/ingest", Some("s3cret"), &body);
    assert_eq!(status, 200, "{answer}");
    let report: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(report["outcome"], "new", "{answer}");
    let id = report["id"].as_str().unwrap().to_string();
    assert!(
        report["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{answer}"
    );

    let (status, article) = http(
        &served.addr,
        "GET",
        &format!("/api/articles/{id}"),
        None,
        "",
    );
    assert_eq!(status, 200, "{article}");
    let article: serde_json::Value = serde_json::from_str(&article).unwrap();
    let text = article["article"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!text.is_empty(), "{article}");
    assert!(
        article["article"]["entities"].as_array().is_some(),
        "analysed: {article}"
    );

    // A word of its text finds it.
    let word: String = text
        .split_whitespace()
        .find(|w| w.len() > 6 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_string();
    let (status, found) = http(
        &served.addr,
        "GET",
        &format!("/api/search?q={word}"),
        None,
        "",
    );
    assert_eq!(status, 200, "{found}");
    assert!(found.contains(&id), "{word}: {found}");

    let (status, again) = http(&served.addr, "POST", "/api/ingest", Some("s3cret"), &body);
    assert_eq!(status, 200, "{again}");
    assert!(again.contains("ingested before, unchanged"), "{again}");
    let (_, stats) = http(&served.addr, "GET", "/api/stats", None, "");
    assert!(stats.contains("\"articles\":1"), "{stats}");
}

/// A watch for "Korut" finds an article that writes "Korea Utara" (the entity the words
/// name), as `warta search` does; a watch for words naming nothing finds only the words.
#[test]
fn a_watch_for_an_entity_name_finds_it_however_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let data = data.to_str().unwrap();
    let page = dir.path().join("rudal.txt");
    std::fs::write(
        &page,
        "Korea Utara Luncurkan Rudal Balistik ke Laut Timur\n\n\
         Jakarta - Korea Utara kembali meluncurkan rudal balistik ke arah Laut Timur pada \
         Rabu pagi, menurut Kepala Staf Gabungan Korea Selatan. Peluncuran itu terjadi \
         beberapa jam sebelum pertemuan para menteri pertahanan di Seoul.\n\n\
         Pemerintah Jepang mengecam peluncuran tersebut dan meminta Dewan Keamanan PBB \
         segera bersidang.\n",
    )
    .unwrap();
    let out = warta()
        .args(["ingest", "--data", data, page.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let test = |query: &str| {
        let out = warta()
            .args([
                "watch", "test", "w", "--query", query, "--json", "--data", data,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let found = test("Korut");
    let story: serde_json::Value = serde_json::from_str(
        found
            .lines()
            .next()
            .unwrap_or_else(|| panic!("no story: {found}")),
    )
    .unwrap();
    assert!(
        story["title"].as_str().unwrap().contains("Rudal Balistik"),
        "{story}"
    );
    assert!(
        story["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("Korea")),
        "the story names the entity: {story}"
    );
    assert!(test("Korsel rudal").contains("Rudal Balistik"));
    assert!(test("Tiongkok").contains("no stored article matches"));
}
