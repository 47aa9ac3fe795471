use serde_json::json;

use crate::support::{APP_SECRET, Graph, Receiver, TOKEN, VERSION, assert_meta_error, start};

#[tokio::test]
async fn phone_number_info_returns_the_requested_fields() {
    let (sim, receiver) = start().await;
    let graph = Graph::new(&sim);
    let fields = "display_phone_number,verified_name,quality_rating,status,platform_type,webhook_configuration,code_verification_status,name_status,throughput";
    let (status, info) = graph
        .get(&format!("{}?fields={fields}", sim.phone_number_id()))
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["id"], sim.phone_number_id());
    assert_eq!(info["display_phone_number"], "+1 555-078-3881");
    assert_eq!(info["verified_name"], "ChatSphere Demo Shop");
    assert_eq!(info["quality_rating"], "GREEN");
    assert_eq!(info["status"], "CONNECTED");
    assert_eq!(info["platform_type"], "CLOUD_API");
    assert_eq!(
        info["webhook_configuration"]["application"],
        receiver.url.as_str()
    );
    let (_, only) = graph
        .get(&format!("{}?fields=verified_name", sim.phone_number_id()))
        .await;
    assert_eq!(
        only.as_object().unwrap().len(),
        2,
        "only the field asked for, plus id: {only}"
    );
    let (_, numbers) = graph.get(&format!("{}/phone_numbers", sim.waba_id())).await;
    assert_eq!(numbers["data"][0]["id"], sim.phone_number_id());
    let (_, waba) = graph.get(sim.waba_id()).await;
    assert_eq!(waba["id"], sim.waba_id());
    let (_, app) = graph.get("app?fields=id,name").await;
    assert_eq!(app["id"], sim.config().app_id.as_str(), "the token's app");
}

#[tokio::test]
async fn phone_override_performs_the_verification_handshake_before_taking_effect() {
    let (sim, app) = start().await;
    let tunnel = Receiver::start_with_token("tunnel-token").await;
    let graph = Graph::new(&sim);
    let configure = |uri: &str, token: &str| json!({"webhook_configuration": {"override_callback_uri": uri, "verify_token": token}});

    let (status, body) = graph
        .post(
            &sim.phone_number_id(),
            &configure(&tunnel.url, "wrong-token"),
        )
        .await;
    assert_meta_error(status, &body, 400, 2200);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("403"),
        "names the failing status: {body}"
    );
    assert_eq!(
        sim.phone_override(&sim.phone_number_id()),
        None,
        "not set after a failed handshake"
    );

    let (status, body) = graph
        .post(
            &sim.phone_number_id(),
            &configure(&tunnel.url, "tunnel-token"),
        )
        .await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let handshake = tunnel.handshakes().pop().unwrap();
    assert_eq!(handshake["hub.mode"], "subscribe");
    assert_eq!(handshake["hub.verify_token"], "tunnel-token");
    assert!(
        handshake["hub.challenge"]
            .chars()
            .all(|ch| ch.is_ascii_digit()),
        "numeric challenge"
    );
    assert_eq!(
        sim.phone_override(&sim.phone_number_id()).as_deref(),
        Some(tunnel.url.as_str())
    );

    sim.customer("15551112222")
        .send_text("via the tunnel")
        .await
        .unwrap();
    assert_eq!(
        tunnel.wait_for(1).await.len(),
        1,
        "messages follow the override"
    );
    assert!(
        app.received().is_empty(),
        "the app-level callback gets nothing"
    );

    let (_, info) = graph
        .get(&format!(
            "{}?fields=webhook_configuration",
            sim.phone_number_id()
        ))
        .await;
    assert_eq!(
        info["webhook_configuration"]["phone_number"],
        tunnel.url.as_str()
    );

    let (status, _) = graph.post(&sim.phone_number_id(), &configure("", "")).await;
    assert_eq!(status, 200);
    assert_eq!(
        sim.phone_override(&sim.phone_number_id()),
        None,
        "an empty URI removes the override"
    );
    let too_long = format!("http://127.0.0.1/{}", "a".repeat(200));
    let (status, body) = graph
        .post(&sim.phone_number_id(), &configure(&too_long, "t"))
        .await;
    assert_meta_error(status, &body, 400, 100);
}

#[tokio::test]
async fn a_challenge_echo_that_does_not_match_fails_verification() {
    let (sim, _app) = start().await;
    // An endpoint that answers 200 with something else (e.g. an SPA fallback) is not verified.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/webhook",
        axum::routing::get(|| async { "<html>ok</html>" }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let body =
        json!({"webhook_configuration": {"override_callback_uri": url, "verify_token": "t"}});
    let (status, response) = Graph::new(&sim).post(&sim.phone_number_id(), &body).await;
    assert_meta_error(status, &response, 400, 2200);
    assert!(
        response["error"]["message"]
            .as_str()
            .unwrap()
            .contains("challenge"),
        "{response}"
    );
}

#[tokio::test]
async fn waba_override_and_subscribed_apps_follow_meta_precedence() {
    let (sim, app) = start().await;
    let waba_hook = Receiver::start_with_token("waba").await;
    let phone_hook = Receiver::start_with_token("phone").await;
    let graph = Graph::new(&sim);
    let apps = format!("{}/subscribed_apps", sim.waba_id());

    let (_, listed) = graph.get(&apps).await;
    assert_eq!(
        listed["data"][0]["whatsapp_business_api_data"]["id"],
        sim.config().app_id.as_str(),
        "our app is subscribed: {listed}"
    );

    let (status, body) = graph
        .post(
            &apps,
            &json!({"override_callback_uri": waba_hook.url, "verify_token": "waba"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(waba_hook.handshakes().len(), 1, "handshake performed");
    let (_, listed) = graph.get(&apps).await;
    assert_eq!(
        listed["data"][0]["override_callback_uri"],
        waba_hook.url.as_str()
    );
    sim.customer("15551113333").send_text("1").await.unwrap();
    waba_hook.wait_for(1).await;

    let configure = json!({"webhook_configuration": {"override_callback_uri": phone_hook.url, "verify_token": "phone"}});
    assert_eq!(graph.post(&sim.phone_number_id(), &configure).await.0, 200);
    sim.customer("15551113333").send_text("2").await.unwrap();
    phone_hook.wait_for(1).await;
    assert_eq!(
        waba_hook.received().len(),
        1,
        "the phone override wins over the WABA override"
    );

    let (status, body) = graph
        .post(
            &apps,
            &json!({"override_callback_uri": app.url, "verify_token": "nope"}),
        )
        .await;
    assert_meta_error(status, &body, 400, 2200);

    let (status, _) = graph.post(&apps, &json!({})).await;
    assert_eq!(status, 200, "POST without an override");
    assert_eq!(sim.waba_override(), None, "removes the WABA override");

    let (status, body) = graph.delete(&apps).await;
    assert_eq!((status, body), (200, json!({"success": true})));
    assert!(!sim.is_waba_subscribed());
    let (_, listed) = graph.get(&apps).await;
    assert_eq!(listed["data"], json!([]));
    let error = sim
        .customer("15551113333")
        .send_text("3")
        .await
        .unwrap_err();
    assert!(
        matches!(error, chatsphere_meta_sim::SimError::NotSubscribed),
        "unsubscribed WABA gets no webhooks: {error}"
    );
    assert_eq!(graph.post(&apps, &json!({})).await.0, 200);
    assert!(sim.is_waba_subscribed(), "POST subscribes again");
}

#[tokio::test]
async fn debug_token_describes_valid_invalid_and_expired_tokens() {
    let (sim, _app) = start().await;
    let graph = Graph::new(&sim);
    let (status, body) = graph.get(&format!("debug_token?input_token={TOKEN}")).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["is_valid"], true);
    assert_eq!(data["type"], "SYSTEM_USER");
    assert_eq!(data["expires_at"], 0, "never expires");
    assert_eq!(data["app_id"], sim.config().app_id.as_str());
    assert!(
        data["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!("whatsapp_business_messaging"))
    );
    let (_, body) = graph.get("debug_token?input_token=garbage").await;
    assert_eq!(body["data"]["is_valid"], false);
    assert_eq!(body["data"]["error"]["code"], 190);
    let unversioned = format!(
        "{}/debug_token?input_token={TOKEN}&access_token={TOKEN}",
        sim.graph_base_url()
    );
    assert_eq!(
        reqwest::get(unversioned).await.unwrap().status(),
        200,
        "unversioned path works too"
    );
    sim.set_token_expiry(Some(sim.clock().now_unix() + 10));
    sim.advance_time(std::time::Duration::from_secs(11));
    let app_token = format!("{}|{APP_SECRET}", sim.config().app_id);
    let url = format!(
        "{}/{VERSION}/debug_token?input_token={TOKEN}&access_token={}",
        sim.graph_base_url(),
        app_token.replace('|', "%7C")
    );
    let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(body["data"]["is_valid"], false, "expired token: {body}");
    let (status, body) = graph.get(&format!("debug_token?input_token={TOKEN}")).await;
    assert_meta_error(status, &body, 401, 190);
}

#[tokio::test]
async fn app_subscriptions_need_the_app_token_and_a_verified_callback() {
    let (sim, _app) = start().await;
    let new_app_hook = Receiver::start_with_token("app-verify").await;
    let graph = Graph::new(&sim);
    let app_id = sim.config().app_id.clone();
    let app_token = format!("{app_id}|{APP_SECRET}");
    let url = graph.url(&format!("{app_id}/subscriptions"));
    let form = [
        ("object", "whatsapp_business_account"),
        ("callback_url", new_app_hook.url.as_str()),
        ("verify_token", "app-verify"),
        ("fields", "messages,account_update"),
    ];

    let response = graph
        .http
        .post(&url)
        .bearer_auth(TOKEN)
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_meta_error(status, &body, 400, 190);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Application Secret required"),
        "{body}"
    );

    let response = graph
        .http
        .post(&url)
        .query(&[("access_token", app_token.as_str())])
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    assert_eq!(
        new_app_hook.handshakes().len(),
        1,
        "the new callback was verified"
    );

    let listed: serde_json::Value = graph
        .http
        .get(&url)
        .query(&[("access_token", app_token.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"][0]["callback_url"], new_app_hook.url.as_str());
    let fields: Vec<_> = listed["data"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| field["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["messages", "account_update"]);
    sim.customer("15551114444")
        .send_text("to the new callback")
        .await
        .unwrap();
    new_app_hook.wait_for(1).await;

    let bad_verify = [
        ("object", "whatsapp_business_account"),
        ("callback_url", new_app_hook.url.as_str()),
        ("verify_token", "wrong"),
        ("fields", "messages"),
    ];
    let response = graph
        .http
        .post(&url)
        .query(&[("access_token", app_token.as_str())])
        .form(&bad_verify)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        400,
        "failed verification refuses the change"
    );
}
