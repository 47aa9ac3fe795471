use std::collections::HashSet;

use serde_json::{Value, json};

use crate::support::{Graph, assert_whatsapp_error, start};

const CUSTOMER: &str = "16505551234";

fn template(name: &str, language: &str, components: Value) -> Value {
    json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "template",
           "template": {"name": name, "language": {"code": language}, "components": components}})
}

fn booking_components() -> Value {
    json!([
        {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/table.jpg"}}]},
        {"type": "body", "parameters": [
            {"type": "text", "parameter_name": "guest_name", "text": "Ana"},
            {"type": "text", "parameter_name": "party_size", "text": "4"},
            {"type": "text", "parameter_name": "date", "text": "sábado"},
            {"type": "text", "parameter_name": "time", "text": "20h"}]}
    ])
}

fn shipped_components() -> Value {
    json!([
        {"type": "header", "parameters": [{"type": "text", "text": "#4521"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "Friday"}]},
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "4521"}]}
    ])
}

#[tokio::test]
async fn template_list_pages_with_cursors_through_every_template() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, mut page) = graph
        .get(&format!("{}/message_templates?limit=3", sim.waba_id()))
        .await;
    assert_eq!(status, 200, "{page}");
    let mut seen = Vec::new();
    loop {
        let data = page["data"].as_array().unwrap().clone();
        assert!(data.len() <= 3, "page size respected");
        assert!(
            page["paging"]["cursors"]["after"].is_string(),
            "cursors present: {page}"
        );
        seen.extend(data);
        let Some(next) = page["paging"]["next"].as_str() else {
            break;
        };
        let (status, next_page) = graph.get_url(next).await;
        assert_eq!(status, 200);
        page = next_page;
    }
    assert_eq!(
        seen.len(),
        sim.templates().len(),
        "every template seen once"
    );
    let keys: HashSet<_> = seen
        .iter()
        .map(|t| (t["name"].to_string(), t["language"].to_string()))
        .collect();
    assert_eq!(keys.len(), seen.len(), "no template repeated across pages");
    let statuses: HashSet<_> = seen
        .iter()
        .map(|t| t["status"].as_str().unwrap().to_owned())
        .collect();
    for status in ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"] {
        assert!(statuses.contains(status), "a {status} template is seeded");
    }
    let all = serde_json::to_string(&seen).unwrap();
    for needle in [
        "\"format\":\"TEXT\"",
        "\"format\":\"IMAGE\"",
        "\"format\":\"DOCUMENT\"",
        "\"format\":\"VIDEO\"",
        "QUICK_REPLY",
        "\"type\":\"URL\"",
        "PHONE_NUMBER",
        "body_text_named_params",
        "\"parameter_format\":\"NAMED\"",
        "\"parameter_format\":\"POSITIONAL\"",
    ] {
        assert!(all.contains(needle), "seeded templates include {needle}");
    }
    let (_, previous) = graph
        .get_url(&format!(
            "{}/v26.0/{}/message_templates?limit=3&before={}",
            sim.graph_base_url(),
            sim.waba_id(),
            page["paging"]["cursors"]["before"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        previous["data"].as_array().unwrap().len(),
        3,
        "before cursor pages backwards"
    );
}

#[tokio::test]
async fn template_list_filters_by_status_and_selects_fields() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (_, page) = graph
        .get(&format!(
            "{}/message_templates?status=approved&fields=name,status",
            sim.waba_id()
        ))
        .await;
    let data = page["data"].as_array().unwrap();
    assert!(!data.is_empty());
    for template in data {
        assert_eq!(template["status"], "APPROVED");
        assert!(
            template.get("components").is_none(),
            "only requested fields (and id): {template}"
        );
        assert!(template["id"].is_string());
    }
    let (status, body) = graph.get("999/message_templates").await;
    assert_eq!(status, 400, "unknown WABA: {body}");
}

#[tokio::test]
async fn every_approved_template_kind_can_be_sent_with_matching_parameters() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let cases = vec![
        template("hello_world", "en_US", json!([])),
        template("table_booking_confirmed", "en_US", booking_components()),
        template("order_shipped", "en_US", shipped_components()),
        template("order_shipped", "es_MX", shipped_components()),
        template(
            "invoice_available",
            "pt_BR",
            json!([
            {"type": "header", "parameters": [{"type": "document", "document": {"link": "https://example.com/f.pdf", "filename": "fatura.pdf"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "João"}, {"type": "currency", "currency": {"fallback_value": "R$ 120,00", "code": "BRL", "amount_1000": 120000}}]}]),
        ),
        template(
            "new_collection",
            "en_US",
            json!([
            {"type": "header", "parameters": [{"type": "video", "video": {"link": "https://example.com/v.mp4"}}]},
            {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "NO"}]}]),
        ),
        template(
            "appointment_reminder",
            "en_US",
            json!([
            {"type": "body", "parameters": [{"type": "text", "parameter_name": "time", "text": "10:00"}, {"type": "text", "parameter_name": "customer_name", "text": "Li"}]}]),
        ),
    ];
    for body in cases {
        let (status, response) = graph.send(&sim, body.clone()).await;
        assert_eq!(status, 200, "{} → {response}", body["template"]["name"]);
    }
}

#[tokio::test]
async fn template_with_wrong_parameter_count_is_rejected_with_132000() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let mut too_few = shipped_components();
    too_few[1]["parameters"].as_array_mut().unwrap().pop();
    let mut missing_url = shipped_components();
    missing_url.as_array_mut().unwrap().pop();
    let cases = vec![
        template("order_shipped", "en_US", too_few),
        template("order_shipped", "en_US", missing_url),
        template(
            "hello_world",
            "en_US",
            json!([{"type": "body", "parameters": [{"type": "text", "text": "extra"}]}]),
        ),
        template(
            "table_booking_confirmed",
            "en_US",
            json!([{"type": "body", "parameters": [{"type": "text", "parameter_name": "guest_name", "text": "Ana"}]}]),
        ),
    ];
    for body in cases {
        let (status, response) = graph.send(&sim, body).await;
        assert_whatsapp_error(status, &response, 400, 132000);
    }
    assert!(sim.sent_messages().is_empty());
}

#[tokio::test]
async fn template_with_wrong_parameter_format_is_rejected_with_132012() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let mut text_for_image = booking_components();
    text_for_image[0]["parameters"] = json!([{"type": "text", "text": "not an image"}]);
    let mut positional_for_named = booking_components();
    for param in positional_for_named[1]["parameters"]
        .as_array_mut()
        .unwrap()
    {
        param.as_object_mut().unwrap().remove("parameter_name");
    }
    let mut unknown_name = booking_components();
    unknown_name[1]["parameters"][0]["parameter_name"] = json!("nickname");
    let mut named_for_positional = shipped_components();
    named_for_positional[1]["parameters"][0]["parameter_name"] = json!("name");
    let mut wrong_button = shipped_components();
    wrong_button[2]["sub_type"] = json!("quick_reply");
    wrong_button[2]["parameters"] = json!([{"type": "payload", "payload": "x"}]);
    let cases = [text_for_image, positional_for_named, unknown_name];
    for components in cases {
        let (status, response) = graph
            .send(
                &sim,
                template("table_booking_confirmed", "en_US", components),
            )
            .await;
        assert_whatsapp_error(status, &response, 400, 132012);
    }
    let (status, response) = graph
        .send(
            &sim,
            template("order_shipped", "en_US", named_for_positional),
        )
        .await;
    assert_whatsapp_error(status, &response, 400, 132012);
    let mut with_url_too = wrong_button.clone();
    with_url_too
        .as_array_mut()
        .unwrap()
        .push(shipped_components()[2].clone());
    let (status, response) = graph
        .send(&sim, template("order_shipped", "en_US", with_url_too))
        .await;
    assert_whatsapp_error(status, &response, 400, 132012);
}

#[tokio::test]
async fn missing_unapproved_or_wrong_language_templates_are_rejected_with_132001() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    for (name, language) in [
        ("no_such_template", "en_US"),
        ("hello_world", "pt_BR"),
        ("summer_sale", "en_US"),
        ("free_crypto", "en_US"),
    ] {
        let body = template(name, language, json!([]));
        let (status, response) = graph.send(&sim, body).await;
        assert_whatsapp_error(status, &response, 404, 132001);
    }
}

#[tokio::test]
async fn paused_and_disabled_templates_are_rejected_with_132015_and_132016() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, response) = graph
        .send(&sim, template("flash_offer", "en_US", json!([])))
        .await;
    assert_whatsapp_error(status, &response, 400, 132015);
    let (status, response) = graph
        .send(&sim, template("legacy_notice", "en_US", json!([])))
        .await;
    assert_whatsapp_error(status, &response, 400, 132016);
}

#[tokio::test]
async fn authentication_templates_cannot_go_to_a_business_scoped_id() {
    let (sim, _receiver) = start().await;
    sim.add_template(chatsphere_meta_sim::Template {
        id: "77".into(),
        name: "login_code".into(),
        language: "en_US".into(),
        status: "APPROVED".into(),
        category: "AUTHENTICATION".into(),
        parameter_format: chatsphere_meta_sim::ParameterFormat::Positional,
        components: json!([{"type": "BODY", "text": "Your code is {{1}}"}]),
    });
    let body = json!({"messaging_product": "whatsapp", "recipient": "US.123", "type": "template",
                      "template": {"name": "login_code", "language": {"code": "en_US"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "123456"}]}]}});
    let (status, response) = Graph::new(&sim).send(&sim, body).await;
    assert_whatsapp_error(status, &response, 400, 131062);
}

#[test]
fn template_variables_are_found_in_order_without_repeats() {
    assert_eq!(
        chatsphere_meta_sim::template_variables("Hi {{1}}, {{2}} and {{1}}"),
        ["1", "2"]
    );
    assert_eq!(
        chatsphere_meta_sim::template_variables("{{ name }} at {{time}}"),
        ["name", "time"]
    );
    assert!(chatsphere_meta_sim::template_variables("no params {{").is_empty());
}

#[tokio::test]
async fn template_status_updates_go_to_the_app_callback_even_with_an_override() {
    let (sim, app) = start().await;
    let tunnel = crate::support::Receiver::start_with_token("t").await;
    let configure = json!({"webhook_configuration": {"override_callback_uri": tunnel.url, "verify_token": "t"}});
    let graph = Graph::new(&sim);
    assert_eq!(graph.post(&sim.phone_number_id(), &configure).await.0, 200);
    let report = sim
        .change_template_status("summer_sale", "en_US", "APPROVED", None)
        .await
        .unwrap();
    assert!(report.delivered);
    let json = app.wait_for(1).await[0].json();
    let change = &json["entry"][0]["changes"][0];
    assert_eq!(change["field"], "message_template_status_update");
    assert_eq!(change["value"]["event"], "APPROVED");
    assert_eq!(change["value"]["message_template_name"], "summer_sale");
    assert!(
        tunnel.received().is_empty(),
        "template webhooks do not follow overrides"
    );
    let body = template(
        "summer_sale",
        "en_US",
        json!([{"type": "body", "parameters": [{"type": "text", "text": "20%"}]}]),
    );
    assert_eq!(
        graph.send(&sim, body).await.0,
        200,
        "an approved template can now be sent"
    );
    let error = sim
        .change_template_status("nope", "en_US", "APPROVED", None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, chatsphere_meta_sim::SimError::UnknownTemplate(_)),
        "{error}"
    );
}
