//! Channel senders: the Telegram Bot API (`sendMessage`) and signed webhook POSTs, over
//! ureq (the HTTP client warta already uses). A send either succeeds, asks to be
//! retried (network errors, 5xx, 429 with its wait), or fails for good (other 4xx).
//! The bot token is part of the request path only: it never appears in an error.

use std::io::Read;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a send attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted; what the channel answered.
    Sent(String),
    /// Failed for now: try again, not before `after` when the channel said so.
    Retry {
        /// The wait the channel asked for (`retry_after`, `Retry-After`).
        after: Option<Duration>,
        /// Why.
        reason: String,
    },
    /// Refused for good (a bad chat id, a gone endpoint).
    Failed(String),
}

/// Builds the HTTP agent for delivery: statuses are answers (not errors), no proxy, a
/// deadline per request.
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .user_agent(concat!("warta-alerts/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn read_body(body: &mut ureq::Body) -> String {
    let mut text = String::new();
    let _ = body.as_reader().take(64 * 1024).read_to_string(&mut text);
    text
}

/// The Telegram Bot API.
pub struct Telegram {
    /// API base, `https://api.telegram.org` (a local fake in tests).
    pub api_base: String,
    /// The bot token (secret).
    pub token: String,
}

impl std::fmt::Debug for Telegram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Telegram")
            .field("api_base", &self.api_base)
            .field("token", &"<hidden>")
            .finish()
    }
}

impl Telegram {
    /// Sends `html` (HTML parse mode) to `chat_id`.
    pub fn send(&self, agent: &ureq::Agent, chat_id: &str, html: &str) -> SendOutcome {
        let chat: serde_json::Value = match chat_id.parse::<i64>() {
            Ok(n) => n.into(),
            Err(_) => chat_id.into(),
        };
        let body = serde_json::json!({
            "chat_id": chat,
            "text": html,
            "parse_mode": "HTML",
        });
        let url = format!(
            "{}/bot{}/sendMessage",
            self.api_base.trim_end_matches('/'),
            self.token
        );
        let redact = |s: String| {
            if self.token.is_empty() {
                s
            } else {
                s.replace(&self.token, "<token>")
            }
        };
        let mut response = match agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
        {
            Ok(r) => r,
            Err(e) => {
                return SendOutcome::Retry {
                    after: None,
                    reason: redact(format!("Telegram API unreachable: {e}")),
                };
            }
        };
        let status = response.status().as_u16();
        let text = read_body(response.body_mut());
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let description = answer["description"]
            .as_str()
            .map(|d| redact(d.to_string()))
            .unwrap_or_default();
        match status {
            200..=299 if answer["ok"].as_bool() != Some(false) => SendOutcome::Sent(format!(
                "telegram message {}",
                answer["result"]["message_id"]
            )),
            429 => SendOutcome::Retry {
                after: answer["parameters"]["retry_after"]
                    .as_u64()
                    .map(Duration::from_secs),
                reason: format!("Telegram rate limit (429): {description}"),
            },
            // A wrong token is fixed in the configuration; keep the message until then.
            401 | 408 | 500..=599 => SendOutcome::Retry {
                after: None,
                reason: format!("Telegram answered {status}: {description}"),
            },
            _ => SendOutcome::Failed(format!("Telegram refused ({status}): {description}")),
        }
    }
}

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: the `X-Warta-Signature`
/// header of a webhook POST.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `header` is the signature of `body` under `secret` (compared in constant
/// time): what a receiver checks.
pub fn verify_signature(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.strip_prefix("sha256=") else {
        return false;
    };
    if hex.len() != 64 {
        return false;
    }
    let mut expected = [0u8; 32];
    for (i, chunk) in hex.as_bytes().chunks(2).enumerate() {
        let Ok(s) = std::str::from_utf8(chunk) else {
            return false;
        };
        let Ok(b) = u8::from_str_radix(s, 16) else {
            return false;
        };
        expected[i] = b;
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// POSTs a JSON body to a webhook, signed when there is a secret, with the idempotency
/// key as `X-Warta-Idempotency-Key`.
pub fn post_webhook(
    agent: &ureq::Agent,
    url: &str,
    secret: Option<&str>,
    key: &str,
    body: &[u8],
) -> SendOutcome {
    let mut request = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Warta-Idempotency-Key", key);
    if let Some(secret) = secret {
        request = request.header("X-Warta-Signature", &signature(secret, body));
    }
    let mut response = match request.send(body) {
        Ok(r) => r,
        Err(e) => {
            return SendOutcome::Retry {
                after: None,
                reason: format!("webhook unreachable: {e}"),
            };
        }
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let _ = read_body(response.body_mut());
    match status {
        200..=299 => SendOutcome::Sent(format!("webhook answered {status}")),
        408 | 425 | 429 | 500..=599 => SendOutcome::Retry {
            after: retry_after,
            reason: format!("webhook answered {status}"),
        },
        _ => SendOutcome::Failed(format!("webhook refused ({status})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify() {
        // RFC 4231 test case 2.
        let sig = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(
            sig,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify_signature(
            "Jefe",
            b"what do ya want for nothing?",
            &sig
        ));
        assert!(!verify_signature(
            "Jefe",
            b"what do ya want for nothing!",
            &sig
        ));
        assert!(!verify_signature(
            "jefe",
            b"what do ya want for nothing?",
            &sig
        ));
        assert!(!verify_signature("Jefe", b"x", "sha256=zz"));
    }
}
