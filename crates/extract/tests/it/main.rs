//! Integration tests of warta-extract: whole records from fixture pages.

mod bad_input;
mod html;
mod snapshots;
mod text;
