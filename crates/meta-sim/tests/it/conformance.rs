//! The builders' output has exactly the fields of Meta's sample payloads, type by type.

use std::collections::BTreeSet;

use chatsphere_meta_sim::payload::{
    Contact, ContactCard, InboundKind, InboundMessage, MediaAttachment, MediaKind, MessageContext,
    OrderItem, Referral,
};
use serde_json::Value;

fn paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(path.clone());
                paths(child, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

fn key_paths(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    paths(value, "", &mut out);
    out
}

fn sample_message(file: &str) -> Value {
    let bytes = std::fs::read(format!("/work/shared/meta-samples/{file}")).unwrap();
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    json["entry"][0]["changes"][0]["value"]["messages"][0].clone()
}

fn media(kind: MediaKind, caption: bool, filename: bool, url: bool) -> MediaAttachment {
    MediaAttachment {
        kind,
        id: "1".into(),
        mime_type: "m".into(),
        sha256: "s".into(),
        url: url.then(|| "u".into()),
        caption: caption.then(|| "c".into()),
        filename: filename.then(|| "f".into()),
        voice: (kind == MediaKind::Audio).then_some(true),
        animated: (kind == MediaKind::Sticker).then_some(false),
    }
}

fn reply() -> MessageContext {
    MessageContext::Reply {
        business_number: "1".into(),
        message_id: "wamid.B".into(),
    }
}

fn built(kind: InboundKind, context: Option<MessageContext>, referral: Option<Referral>) -> Value {
    let mut message =
        InboundMessage::new(Contact::with_phone("16505551234", "A"), "wamid.A", 1, kind);
    message.context = context;
    message.referral = referral;
    message.to_json()
}

#[test]
fn builder_output_has_the_same_fields_as_each_sample() {
    let text = || InboundKind::Text { body: "t".into() };
    let card = ContactCard {
        formatted_name: "f".into(),
        first_name: "f".into(),
        last_name: Some("l".into()),
        phones: vec!["p".into()],
        emails: vec![],
        company: Some("c".into()),
    };
    let cases: Vec<(&str, Value, &[&str])> = vec![
        ("text.json", built(text(), None, None), &[]),
        (
            "text_reply_with_context.json",
            built(text(), Some(reply()), None),
            &[],
        ),
        (
            "text_forwarded.json",
            built(text(), Some(MessageContext::Forwarded), None),
            &[],
        ),
        (
            "text_product_inquiry_context.json",
            built(
                text(),
                Some(MessageContext::ProductInquiry {
                    business_number: "1".into(),
                    message_id: "m".into(),
                    catalog_id: "c".into(),
                    product_retailer_id: "p".into(),
                }),
                None,
            ),
            &[],
        ),
        (
            "text_ctwa_ad_referral.json",
            built(
                text(),
                None,
                Some(Referral {
                    source_url: "u".into(),
                    source_id: "i".into(),
                    headline: "h".into(),
                    body: "b".into(),
                    ctwa_clid: Some("c".into()),
                    welcome_message: Some("w".into()),
                }),
            ),
            &[],
        ),
        (
            "image.json",
            built(
                InboundKind::Media(media(MediaKind::Image, true, false, true)),
                None,
                None,
            ),
            &[],
        ),
        (
            "video.json",
            built(
                InboundKind::Media(media(MediaKind::Video, true, false, true)),
                None,
                None,
            ),
            &[],
        ),
        (
            "audio.json",
            built(
                InboundKind::Media(media(MediaKind::Audio, false, false, true)),
                None,
                None,
            ),
            &[],
        ),
        (
            "document.json",
            built(
                InboundKind::Media(media(MediaKind::Document, true, true, true)),
                None,
                None,
            ),
            &[],
        ),
        (
            "sticker.json",
            built(
                InboundKind::Media(media(MediaKind::Sticker, false, false, true)),
                None,
                None,
            ),
            &[],
        ),
        (
            "location.json",
            built(
                InboundKind::Location {
                    latitude: 1.0,
                    longitude: 2.0,
                    name: Some("n".into()),
                    address: Some("a".into()),
                    url: Some("u".into()),
                },
                None,
                None,
            ),
            &[],
        ),
        // Meta adds a phone's wa_id only when that number is on WhatsApp.
        (
            "contacts.json",
            built(InboundKind::Contacts { cards: vec![card] }, None, None),
            &["contacts[].phones[].wa_id"],
        ),
        (
            "interactive_button_reply.json",
            built(
                InboundKind::ButtonReply {
                    id: "i".into(),
                    title: "t".into(),
                },
                Some(reply()),
                None,
            ),
            &[],
        ),
        (
            "interactive_list_reply.json",
            built(
                InboundKind::ListReply {
                    id: "i".into(),
                    title: "t".into(),
                    description: Some("d".into()),
                },
                Some(reply()),
                None,
            ),
            &[],
        ),
        (
            "interactive_nfm_reply_flow.json",
            built(
                InboundKind::FlowReply {
                    name: "flow".into(),
                    body: "b".into(),
                    response_json: "{}".into(),
                },
                Some(reply()),
                None,
            ),
            &[],
        ),
        (
            "button_template_quick_reply.json",
            built(
                InboundKind::TemplateButton {
                    payload: "p".into(),
                    text: "t".into(),
                },
                Some(reply()),
                None,
            ),
            &[],
        ),
        (
            "reaction.json",
            built(
                InboundKind::Reaction {
                    message_id: "m".into(),
                    emoji: Some("e".into()),
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "reaction_removed.json",
            built(
                InboundKind::Reaction {
                    message_id: "m".into(),
                    emoji: None,
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "reaction_removed_empty_emoji.json",
            built(
                InboundKind::Reaction {
                    message_id: "m".into(),
                    emoji: Some(String::new()),
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "order.json",
            built(
                InboundKind::Order {
                    catalog_id: "c".into(),
                    text: Some("t".into()),
                    items: vec![OrderItem {
                        product_retailer_id: "p".into(),
                        quantity: 1,
                        item_price: 1.0,
                        currency: "c".into(),
                    }],
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "system_user_changed_number.json",
            built(
                InboundKind::UserChangedNumber {
                    body: "b".into(),
                    new_wa_id: "w".into(),
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "system_identity_changed.json",
            built(
                InboundKind::CustomerIdentityChanged {
                    body: "b".into(),
                    identity_hash: "h".into(),
                    created_timestamp: 1,
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "unsupported_with_type.json",
            built(
                InboundKind::Unsupported {
                    kind: Some("edit".into()),
                },
                None,
                None,
            ),
            &[],
        ),
        (
            "request_welcome_CONSTRUCTED.json",
            built(InboundKind::RequestWelcome, None, None),
            &[],
        ),
        (
            "revoke_coexistence_only.json",
            built(
                InboundKind::Revoke {
                    original_message_id: "o".into(),
                },
                None,
                None,
            ),
            &[],
        ),
    ];
    for (file, ours, only_in_sample) in cases {
        let theirs = key_paths(&sample_message(file));
        let mut ours = key_paths(&ours);
        ours.extend(only_in_sample.iter().map(|path| (*path).to_owned()));
        let missing: Vec<_> = theirs.difference(&ours).collect();
        let invented: Vec<_> = ours.difference(&theirs).collect();
        assert!(
            missing.is_empty() && invented.is_empty(),
            "{file}: missing {missing:?}, not in the sample {invented:?}"
        );
    }
}

#[test]
fn a_number_change_has_no_contact_but_an_identity_change_does() {
    use chatsphere_meta_sim::payload::{ChangeValue, Metadata};
    let metadata = Metadata {
        display_phone_number: "1".into(),
        phone_number_id: "2".into(),
    };
    let from = Contact::with_phone("16505551234", "A");
    let changed = InboundMessage::new(
        from.clone(),
        "wamid.1",
        1,
        InboundKind::UserChangedNumber {
            body: "b".into(),
            new_wa_id: "3".into(),
        },
    );
    let identity = InboundMessage::new(
        from,
        "wamid.2",
        1,
        InboundKind::CustomerIdentityChanged {
            body: "b".into(),
            identity_hash: "h".into(),
            created_timestamp: 1,
        },
    );
    assert!(
        ChangeValue::new(metadata.clone())
            .with_message(changed)
            .to_json()
            .get("contacts")
            .is_none()
    );
    assert!(ChangeValue::new(metadata).with_message(identity).to_json()["contacts"].is_array());
}

fn sample(file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(format!("/work/shared/meta-samples/{file}")).unwrap())
        .unwrap()
}

#[tokio::test]
async fn api_responses_have_the_fields_of_meta_samples() {
    use crate::support::{Graph, start, text_message};
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    sim.customer("16505551234").send_text("hi").await.unwrap();

    let (_, response) = graph.send(&sim, text_message("+16505551234", "x")).await;
    assert_eq!(
        key_paths(&response),
        key_paths(&sample("api_send_message_response.json")),
        "send response: {response}"
    );
    assert_eq!(
        response["messages"][0]["id"]
            .as_str()
            .map(|id| id.starts_with("wamid.")),
        Some(true)
    );

    sim.set_fault(chatsphere_meta_sim::Fault::error(130429));
    let (_, error) = graph.send(&sim, text_message("+16505551234", "x")).await;
    let mut expected = sample("api_error_response_130429.json");
    // error_subcode is deprecated ("not returned in v16.0+").
    expected["error"]
        .as_object_mut()
        .unwrap()
        .remove("error_subcode");
    assert_eq!(
        key_paths(&error),
        key_paths(&expected),
        "error body: {error}"
    );
    assert_eq!(error["error"]["message"], expected["error"]["message"]);
    assert_eq!(
        error["error"]["error_data"],
        expected["error"]["error_data"]
    );

    let (_, page) = graph
        .get(&format!("{}/message_templates?limit=2", sim.waba_id()))
        .await;
    let theirs = sample("api_templates_list_response.json");
    let top = |value: &Value| {
        value
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(top(&page), top(&theirs));
    assert_eq!(
        top(&page["paging"]),
        top(&theirs["paging"]),
        "paging has cursors and next"
    );
    assert_eq!(
        top(&page["paging"]["cursors"]),
        top(&theirs["paging"]["cursors"])
    );
    assert_eq!(
        top(&page["data"][0]),
        top(&theirs["data"][0]),
        "template fields"
    );
}
