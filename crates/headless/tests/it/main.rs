//! Integration tests of the headless binary: one test binary, one module per concern.

mod crash;
mod send;
mod serve_export;
mod support;
