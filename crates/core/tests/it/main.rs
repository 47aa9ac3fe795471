//! The core's integration tests, compiled into one binary.

mod ingest_apply;
mod ingest_samples;
mod ingest_statuses;
mod ingest_support;
mod webhook_http;
