//! Integration tests of the core crate: one binary, one module per concern.

mod checkpoints;
mod conversations;
mod ingest_apply;
mod ingest_bodies;
mod ingest_fuzz_corpus;
mod ingest_samples;
mod ingest_statuses;
mod ingest_support;
mod media_deleted;
mod media_download;
mod media_protocol;
mod media_support;
mod migrations;
mod search_index;
mod send_kinds;
mod send_media;
mod send_outbox;
mod send_staging;
mod send_support;
mod send_template_header;
mod send_templates;
mod send_webhooks;
mod settings_live;
mod support;
mod webhook_http;
mod writer;
