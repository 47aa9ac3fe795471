//! Replays the fuzz seeds (and any crash inputs kept as regressions) through the same
//! check the fuzz target runs, so the parser's robustness is tested on stable too.

use std::path::Path;

use chatsphere_core::ingest::check_parser_on;

#[test]
fn the_parser_survives_every_fuzz_seed_and_regression() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    let mut readable = 0;
    for folder in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder)) else {
            continue;
        };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            readable += check_parser_on(&bytes);
            replayed += 1;
        }
    }
    assert!(
        replayed >= 45,
        "the seed corpus is present ({replayed} inputs)"
    );
    assert!(
        readable >= 40,
        "the seeds contain readable events ({readable})"
    );
}

#[test]
fn hostile_shapes_fail_cleanly() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let nested_edit = r#"{"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"1","id":"w","timestamp":"1","type":"edit","edit":{"original_message_id":"o","message":{"type":"edit","edit":{"original_message_id":"p","message":{"type":"revoke"}}}}}]}}]}]}"#;
    for input in [
        b"".as_slice(),
        b"null",
        b"[]",
        b"{\"entry\":null}",
        b"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[1,\"x\",null,{}]}}]}]}",
        b"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":\"w\",\"from\":\"1\",\"timestamp\":\"99999999999999999999\",\"type\":\"text\"}]}}]}]}",
        deep.as_bytes(),
        nested_edit.as_bytes(),
    ] {
        check_parser_on(input);
    }
    assert_eq!(
        check_parser_on(nested_edit.as_bytes()),
        1,
        "a nested edit is kept as an unknown edit"
    );
}
