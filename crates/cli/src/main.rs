//! The `warta` command line: a thin layer that parses options and wires the
//! pipeline stages together. No domain logic lives here.

mod analyze;
mod bench;
mod bench_alerts;
mod bench_store;
mod eval;
mod eval_dedup;
mod eval_text;
mod extract;
mod ingest;
mod ner;
mod output;
mod parquet_export;
mod serve;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Extraction builds and frees many small trees; mimalloc's thread-local free lists
/// make that markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// warta: news intelligence from raw pages, feeds and archives.
#[derive(Debug, Parser)]
#[command(name = "warta", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Turn pages (HTML) or plain-text dumps into clean article records.
    Extract(extract::ExtractArgs),
    /// Extract, then find language, sentences and linked entities (people,
    /// organisations, places, countries).
    Analyze(analyze::AnalyzeArgs),
    /// Read news from files, directories, WARC archives, feeds, sitemaps and URLs
    /// into the store (extract → analyze → fold copies → store and index).
    Ingest(ingest::IngestArgs),
    /// Register, list and remove the feeds and sitemaps `warta run` polls.
    #[command(subcommand)]
    Sources(ingest::SourcesCommand),
    /// Keep polling registered sources on their schedules and delivering watch
    /// alerts until Ctrl-C.
    Run(ingest::RunArgs),
    /// Saved queries that push new matching stories to Telegram, webhooks or an Atom
    /// feed.
    #[command(subcommand)]
    Watch(watch::WatchCommand),
    /// Check the store's integrity.
    Check(ingest::DataArgs),
    /// Rebuild the full-text index from the database.
    Reindex(ingest::DataArgs),
    /// Write stored articles as JSON lines or CSV, with their entities, quotes,
    /// times and copies.
    Export(ingest::ExportArgs),
    /// Search the store: words, phrases, AND/OR/NOT, entity names in any language,
    /// filters by language, entity, site, speaker and dates.
    Search(serve::SearchArgs),
    /// Serve the HTTP/JSON API and the web UI over the store.
    Serve(serve::ServeArgs),
    /// Measure the throughput of a pipeline stage.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Measure quality and speed on an evaluation set.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Retrain the statistical models embedded in the binary.
    #[command(subcommand)]
    Train(TrainCommand),
}

/// Models `warta train` rebuilds.
#[derive(Debug, Subcommand)]
enum TrainCommand {
    /// The named-entity models (per training set, and the production one);
    /// prints each one's validation figures.
    Ner(ner::TrainArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Analyze(args) => analyze::run(&args),
        Command::Ingest(args) => ingest::run_ingest(&args),
        Command::Sources(cmd) => ingest::run_sources(&cmd),
        Command::Run(args) => ingest::run_run(&args),
        Command::Watch(cmd) => watch::run(&cmd),
        Command::Check(args) => ingest::run_check(&args),
        Command::Reindex(args) => ingest::run_reindex(&args),
        Command::Export(args) => ingest::run_export(&args),
        Command::Search(args) => serve::run_search(&args),
        Command::Serve(args) => serve::run_serve(&args),
        Command::Eval(cmd) => eval::run(&cmd),
        Command::Bench(cmd) => bench::run(&cmd),
        Command::Train(TrainCommand::Ner(args)) => ner::train(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`warta extract … | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (unique argument names across flattened groups …).
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
