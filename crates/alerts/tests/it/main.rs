//! Integration tests of warta-alerts.
