//! Integration tests of the Meta simulator, over real HTTP.

mod account;
mod cli;
mod clock;
mod conformance;
mod control;
mod load;
mod media;
mod messages;
mod payloads;
mod signing;
mod statuses;
mod support;
mod templates;
mod webhooks;
