use std::time::Duration;

use chatsphere_meta_sim::{StatusOutcome, StatusPlan};
use serde_json::json;

use crate::support::{Graph, start, text_message};

fn quick(plan: StatusPlan) -> StatusPlan {
    StatusPlan {
        sent_after: Duration::from_millis(5),
        delivered_after: Duration::from_millis(10),
        read_after: Duration::from_millis(15),
        ..plan
    }
}

/// Starts a simulator, opens the customer's window and sends one message under `plan`.
async fn send_under(
    plan: StatusPlan,
    body: serde_json::Value,
) -> (Vec<String>, Vec<serde_json::Value>, String) {
    let (sim, receiver) = start().await;
    sim.set_status_plan(quick(plan));
    sim.customer("16505551234").send_text("hi").await.unwrap();
    let graph = Graph::new(&sim);
    let (status, response) = graph.send(&sim, body).await;
    assert_eq!(status, 200, "send accepted: {response}");
    let wamid = response["messages"][0]["id"].as_str().unwrap().to_owned();
    sim.settle().await;
    let statuses = receiver.statuses();
    let objects = receiver
        .received()
        .iter()
        .filter_map(|received| {
            received.json()["entry"][0]["changes"][0]["value"]["statuses"]
                .get(0)
                .cloned()
        })
        .collect();
    (statuses, objects, wamid)
}

#[tokio::test]
async fn accepted_send_is_followed_by_sent_delivered_read_in_order() {
    let (statuses, objects, wamid) = send_under(
        StatusPlan::default(),
        text_message("+1 650-555-1234", "hello"),
    )
    .await;
    assert_eq!(statuses, ["sent", "delivered", "read"]);
    for object in &objects {
        assert_eq!(
            object["id"],
            wamid.as_str(),
            "status refers to the sent wamid"
        );
        assert_eq!(object["recipient_id"], "16505551234");
        assert!(
            object.get("conversation").is_none(),
            "v24+ has no conversation object"
        );
    }
    assert_eq!(
        objects[0]["pricing"]["category"], "service",
        "pricing on sent"
    );
    assert_eq!(objects[0]["pricing"]["pricing_model"], "PMP");
    assert!(
        objects[2].get("pricing").is_none(),
        "pricing only on sent and one of delivered/read"
    );
}

#[tokio::test]
async fn skipped_delivered_means_read_arrives_alone() {
    let plan = StatusPlan {
        skip_delivered: true,
        ..StatusPlan::default()
    };
    let (statuses, _, _) = send_under(plan, text_message("16505551234", "x")).await;
    assert_eq!(statuses, ["sent", "read"]);
}

#[tokio::test]
async fn failed_outcome_carries_a_real_error_object() {
    let plan = StatusPlan {
        outcome: StatusOutcome::Failed { code: 131049 },
        ..StatusPlan::default()
    };
    let (statuses, objects, _) = send_under(plan, text_message("16505551234", "x")).await;
    assert_eq!(statuses, ["sent", "failed"]);
    let error = &objects[1]["errors"][0];
    assert_eq!(error["code"], 131049);
    assert!(
        error["title"]
            .as_str()
            .is_some_and(|title| !title.is_empty())
    );
    assert!(error["error_data"]["details"].as_str().is_some());
    assert!(error["href"].as_str().is_some());
}

#[tokio::test]
async fn voice_notes_are_played_after_read_when_asked() {
    let plan = StatusPlan {
        played_for_voice_notes: true,
        ..StatusPlan::default()
    };
    let (sim, receiver) = start().await;
    sim.set_status_plan(quick(plan));
    sim.customer("16505551234").send_text("hi").await.unwrap();
    let media = sim
        .upload_media(vec![1u8; 64], "audio/ogg; codecs=opus")
        .unwrap();
    let graph = Graph::new(&sim);
    let body = json!({"messaging_product": "whatsapp", "to": "16505551234", "type": "audio", "audio": {"id": media.id, "voice": true}});
    assert_eq!(graph.send(&sim, body).await.0, 200);
    sim.settle().await;
    assert_eq!(receiver.statuses(), ["sent", "delivered", "read", "played"]);
}

#[tokio::test]
async fn duplicated_statuses_arrive_twice_each() {
    let plan = StatusPlan {
        duplicates: 1,
        ..StatusPlan::default()
    };
    let (statuses, _, _) = send_under(plan, text_message("16505551234", "x")).await;
    assert_eq!(
        statuses,
        ["sent", "sent", "delivered", "delivered", "read", "read"]
    );
}

#[tokio::test]
async fn out_of_order_statuses_arrive_reversed_with_their_own_timestamps() {
    let plan = StatusPlan {
        out_of_order: true,
        read_after: Duration::from_secs(2),
        ..StatusPlan::default()
    };
    let (sim, receiver) = start().await;
    sim.compress_time(100.0);
    sim.set_status_plan(StatusPlan {
        sent_after: Duration::from_millis(5),
        delivered_after: Duration::from_millis(10),
        ..plan
    });
    sim.customer("16505551234").send_text("hi").await.unwrap();
    let (status, _) = Graph::new(&sim)
        .send(&sim, text_message("16505551234", "x"))
        .await;
    assert_eq!(status, 200);
    sim.settle().await;
    assert_eq!(
        receiver.statuses(),
        ["read", "delivered", "sent"],
        "reverse order"
    );
    let timestamps: Vec<i64> = receiver
        .received()
        .iter()
        .filter_map(|received| {
            received.json()["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"]
                .as_str()
                .map(|ts| ts.parse().unwrap())
        })
        .collect();
    assert!(
        timestamps[0] > timestamps[2],
        "read's timestamp is later than sent's despite arriving first: {timestamps:?}"
    );
}

#[tokio::test]
async fn reactions_only_get_a_sent_status() {
    let (statuses, _, _) = send_under(
        StatusPlan::default(),
        json!({"messaging_product": "whatsapp", "to": "16505551234", "type": "reaction", "reaction": {"message_id": "wamid.ABC", "emoji": "👍"}}),
    )
    .await;
    assert_eq!(statuses, ["sent"]);
}

#[tokio::test]
async fn older_graph_versions_get_a_conversation_object() {
    let (sim, receiver) = start().await;
    sim.set_status_plan(quick(StatusPlan {
        outcome: StatusOutcome::Sent,
        ..StatusPlan::default()
    }));
    sim.customer("16505551234").send_text("hi").await.unwrap();
    let graph = Graph::new(&sim);
    let url = format!("{}/v23.0/{}/messages", graph.base, sim.phone_number_id());
    let response = graph
        .http
        .post(url)
        .bearer_auth(crate::support::TOKEN)
        .json(&text_message("16505551234", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    sim.settle().await;
    let status = receiver
        .received()
        .iter()
        .find_map(|received| {
            received.json()["entry"][0]["changes"][0]["value"]["statuses"]
                .get(0)
                .cloned()
        })
        .unwrap();
    assert!(
        status["conversation"]["id"].is_string(),
        "v23 carries conversation: {status}"
    );
    assert!(status["conversation"]["expiration_timestamp"].is_string());
}

#[tokio::test]
async fn the_sent_status_can_beat_the_send_response() {
    let (sim, receiver) = start().await;
    sim.set_status_plan(quick(StatusPlan {
        sent_before_response: true,
        outcome: StatusOutcome::Sent,
        ..StatusPlan::default()
    }));
    sim.customer("16505551234").send_text("hi").await.unwrap();
    let (status, response) = Graph::new(&sim)
        .send(&sim, text_message("16505551234", "race"))
        .await;
    assert_eq!(status, 200);
    let wamid = response["messages"][0]["id"].as_str().unwrap();
    let already = receiver.received().iter().any(|received| {
        received.json()["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] == wamid
    });
    assert!(
        already,
        "the app had the sent status before the response arrived"
    );
}

#[tokio::test]
async fn statuses_name_the_customer_except_when_failed() {
    let (sim, receiver) = start().await;
    sim.set_status_plan(quick(StatusPlan {
        outcome: StatusOutcome::Failed { code: 131026 },
        ..StatusPlan::default()
    }));
    let customer = sim
        .customer("16505551234")
        .name("Pablo M.")
        .username("@pablomorales");
    customer.send_text("hi").await.unwrap();
    let user_id = customer.contact().user_id.clone().unwrap();
    assert_eq!(
        Graph::new(&sim)
            .send(&sim, text_message("16505551234", "x"))
            .await
            .0,
        200
    );
    sim.settle().await;
    let values: Vec<serde_json::Value> = receiver
        .received()
        .iter()
        .map(|received| received.json()["entry"][0]["changes"][0]["value"].clone())
        .filter(|value| value.get("statuses").is_some())
        .collect();
    assert_eq!(values.len(), 2, "sent and failed");
    assert_eq!(
        values[0]["contacts"][0]["profile"]["username"], "@pablomorales",
        "sent names the customer"
    );
    assert_eq!(
        values[0]["statuses"][0]["recipient_user_id"],
        user_id.as_str()
    );
    assert!(
        values[1].get("contacts").is_none(),
        "failed carries no contacts: {}",
        values[1]
    );
}
