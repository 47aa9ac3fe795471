//! What a failed send means for the outbox (retry, give up, or ask the owner), and the
//! sentence the owner reads.

use std::time::Duration;

use crate::graph::{GraphError, is_server_error};

/// Meta's error codes the outbox treats specially.
pub mod codes {
    pub const ACCESS_TOKEN: i64 = 190;
    pub const POLICY_BLOCK: i64 = 368;
    pub const THROUGHPUT: i64 = 130_429;
    pub const SOMETHING_WENT_WRONG: i64 = 131_000;
    pub const SERVICE_UNAVAILABLE: i64 = 131_016;
    pub const UNDELIVERABLE: i64 = 131_026;
    pub const OUTSIDE_WINDOW: i64 = 131_047;
    pub const PAIR_RATE: i64 = 131_056;
}

/// What the outbox does after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Meta did not take the message: try again after the delay.
    Retry { delay: Duration },
    /// Meta may have taken the message: never resend on our own.
    Uncertain,
    /// Meta refused it for good: the owner reads why.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// `base · factor^(attempt-1)`, capped: 2× in general, 4× for the per-customer
    /// pair limit (Meta's advice for 131056 is 4^X seconds).
    fn delay(self, attempt: u32, factor: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let multiplier = factor.saturating_pow(exponent);
        self.base.saturating_mul(multiplier).min(self.max)
    }
}

/// `attempt` is the number of the attempt that just failed, from 1.
pub fn verdict(error: &GraphError, attempt: u32, backoff: Backoff) -> Verdict {
    match error {
        GraphError::NotSent(_) => Verdict::Retry {
            delay: backoff.delay(attempt, 2),
        },
        GraphError::NoAnswer(_) | GraphError::BadResponse(_) => Verdict::Uncertain,
        GraphError::HttpStatus { status } if is_server_error(*status) => Verdict::Retry {
            delay: backoff.delay(attempt, 2),
        },
        GraphError::Meta(meta) => match meta.code {
            codes::PAIR_RATE => Verdict::Retry {
                delay: backoff.delay(attempt, 4),
            },
            codes::THROUGHPUT | codes::SOMETHING_WENT_WRONG | codes::SERVICE_UNAVAILABLE => {
                Verdict::Retry {
                    delay: backoff.delay(attempt, 2),
                }
            }
            _ if is_server_error(meta.http_status) => Verdict::Retry {
                delay: backoff.delay(attempt, 2),
            },
            _ => Verdict::Failed,
        },
        GraphError::HttpStatus { .. }
        | GraphError::NoAccessToken
        | GraphError::Secrets(_)
        | GraphError::Setup(_) => Verdict::Failed,
    }
}

/// What happened and what to do, in the owner's words.
pub fn explain(error: &GraphError) -> String {
    match error {
        GraphError::NoAccessToken => {
            "WhatsApp is not connected yet: this computer has no WhatsApp access token.".into()
        }
        GraphError::Secrets(_) => {
            "The access token could not be read from the system keychain. Unlock it, then retry."
                .into()
        }
        GraphError::Setup(reason) => format!("The app could not prepare the request: {reason}"),
        GraphError::NotSent(_) => {
            "No connection to WhatsApp. It will be sent automatically when the connection is back."
                .into()
        }
        GraphError::NoAnswer(_) | GraphError::BadResponse(_) => UNCERTAIN_SENTENCE.into(),
        GraphError::HttpStatus { status } if is_server_error(*status) => {
            "WhatsApp is having trouble. It will be sent again automatically.".into()
        }
        GraphError::HttpStatus { status } => {
            format!("WhatsApp answered with an unexpected error (HTTP {status}).")
        }
        GraphError::Meta(meta) => explain_code(meta.code, meta.details.as_deref()),
    }
}

pub const UNCERTAIN_SENTENCE: &str = "Not confirmed: the connection dropped after the message was handed to WhatsApp, so it may have been sent. Check with the customer before sending it again.";

fn explain_code(code: i64, details: Option<&str>) -> String {
    let sentence = match code {
        codes::OUTSIDE_WINDOW => {
            "More than 24 hours since the customer's last message — send a template instead."
        }
        codes::UNDELIVERABLE => {
            "WhatsApp could not deliver this message: the number may not be on WhatsApp, use an old app version, or not have accepted WhatsApp's new terms."
        }
        codes::ACCESS_TOKEN => {
            "The WhatsApp access token has expired or is not valid. Paste a new one in Settings (a system-user token does not expire), then retry."
        }
        codes::POLICY_BLOCK => {
            "WhatsApp has temporarily blocked this number from sending for policy violations. Check the account's quality in WhatsApp Manager."
        }
        codes::THROUGHPUT => "Too many messages at once. It will be sent again automatically.",
        codes::PAIR_RATE => {
            "Too many messages to this customer in a short time. It will be sent again automatically."
        }
        131_021 => "This is your own business number: a message cannot be sent to itself.",
        131_051 => "WhatsApp does not support this kind of message.",
        131_053 => "WhatsApp could not use the attached file (unsupported type or too large).",
        131_009 | 131_008 | 100 => {
            return match details {
                Some(details) => format!("WhatsApp refused the message as malformed: {details}"),
                None => "WhatsApp refused the message as malformed.".into(),
            };
        }
        132_000 => {
            "The template's parameters do not match it: refresh the templates and fill every field."
        }
        132_001 => {
            "This template does not exist in this language or is not approved: refresh the templates."
        }
        132_005 => "The template text is too long once filled in: shorten the values.",
        132_007 => {
            "The template values break WhatsApp's formatting rules (no line breaks, tabs or long runs of spaces)."
        }
        132_012 => {
            "A template value has the wrong format (for example a picture where a document is expected)."
        }
        132_015 => "This template is paused because of low quality: choose another one.",
        132_016 => "This template is disabled: choose another one.",
        132_018 => "The template values are not valid: check each field.",
        code if (132_000..133_000).contains(&code) => {
            "WhatsApp refused the template: refresh the templates and check each field."
        }
        131_031 => "This WhatsApp account is locked. Check WhatsApp Manager.",
        131_042 => "There is a payment problem with this WhatsApp account. Check WhatsApp Manager.",
        131_049 => {
            "WhatsApp chose not to deliver this marketing message. Wait at least a day before trying again."
        }
        131_050 => "This customer has stopped marketing messages from you.",
        133_010 => "This business number is not registered with WhatsApp.",
        _ => {
            return match details {
                Some(details) => format!("WhatsApp refused the message (error {code}): {details}"),
                None => format!("WhatsApp refused the message (error {code})."),
            };
        }
    };
    sentence.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::MetaError;

    const BACKOFF: Backoff = Backoff {
        base: Duration::from_secs(2),
        max: Duration::from_secs(300),
    };

    fn meta(code: i64, http_status: u16) -> GraphError {
        GraphError::Meta(MetaError {
            http_status,
            code,
            title: format!("(#{code})"),
            details: None,
            error_type: None,
            fbtrace_id: None,
        })
    }

    #[test]
    fn retryable_errors_back_off_exponentially_and_cap() {
        assert_eq!(
            verdict(&meta(130_429, 400), 1, BACKOFF),
            Verdict::Retry {
                delay: Duration::from_secs(2)
            }
        );
        assert_eq!(
            verdict(&meta(130_429, 400), 3, BACKOFF),
            Verdict::Retry {
                delay: Duration::from_secs(8)
            }
        );
        assert_eq!(
            verdict(&meta(131_056, 400), 3, BACKOFF),
            Verdict::Retry {
                delay: Duration::from_secs(32)
            },
            "the pair limit backs off 4× per failure"
        );
        assert_eq!(
            verdict(&GraphError::HttpStatus { status: 503 }, 30, BACKOFF),
            Verdict::Retry {
                delay: Duration::from_secs(300)
            },
            "the delay is capped"
        );
    }

    #[test]
    fn an_unanswered_request_is_uncertain_and_never_retried() {
        assert_eq!(
            verdict(&GraphError::NoAnswer("timed out".into()), 1, BACKOFF),
            Verdict::Uncertain
        );
        assert_eq!(
            verdict(&GraphError::NotSent("refused".into()), 1, BACKOFF),
            Verdict::Retry {
                delay: Duration::from_secs(2)
            },
            "a connection that never opened is safe to retry"
        );
    }

    #[test]
    fn refusals_fail_with_a_sentence_saying_what_to_do() {
        for code in [131_047, 131_026, 132_000, 132_001, 132_012, 190, 368] {
            assert_eq!(
                verdict(&meta(code, 400), 1, BACKOFF),
                Verdict::Failed,
                "{code} is final"
            );
        }
        assert_eq!(
            explain(&meta(131_047, 400)),
            "More than 24 hours since the customer's last message — send a template instead."
        );
        assert!(explain(&meta(190, 401)).contains("access token"));
        assert!(explain(&meta(368, 403)).contains("blocked"));
        assert!(explain(&meta(131_026, 400)).contains("could not deliver"));
        assert!(explain(&meta(132_000, 400)).contains("template"));
    }
}
