//! Publication-date benchmark: runs `find_dates` on every page of a set.
//!
//! Usage: `dates_bench SET_DIR PRED.jsonl` where `SET_DIR` holds `truth.jsonl`
//! (`id`, `url`) and `html/<id>.html.gz`. Writes one `{"id","date","modified"}`
//! line per page and prints pages/s, timing only the `find_dates` calls.

use std::io::{BufRead, BufReader, Read, Write};
use std::time::{Duration, Instant};

use warta_core::RawDoc;
use warta_extract::find_dates;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(out)) = (args.get(1), args.get(2)) else {
        return Err("usage: dates_bench SET_DIR PRED.jsonl [--no-url] [--repeat N]".into());
    };
    let use_url = !args.iter().any(|a| a == "--no-url");
    let repeat: u32 = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let dir = std::path::Path::new(dir);
    let truth = BufReader::new(std::fs::File::open(dir.join("truth.jsonl"))?);
    let mut docs = Vec::new();
    for line in truth.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: serde_json::Value = serde_json::from_str(&line)?;
        let id = rec["id"]
            .as_str()
            .ok_or("truth line without id")?
            .to_string();
        let url = rec["url"].as_str().map(str::to_string);
        let file = std::fs::File::open(dir.join("html").join(format!("{id}.html.gz")))?;
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(file).read_to_end(&mut bytes)?;
        let doc = RawDoc {
            input: id.clone(),
            url: if use_url { url } else { None },
            bytes,
            ..RawDoc::default()
        };
        docs.push((id, doc));
    }
    let cpu_start = thread_cpu_ns();
    let mut total = Duration::ZERO;
    let mut results = Vec::with_capacity(docs.len());
    for round in 0..repeat {
        results.clear();
        for (id, doc) in &docs {
            let t = Instant::now();
            let found = find_dates(doc);
            total += t.elapsed();
            if round == 0 || results.len() < docs.len() {
                results.push((id, found));
            }
        }
    }
    let cpu = thread_cpu_ns()
        .zip(cpu_start)
        .map(|(b, a)| (b - a) as f64 / 1e9);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    for (id, f) in &results {
        let rec = serde_json::json!({ "id": id, "date": f.published, "modified": f.modified });
        writeln!(w, "{rec}")?;
    }
    w.flush()?;
    let pages = docs.len() as f64 * f64::from(repeat);
    let secs = total.as_secs_f64();
    println!(
        "{} pages x{repeat} in {secs:.3}s of find_dates: {:.0} pages/s",
        docs.len(),
        if secs > 0.0 { pages / secs } else { 0.0 }
    );
    if let Some(cpu) = cpu.filter(|&c| c > 0.0) {
        // On a busy machine wall time includes waiting for a core; on-CPU time does not.
        println!(
            "on-CPU time of the loop {cpu:.3}s: {:.0} pages/s",
            pages / cpu
        );
    }
    Ok(())
}

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
