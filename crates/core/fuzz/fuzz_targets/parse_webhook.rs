//! Any byte string given to the webhook parser either fails cleanly or yields events
//! whose stored form can be built; nothing panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chatsphere_core::ingest::check_parser_on(data);
});
