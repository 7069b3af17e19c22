//! Writing article records as JSON, JSON lines, text or Markdown.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

use clap::ValueEnum;
use warta_core::Article;

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One pretty-printed JSON object (one input) or a JSON array (several).
    Json,
    /// One JSON object per line.
    Jsonl,
    /// The title and the body as plain text.
    Text,
    /// The article as Markdown: title, metadata, headings, body, captions.
    Markdown,
}

/// Writes one record in the given format.
pub(crate) fn write_record(
    out: &mut dyn Write,
    a: &Article,
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, a)?;
            writeln!(out)
        }
        Format::Jsonl => {
            serde_json::to_writer(&mut *out, a)?;
            writeln!(out)
        }
        Format::Text => {
            if let Some(t) = &a.title {
                writeln!(out, "{t}\n")?;
            }
            writeln!(out, "{}\n", a.text)
        }
        Format::Markdown => {
            if let Some(t) = &a.title {
                writeln!(out, "# {t}\n")?;
            }
            let mut meta = Vec::new();
            if let Some(s) = &a.site {
                meta.push(s.clone());
            }
            if let Some(p) = &a.published {
                meta.push(p.clone());
            }
            if !a.authors.is_empty() {
                meta.push(a.authors.join(", "));
            }
            if !meta.is_empty() {
                writeln!(out, "_{}_\n", meta.join(" · "))?;
            }
            let mut headings = a.headings.iter().peekable();
            for block in a.text.split("\n\n") {
                if headings.peek().is_some_and(|h| h.as_str() == block) {
                    headings.next();
                    writeln!(out, "## {block}\n")?;
                } else {
                    writeln!(out, "{block}\n")?;
                }
            }
            for c in &a.captions {
                match &c.credit {
                    Some(cr) => writeln!(out, "> {} ({cr})\n", c.text)?,
                    None => writeln!(out, "> {}\n", c.text)?,
                }
            }
            if a.continues {
                writeln!(
                    out,
                    "_continues on the next page{}_\n",
                    a.next_page
                        .as_deref()
                        .map(|u| format!(": {u}"))
                        .unwrap_or_default()
                )?;
            }
            Ok(())
        }
    }
}

/// Where records go: the `--out` file, else stdout; buffered.
pub(crate) fn open_output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

/// The worker threads for `--jobs` (all cores when not given).
pub(crate) fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}
