//! Integration tests of the core crate: one binary, one module per concern.

mod conversations;
mod migrations;
mod support;
mod writer;
