use chatsphere_core::db::contacts::{self, ContactIdentity};
use chatsphere_core::db::conversations;
use chatsphere_core::db::messages;
use chatsphere_core::model::{Direction, MessageCursor};

use crate::support::{conversation, insert, open_db, text};

#[tokio::test]
async fn a_repeated_wamid_is_stored_once() {
    let t = open_db();
    let (first, second, count) =
        t.db.write(|conn| {
            let c = conversation(conn, "106540352242922", "16505551234", "Kerry")?;
            let first = insert(conn, &text(c, "wamid.A", Direction::In, "hello", 100))?;
            let second = insert(conn, &text(c, "wamid.A", Direction::In, "hello", 100))?;
            let count: i64 = conn.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
            Ok((first, second, count))
        })
        .await
        .unwrap();
    assert!(first.is_some(), "the first delivery is stored");
    assert!(
        second.is_none(),
        "a repeated delivery reports that nothing was inserted"
    );
    assert_eq!(count, 1);
}

#[tokio::test]
async fn messages_are_ordered_by_whatsapp_time_whatever_the_arrival_order() {
    let t = open_db();
    let c =
        t.db.write(|conn| {
            let c = conversation(conn, "1", "15550001111", "Ana")?;
            insert(conn, &text(c, "wamid.3", Direction::In, "third", 300))?;
            insert(conn, &text(c, "wamid.1", Direction::In, "first", 100))?;
            insert(conn, &text(c, "wamid.2a", Direction::Out, "second a", 200))?;
            insert(conn, &text(c, "wamid.2b", Direction::In, "second b", 200))?;
            Ok(c)
        })
        .await
        .unwrap();
    let page =
        t.db.read(move |conn| messages::page(conn, c, None, 50))
            .await
            .unwrap();
    let bodies: Vec<_> = page
        .messages
        .iter()
        .map(|m| m.body.clone().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["first", "second a", "second b", "third"],
        "timestamp first, then arrival as the tie-break"
    );
    assert!(!page.has_more);
}

#[tokio::test]
async fn pages_walk_back_through_history_without_gaps_or_repeats() {
    let t = open_db();
    let c =
        t.db.write(|conn| {
            let c = conversation(conn, "1", "15550001111", "Ana")?;
            for i in 0..25 {
                // Several messages share a second, as bursts do.
                insert(
                    conn,
                    &text(
                        c,
                        &format!("wamid.{i}"),
                        Direction::In,
                        &format!("m{i}"),
                        1000 + i / 3,
                    ),
                )?;
            }
            Ok(c)
        })
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut before: Option<MessageCursor> = None;
    loop {
        let page =
            t.db.read(move |conn| messages::page(conn, c, before, 10))
                .await
                .unwrap();
        let mut bodies: Vec<_> = page
            .messages
            .iter()
            .map(|m| m.body.clone().unwrap())
            .collect();
        bodies.extend(seen);
        seen = bodies;
        if !page.has_more {
            break;
        }
        before = page.next_cursor;
    }
    let expected: Vec<_> = (0..25).map(|i| format!("m{i}")).collect();
    assert_eq!(
        seen, expected,
        "paging back must return every message once, in order"
    );
}

#[tokio::test]
async fn unread_is_derived_from_messages_and_cleared_by_reading() {
    let t = open_db();
    let c =
        t.db.write(|conn| {
            let c = conversation(conn, "1", "15550001111", "Ana")?;
            insert(conn, &text(c, "wamid.in1", Direction::In, "hi", 100))?;
            insert(
                conn,
                &text(c, "wamid.in2", Direction::In, "are you open?", 101),
            )?;
            insert(conn, &text(c, "wamid.out", Direction::Out, "yes!", 102))?;
            // A repeated delivery must not count twice.
            insert(
                conn,
                &text(c, "wamid.in2", Direction::In, "are you open?", 101),
            )?;
            Ok(c)
        })
        .await
        .unwrap();
    let list =
        t.db.read(|conn| conversations::list_summaries(conn, 0))
            .await
            .unwrap();
    assert_eq!(
        list[0].unread_count, 2,
        "two distinct inbound messages are unread"
    );
    assert_eq!(
        list[0].last_inbound_at,
        Some(101),
        "the service window starts at the last inbound message"
    );
    let preview = list[0]
        .last_message
        .clone()
        .expect("a last message preview");
    assert_eq!(preview.text.as_deref(), Some("yes!"));
    assert_eq!(preview.direction, Direction::Out);

    t.db.write(move |conn| conversations::mark_read(conn, c, 200))
        .await
        .unwrap();
    let list =
        t.db.read(|conn| conversations::list_summaries(conn, 0))
            .await
            .unwrap();
    assert_eq!(list[0].unread_count, 0, "opening the conversation reads it");
}

#[tokio::test]
async fn pinned_conversations_come_first_then_the_most_recent() {
    let t = open_db();
    t.db.write(|conn| {
        let old = conversation(conn, "1", "111", "Old but pinned")?;
        let mid = conversation(conn, "1", "222", "Middle")?;
        let new = conversation(conn, "1", "333", "Newest")?;
        insert(conn, &text(old, "w1", Direction::In, "a", 100))?;
        insert(conn, &text(mid, "w2", Direction::In, "b", 200))?;
        insert(conn, &text(new, "w3", Direction::In, "c", 300))?;
        conn.execute(
            "UPDATE conversations SET pinned_at = 5 WHERE id = ?1",
            [old.0],
        )?;
        Ok(())
    })
    .await
    .unwrap();
    let names: Vec<_> =
        t.db.read(|conn| conversations::list_summaries(conn, 0))
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.contact_name.unwrap())
            .collect();
    assert_eq!(names, ["Old but pinned", "Newest", "Middle"]);
}

#[tokio::test]
async fn a_customer_known_first_by_user_id_keeps_one_contact_when_the_phone_appears() {
    let t = open_db();
    let (a, b, c) =
        t.db.write(|conn| {
            let by_user_id = ContactIdentity {
                user_id: Some("US.13491208655302741918".into()),
                username: Some("@kerry".into()),
                ..ContactIdentity::default()
            };
            let a = contacts::upsert(conn, &by_user_id, 1)?;
            let both = ContactIdentity {
                wa_id: Some("16505551234".into()),
                user_id: Some("US.13491208655302741918".into()),
                profile_name: Some("Kerry".into()),
                ..ContactIdentity::default()
            };
            let b = contacts::upsert(conn, &both, 2)?;
            let by_phone = ContactIdentity {
                wa_id: Some("16505551234".into()),
                ..ContactIdentity::default()
            };
            let c = contacts::upsert(conn, &by_phone, 3)?;
            Ok((a, b, c))
        })
        .await
        .unwrap();
    assert_eq!(a, b, "the phone number joins the contact known by user id");
    assert_eq!(b, c, "later messages by phone find the same contact");
}

#[tokio::test]
async fn a_contact_needs_a_phone_or_a_user_id() {
    let t = open_db();
    let result =
        t.db.write(|conn| {
            contacts::upsert(
                conn,
                &ContactIdentity {
                    profile_name: Some("Nobody".into()),
                    ..ContactIdentity::default()
                },
                1,
            )
        })
        .await;
    assert!(
        result.is_err(),
        "a contact with no identifier must be refused"
    );
}
