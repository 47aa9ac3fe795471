//! Integration tests of the core crate: one binary, one module per concern.

mod conversations;
mod migrations;
mod send_kinds;
mod send_outbox;
mod send_support;
mod send_templates;
mod support;
mod writer;
