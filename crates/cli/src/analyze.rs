//! `warta analyze`: article records enriched with language, sentences and entities.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use warta_nlp::{AnalyzeOptions, TextAnalyzer};

use crate::extract::{ExtractArgs, run_pipeline};

/// Options of `warta analyze`: those of `warta extract`, plus what to write.
#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    #[command(flatten)]
    input: ExtractArgs,
    /// Also list every sentence's tokens as character ranges.
    #[arg(long)]
    tokens: bool,
}

/// Runs `warta analyze`.
pub(crate) fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    let analyzer = TextAnalyzer::new(AnalyzeOptions {
        tokens: args.tokens,
    });
    run_pipeline(&args.input, Some(&analyzer))
}
