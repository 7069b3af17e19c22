//! Integration tests of warta-alerts: matching over a store, and delivery to a local
//! fake Telegram Bot API and a local webhook receiver (plain `std::net` servers on
//! 127.0.0.1, port 0).

mod delivery;
mod fake;
mod matching;
