//! Templates: imported page by page from the simulator's WABA, checked against their
//! definition before sending, and accepted by the simulator's own validation for every
//! kind it seeds. Quick replies fill their variables from the contact.

use std::collections::BTreeMap;

use chatsphere_core::ErrorCode;
use chatsphere_core::model::MessageStatus;
use chatsphere_core::quick_replies::QuickReplyInput;
use chatsphere_core::templates::{HeaderMedia, Template, TemplateToSend, TemplateValues};
use chatsphere_meta_sim::{ParameterFormat, Template as SimTemplate};
use serde_json::json;

use crate::send_support::{Bench, bench, customer_wrote, key, message, wait_for_state};

async fn imported(b: &Bench) -> Vec<Template> {
    b.core.import_templates().await.expect("templates import");
    b.core.list_templates().await.expect("templates list")
}

fn find<'a>(templates: &'a [Template], name: &str, language: &str) -> &'a Template {
    templates
        .iter()
        .find(|t| t.name == name && t.language == language)
        .unwrap_or_else(|| panic!("{name} ({language}) was imported"))
}

fn values(pairs: &[(&str, &str)]) -> TemplateValues {
    TemplateValues {
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        header_media: None,
    }
}

fn media_id(id: &str) -> Option<HeaderMedia> {
    Some(HeaderMedia {
        media_id: Some(id.into()),
        link: None,
        filename: Some("invoice.pdf".into()),
    })
}

#[tokio::test]
async fn templates_are_imported_across_pages_with_their_definitions() {
    let b = bench().await;
    for n in 0..120 {
        b.sim.add_template(SimTemplate {
            id: format!("9{n:05}"),
            name: format!("bulk_notice_{n:03}"),
            language: "en_US".into(),
            status: "APPROVED".into(),
            category: "UTILITY".into(),
            parameter_format: ParameterFormat::Positional,
            components: json!([{"type": "BODY", "text": "Notice {{1}}"}]),
        });
    }
    let expected = b.sim.templates().len();
    let count = b.core.import_templates().await.expect("import");
    assert_eq!(count, expected, "every page was read");
    let templates = b.core.list_templates().await.unwrap();
    assert_eq!(templates.len(), expected);

    let booking = find(&templates, "table_booking_confirmed", "en_US");
    assert!(booking.named_parameters);
    let keys: Vec<&str> = booking.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "body:guest_name",
            "body:party_size",
            "body:date",
            "body:time"
        ]
    );
    assert_eq!(booking.fields[0].example.as_deref(), Some("Maria"));
    assert_eq!(booking.buttons.len(), 3);
    let shipped = find(&templates, "order_shipped", "es_MX");
    let keys: Vec<&str> = shipped.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["header:1", "body:1", "body:2", "button:0"]);
    assert!(
        find(&templates, "summer_sale", "en_US")
            .unsendable_reason
            .is_some()
    );

    // A template deleted on Meta disappears at the next refresh; ids stay stable.
    let hello_id = find(&templates, "hello_world", "en_US").id;
    b.core.import_templates().await.unwrap();
    let again = b.core.list_templates().await.unwrap();
    assert_eq!(find(&again, "hello_world", "en_US").id, hello_id);
}

#[tokio::test]
async fn every_approved_template_kind_is_built_from_its_definition_and_accepted() {
    let b = bench().await;
    let templates = imported(&b).await;
    let cases: Vec<(&str, &str, TemplateValues)> = vec![
        ("hello_world", "en_US", values(&[])),
        (
            "table_booking_confirmed",
            "en_US",
            TemplateValues {
                header_media: Some(HeaderMedia {
                    media_id: None,
                    link: Some("https://shop.example/table.jpg".into()),
                    filename: None,
                }),
                ..values(&[
                    ("body:guest_name", "Maria"),
                    ("body:party_size", "4"),
                    ("body:date", "Saturday"),
                    ("body:time", "7:30 pm"),
                ])
            },
        ),
        (
            "order_shipped",
            "en_US",
            values(&[
                ("header:1", "#4521"),
                ("body:1", "Ana"),
                ("body:2", "Friday"),
                ("button:0", "4521"),
            ]),
        ),
        (
            "order_shipped",
            "es_MX",
            values(&[
                ("header:1", "#4521"),
                ("body:1", "Ana"),
                ("body:2", "viernes"),
                ("button:0", "4521"),
            ]),
        ),
        (
            "invoice_available",
            "pt_BR",
            TemplateValues {
                header_media: media_id("4490709327384033"),
                ..values(&[("body:1", "João"), ("body:2", "R$ 120,00")])
            },
        ),
        (
            "new_collection",
            "en_US",
            TemplateValues {
                header_media: media_id("1166847251436170"),
                ..values(&[])
            },
        ),
        (
            "appointment_reminder",
            "en_US",
            values(&[("body:customer_name", "Li"), ("body:time", "10:00")]),
        ),
    ];
    for (round, (name, language, filled)) in cases.into_iter().enumerate() {
        let template = find(&templates, name, language);
        let queued = b
            .core
            .send_template(TemplateToSend {
                conversation_id: b.conversation_id,
                idempotency_key: key(&format!("template-{round}")),
                template_id: template.id,
                values: filled,
            })
            .await
            .unwrap_or_else(|e| panic!("{name} ({language}) is valid: {e}"));
        let done = wait_for_state(&b.core, queued.message_id, "sent").await;
        assert_eq!(done.state, "sent", "{name} ({language}) was accepted");
        let stored = message(&b.core, b.conversation_id, queued.message_id).await;
        assert_eq!(stored.kind, "template");
        assert_eq!(stored.status, Some(MessageStatus::Sent));
        assert!(
            !stored.body.unwrap_or_default().contains("{{"),
            "{name}: the stored text has the values in place"
        );
    }
    let sent = b.sim.sent_messages();
    assert_eq!(sent.len(), 7);
    assert_eq!(
        sent[1].request["template"]["components"][1]["parameters"][0],
        json!({"type": "text", "parameter_name": "guest_name", "text": "Maria"}),
        "named parameters carry their names"
    );
    assert_eq!(
        sent[2].request["template"]["components"][2],
        json!({"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "4521"}]})
    );
}

#[tokio::test]
async fn template_values_are_checked_before_anything_is_sent() {
    let b = bench().await;
    let templates = imported(&b).await;
    let shipped = find(&templates, "order_shipped", "en_US").id;
    let invoice = find(&templates, "invoice_available", "pt_BR").id;
    let paused = find(&templates, "flash_offer", "en_US").id;
    let pending = find(&templates, "summer_sale", "en_US").id;
    let rejected = find(&templates, "free_crypto", "en_US").id;
    let disabled = find(&templates, "legacy_notice", "en_US").id;
    let complete = [
        ("header:1", "#4521"),
        ("body:1", "Ana"),
        ("body:2", "Friday"),
        ("button:0", "4521"),
    ];
    let with = |key: &str, value: &str| {
        let mut filled = values(&complete);
        filled.values.insert(key.to_string(), value.to_string());
        filled
    };
    let mut missing = values(&complete);
    missing.values.remove("body:2");
    let cases: Vec<(i64, TemplateValues, &str)> = vec![
        (shipped, missing, "Fill in the body value “2”"),
        (shipped, with("body:3", "extra"), "no field body:3"),
        (shipped, with("body:1", "Ana\nSouza"), "line breaks"),
        (shipped, with("button:0", "45 21"), "cannot contain spaces"),
        (shipped, with("header:1", &"x".repeat(61)), "longer than 60"),
        (
            invoice,
            values(&[("body:1", "João"), ("body:2", "R$ 1")]),
            "header document",
        ),
        (paused, values(&[]), "paused"),
        (pending, values(&[("body:1", "20%")]), "pending"),
        (rejected, values(&[]), "rejected"),
        (disabled, values(&[]), "disabled"),
    ];
    for (template_id, filled, problem) in cases {
        let refused = b
            .core
            .send_template(TemplateToSend {
                conversation_id: b.conversation_id,
                idempotency_key: key("invalid"),
                template_id,
                values: filled,
            })
            .await
            .expect_err("refused before sending");
        assert_eq!(refused.code(), ErrorCode::InvalidInput);
        assert!(
            refused.to_string().contains(problem),
            "{problem:?} in {refused}"
        );
    }
    assert!(b.sim.sent_messages().is_empty(), "nothing reached Meta");
}

#[tokio::test]
async fn a_template_may_be_sent_outside_the_24_hour_window() {
    let b = bench().await;
    let templates = imported(&b).await;
    let old = customer_wrote(
        &b.core,
        &b.sim.phone_number_id(),
        "5511944443333",
        "wamid.two-days-ago",
        48 * 3600,
    )
    .await;
    assert!(!b.core.service_window(old).await.unwrap().open);
    let queued = b
        .core
        .send_template(TemplateToSend {
            conversation_id: old,
            idempotency_key: key("outside"),
            template_id: find(&templates, "appointment_reminder", "en_US").id,
            values: values(&[("body:customer_name", "Li"), ("body:time", "10:00")]),
        })
        .await
        .expect("templates are allowed outside the window");
    wait_for_state(&b.core, queued.message_id, "sent").await;
    let stored = message(&b.core, old, queued.message_id).await;
    assert_eq!(
        stored.body.as_deref(),
        Some("Hi Li, this is a reminder of your appointment at 10:00.")
    );
}

#[tokio::test]
async fn quick_replies_are_kept_and_filled_from_the_contact() {
    let b = bench().await;
    let created = b
        .core
        .create_quick_reply(QuickReplyInput {
            shortcut: "/Hours".into(),
            body: "Hi {{first_name}}, we open at 9. Call {{phone}}. {{unknown}}".into(),
        })
        .await
        .expect("created");
    assert_eq!(
        created.shortcut, "hours",
        "stored without the slash, lower case"
    );
    let duplicate = b
        .core
        .create_quick_reply(QuickReplyInput {
            shortcut: "hours".into(),
            body: "again".into(),
        })
        .await
        .expect_err("a shortcut is unique");
    assert_eq!(duplicate.code(), ErrorCode::InvalidInput);

    let filled = b
        .core
        .fill_quick_reply(created.id, b.conversation_id)
        .await
        .unwrap();
    assert_eq!(
        filled, "Hi Ana, we open at 9. Call +5511987654321. {{unknown}}",
        "unknown variables stay visible for the owner to fill"
    );

    let updated = b
        .core
        .update_quick_reply(
            created.id,
            QuickReplyInput {
                shortcut: "hours".into(),
                body: "Hello {{name}}".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.body, "Hello {{name}}");
    assert_eq!(b.core.list_quick_replies().await.unwrap(), vec![updated]);
    b.core.delete_quick_reply(created.id).await.unwrap();
    assert!(b.core.list_quick_replies().await.unwrap().is_empty());
    assert_eq!(
        b.core
            .delete_quick_reply(created.id)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}
