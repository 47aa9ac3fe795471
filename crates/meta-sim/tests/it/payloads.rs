use chatsphere_meta_sim::payload::{
    ChangeValue, Contact, ContactCard, InboundKind, InboundMessage, MediaAttachment, MediaKind,
    MessageContext, Metadata, OrderItem, Referral, StatusKind, StatusUpdate, WebhookPayload,
};
use serde_json::{Value, json};

fn metadata() -> Metadata {
    Metadata {
        display_phone_number: "15550783881".into(),
        phone_number_id: "106540352242922".into(),
    }
}

fn message_json(kind: InboundKind) -> Value {
    InboundMessage::new(
        Contact::with_phone("16505551234", "Kerry"),
        "wamid.TEST",
        1_750_000_000,
        kind,
    )
    .to_json()
}

fn media(kind: MediaKind, mime: &str) -> MediaAttachment {
    MediaAttachment {
        kind,
        id: "1234567890".into(),
        mime_type: mime.into(),
        sha256: "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=".into(),
        url: Some("http://127.0.0.1/m".into()),
        caption: None,
        filename: None,
        voice: None,
        animated: None,
    }
}

#[test]
fn every_inbound_kind_has_the_reference_type_and_object() {
    let cases: Vec<(InboundKind, &str, Value)> = vec![
        (
            InboundKind::Text { body: "hi".into() },
            "text",
            json!({"body": "hi"}),
        ),
        (
            InboundKind::Location {
                latitude: 1.5,
                longitude: -2.0,
                name: None,
                address: None,
                url: None,
            },
            "location",
            json!({"latitude": 1.5, "longitude": -2.0}),
        ),
        (
            InboundKind::ButtonReply {
                id: "b1".into(),
                title: "Yes".into(),
            },
            "interactive",
            json!({"type": "button_reply", "button_reply": {"id": "b1", "title": "Yes"}}),
        ),
        (
            InboundKind::ListReply {
                id: "r1".into(),
                title: "Row".into(),
                description: Some("d".into()),
            },
            "interactive",
            json!({"type": "list_reply", "list_reply": {"id": "r1", "title": "Row", "description": "d"}}),
        ),
        (
            InboundKind::FlowReply {
                name: "flow".into(),
                body: "Sent".into(),
                response_json: "{\"a\":1}".into(),
            },
            "interactive",
            json!({"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": "{\"a\":1}"}}),
        ),
        (
            InboundKind::TemplateButton {
                payload: "P".into(),
                text: "T".into(),
            },
            "button",
            json!({"payload": "P", "text": "T"}),
        ),
        (
            InboundKind::Reaction {
                message_id: "wamid.X".into(),
                emoji: Some("👍".into()),
            },
            "reaction",
            json!({"message_id": "wamid.X", "emoji": "👍"}),
        ),
        (
            InboundKind::Reaction {
                message_id: "wamid.X".into(),
                emoji: None,
            },
            "reaction",
            json!({"message_id": "wamid.X"}),
        ),
        (
            InboundKind::Reaction {
                message_id: "wamid.X".into(),
                emoji: Some(String::new()),
            },
            "reaction",
            json!({"message_id": "wamid.X", "emoji": ""}),
        ),
        (
            InboundKind::Unsupported {
                kind: Some("poll_creation".into()),
            },
            "unsupported",
            json!({"type": "poll_creation"}),
        ),
    ];
    for (kind, type_name, object) in cases {
        let json = message_json(kind);
        assert_eq!(json["type"], type_name, "{json}");
        assert_eq!(json[type_name], object, "type object of {type_name}");
        assert_eq!(json["from"], "16505551234");
        assert_eq!(json["timestamp"], "1750000000", "timestamp as a string");
    }
}

#[test]
fn media_kinds_carry_id_mime_sha256_url_and_their_extras() {
    let mut voice = media(MediaKind::Audio, "audio/ogg; codecs=opus");
    voice.voice = Some(true);
    let json = message_json(InboundKind::Media(voice));
    assert_eq!(json["type"], "audio");
    assert_eq!(json["audio"]["voice"], true);
    let mut document = media(MediaKind::Document, "application/pdf");
    document.filename = Some("invoice.pdf".into());
    document.caption = Some("fatura".into());
    let json = message_json(InboundKind::Media(document));
    assert_eq!(json["document"]["filename"], "invoice.pdf");
    assert_eq!(json["document"]["caption"], "fatura");
    let mut sticker = media(MediaKind::Sticker, "image/webp");
    sticker.animated = Some(false);
    let json = message_json(InboundKind::Media(sticker));
    assert_eq!(json["sticker"]["animated"], false);
    for kind in [MediaKind::Image, MediaKind::Video] {
        let json = message_json(InboundKind::Media(media(kind, "x/y")));
        for field in ["id", "mime_type", "sha256", "url"] {
            assert!(
                json[kind.as_str()].get(field).is_some(),
                "{} has {field}",
                kind.as_str()
            );
        }
    }
}

#[test]
fn contacts_order_system_and_request_welcome_follow_the_reference() {
    let card = ContactCard {
        formatted_name: "Ana Lima".into(),
        first_name: "Ana".into(),
        last_name: Some("Lima".into()),
        phones: vec!["+55 11 98765-4321".into()],
        emails: vec![],
        company: Some("Loja".into()),
    };
    let json = message_json(InboundKind::Contacts { cards: vec![card] });
    assert_eq!(json["contacts"][0]["name"]["formatted_name"], "Ana Lima");
    assert_eq!(
        json["contacts"][0]["phones"][0]["phone"],
        "+55 11 98765-4321"
    );
    assert_eq!(json["contacts"][0]["org"]["company"], "Loja");
    let json = message_json(InboundKind::Order {
        catalog_id: "C1".into(),
        text: Some("pls".into()),
        items: vec![OrderItem {
            product_retailer_id: "sku1".into(),
            quantity: 2,
            item_price: 9.5,
            currency: "BRL".into(),
        }],
    });
    assert_eq!(json["order"]["product_items"][0]["quantity"], 2);
    assert_eq!(json["order"]["catalog_id"], "C1");
    let json = message_json(InboundKind::UserChangedNumber {
        body: "changed".into(),
        new_wa_id: "16505550000".into(),
    });
    assert_eq!(json["system"]["type"], "user_changed_number");
    assert_eq!(json["system"]["wa_id"], "16505550000");
    let json = message_json(InboundKind::CustomerIdentityChanged {
        body: "id".into(),
        identity_hash: "h".into(),
        created_timestamp: 1,
    });
    assert_eq!(json["system"]["type"], "customer_identity_changed");
    let json = message_json(InboundKind::RequestWelcome);
    assert_eq!(json["type"], "request_welcome");
    assert!(
        json.get("request_welcome").is_none(),
        "request_welcome has no type object"
    );
}

#[test]
fn unsupported_messages_carry_error_131051() {
    let json = message_json(InboundKind::Unsupported { kind: None });
    assert_eq!(json["errors"][0]["code"], 131051);
    assert_eq!(json["unsupported"], json!({}), "type omitted when unknown");
}

#[test]
fn context_forwarding_product_inquiry_and_ad_referral_are_rendered() {
    let base = InboundMessage::new(
        Contact::with_phone("1", "A"),
        "wamid.Y",
        1,
        InboundKind::Text { body: "x".into() },
    );
    let reply = base
        .clone()
        .with_context(MessageContext::Reply {
            business_number: "15550783881".into(),
            message_id: "wamid.B".into(),
        })
        .to_json();
    assert_eq!(
        reply["context"],
        json!({"from": "15550783881", "id": "wamid.B"})
    );
    assert_eq!(
        base.clone()
            .with_context(MessageContext::Forwarded)
            .to_json()["context"],
        json!({"forwarded": true})
    );
    assert_eq!(
        base.clone()
            .with_context(MessageContext::FrequentlyForwarded)
            .to_json()["context"],
        json!({"frequently_forwarded": true})
    );
    let inquiry = base
        .clone()
        .with_context(MessageContext::ProductInquiry {
            business_number: "1555".into(),
            message_id: "wamid.C".into(),
            catalog_id: "cat".into(),
            product_retailer_id: "sku".into(),
        })
        .to_json();
    assert_eq!(
        inquiry["context"]["referred_product"]["product_retailer_id"],
        "sku"
    );
    let referral = base
        .with_referral(Referral {
            source_url: "https://fb.me/ad".into(),
            source_id: "ad1".into(),
            headline: "Sale".into(),
            body: "50% off".into(),
            ctwa_clid: Some("clid".into()),
            welcome_message: None,
        })
        .to_json();
    assert_eq!(referral["referral"]["source_type"], "ad");
    assert_eq!(referral["referral"]["ctwa_clid"], "clid");
}

#[test]
fn system_messages_add_no_contact_and_statuses_render_their_fields() {
    let change = ChangeValue::new(metadata()).with_message(InboundMessage::new(
        Contact::with_phone("1", "A"),
        "wamid.S",
        1,
        InboundKind::UserChangedNumber {
            body: "b".into(),
            new_wa_id: "2".into(),
        },
    ));
    assert!(
        change.to_json().get("contacts").is_none(),
        "system messages have no contacts[]"
    );
    let mut status = StatusUpdate::new("wamid.O", StatusKind::Failed, 1_751_142_888);
    status.recipient_id = Some("16505551234".into());
    status
        .errors
        .push(chatsphere_meta_sim::GraphError::from_code(131049).status_error_object());
    let body = WebhookPayload::single_status("102290129340398", &metadata(), status);
    let json = body.to_json();
    let status = &json["entry"][0]["changes"][0]["value"]["statuses"][0];
    assert_eq!(status["status"], "failed");
    assert_eq!(status["timestamp"], "1751142888");
    assert_eq!(status["errors"][0]["code"], 131049);
    assert!(status["errors"][0]["error_data"]["details"].is_string());
    assert_eq!(body.update_count(), 1);
}

#[test]
fn builders_reproduce_a_sample_payload_exactly() {
    let sample: Value =
        serde_json::from_slice(&std::fs::read("/work/shared/meta-samples/reaction.json").unwrap())
            .unwrap();
    let value = &sample["entry"][0]["changes"][0]["value"];
    let contact = &value["contacts"][0];
    let message = &value["messages"][0];
    let mut from = Contact::with_phone(
        contact["wa_id"].as_str().unwrap(),
        contact["profile"]["name"].as_str().unwrap(),
    );
    from.user_id = contact["user_id"].as_str().map(str::to_owned);
    let kind = InboundKind::Reaction {
        message_id: message["reaction"]["message_id"].as_str().unwrap().into(),
        emoji: message["reaction"]["emoji"].as_str().map(str::to_owned),
    };
    let built = InboundMessage::new(
        from,
        message["id"].as_str().unwrap(),
        message["timestamp"].as_str().unwrap().parse().unwrap(),
        kind,
    );
    let meta = Metadata {
        display_phone_number: value["metadata"]["display_phone_number"]
            .as_str()
            .unwrap()
            .into(),
        phone_number_id: value["metadata"]["phone_number_id"]
            .as_str()
            .unwrap()
            .into(),
    };
    let mut payload =
        WebhookPayload::single_message(sample["entry"][0]["id"].as_str().unwrap(), &meta, built)
            .to_json();
    // Fields the builder does not model (newer BSUID extras) are compared on what it does produce.
    if let Some(message) = payload["entry"][0]["changes"][0]["value"]["messages"][0].as_object_mut()
    {
        message.remove("from_user_id");
    }
    let mut expected = sample.clone();
    if let Some(message) =
        expected["entry"][0]["changes"][0]["value"]["messages"][0].as_object_mut()
    {
        message.remove("from_user_id");
    }
    assert_eq!(payload, expected, "builder output equals the sample");
}

#[test]
fn coexistence_edits_and_revokes_follow_the_samples() {
    let edit = message_json(InboundKind::Edit {
        original_message_id: "wamid.ORIG".into(),
        new_text: "fixed typo".into(),
    });
    assert_eq!(edit["type"], "edit");
    assert_eq!(edit["edit"]["original_message_id"], "wamid.ORIG");
    assert_eq!(edit["edit"]["message"]["text"]["body"], "fixed typo");
    let revoke = message_json(InboundKind::Revoke {
        original_message_id: "wamid.ORIG".into(),
    });
    assert_eq!(
        revoke["revoke"],
        json!({"original_message_id": "wamid.ORIG"})
    );
}
