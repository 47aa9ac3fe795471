use std::time::Duration;

use chatsphere_meta_sim::{Endpoint, Fault, SimConfig, Simulator, TINY_PNG};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{
    Graph, Receiver, TOKEN, assert_meta_error, assert_whatsapp_error, config_for, start,
};

async fn upload(graph: &Graph, sim: &Simulator, bytes: Vec<u8>, mime: &str) -> (u16, Value) {
    let form = Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", mime.to_owned())
        .part(
            "file",
            Part::bytes(bytes)
                .file_name("upload.bin")
                .mime_str(mime)
                .unwrap(),
        );
    let response = graph
        .http
        .post(graph.url(&format!("{}/media", sim.phone_number_id())))
        .bearer_auth(TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn download(url: &str, token: Option<&str>, user_agent: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(user_agent) = user_agent {
        request = request.header("User-Agent", user_agent);
    }
    request.send().await.unwrap()
}

fn animated_webp(size: usize) -> Vec<u8> {
    let mut bytes = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
    bytes.extend_from_slice(&[10, 0, 0, 0, 0x02]);
    bytes.resize(size, 0);
    bytes
}

#[tokio::test]
async fn uploaded_media_round_trips_through_info_and_download() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, body) = upload(&graph, &sim, TINY_PNG.to_vec(), "image/png").await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap();
    assert!(
        id.chars().all(|ch| ch.is_ascii_digit()),
        "numeric media id: {id}"
    );
    let (status, info) = graph.get(id).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["messaging_product"], "whatsapp");
    assert_eq!(info["id"], id);
    assert_eq!(info["mime_type"], "image/png");
    assert_eq!(info["file_size"], TINY_PNG.len());
    assert_eq!(
        info["sha256"],
        hex_sha256(TINY_PNG),
        "hex sha256 in the media endpoint"
    );
    let response = download(
        info["url"].as_str().unwrap(),
        Some(TOKEN),
        Some("chatsphere/0.1"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.bytes().await.unwrap().as_ref(), TINY_PNG);
    let (status, _) = graph
        .get(&format!("{id}?phone_number_id={}", sim.phone_number_id()))
        .await;
    assert_eq!(status, 200, "matching phone_number_id is accepted");
    let (status, body) = graph.get(&format!("{id}?phone_number_id=123")).await;
    assert_meta_error(status, &body, 400, 100);
}

#[tokio::test]
async fn the_control_api_lists_accepted_uploads_only() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let (status, body) = upload(&graph, &sim, TINY_PNG.to_vec(), "image/png").await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = upload(&graph, &sim, b"GIF89a".to_vec(), "image/gif").await;
    assert_eq!(status, 400, "a refused upload");

    let listed: Value = reqwest::get(format!("{}/_sim/uploads", sim.graph_base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uploads = listed["data"].as_array().expect("a list");
    assert_eq!(uploads.len(), 1, "only the accepted upload: {listed}");
    assert_eq!(uploads[0]["id"], body["id"]);
    assert_eq!(uploads[0]["mime_type"], "image/png");
    assert_eq!(uploads[0]["file_name"], "upload.bin");
    assert_eq!(uploads[0]["size_bytes"], TINY_PNG.len());
    assert_eq!(uploads[0]["sha256_hex"], hex_sha256(TINY_PNG));
    assert_eq!(uploads[0]["phone_number_id"], sim.phone_number_id());
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[tokio::test]
async fn download_requires_the_bearer_token_and_a_user_agent() {
    let (sim, _receiver) = start().await;
    let media = sim.upload_media(TINY_PNG.to_vec(), "image/png").unwrap();
    let url = sim.media_url(&media.id);
    assert_eq!(
        download(&url, None, Some("ua")).await.status(),
        401,
        "no token"
    );
    assert_eq!(
        download(&url, Some("bad"), Some("ua")).await.status(),
        401,
        "wrong token"
    );
    let response = download(&url, Some(TOKEN), None).await;
    assert_eq!(response.status(), 403, "no User-Agent");
    assert_eq!(download(&url, Some(TOKEN), Some("ua")).await.status(), 200);
    let forged = url.replace("hash=", "hash=00");
    assert_eq!(
        download(&forged, Some(TOKEN), Some("ua")).await.status(),
        404,
        "forged URL"
    );
}

#[tokio::test]
async fn media_urls_expire_after_the_configured_time_and_a_fresh_one_works() {
    let receiver = Receiver::start().await;
    let sim = Simulator::start(SimConfig {
        media_url_ttl: Duration::from_secs(300),
        ..config_for(&receiver)
    })
    .await
    .unwrap();
    let graph = Graph::new(&sim);
    let media = sim.upload_media(TINY_PNG.to_vec(), "image/png").unwrap();
    let (_, info) = graph.get(&media.id).await;
    let old_url = info["url"].as_str().unwrap().to_owned();
    sim.advance_time(Duration::from_secs(299));
    assert_eq!(
        download(&old_url, Some(TOKEN), Some("ua")).await.status(),
        200,
        "still valid before 5 minutes"
    );
    sim.advance_time(Duration::from_secs(2));
    assert_eq!(
        download(&old_url, Some(TOKEN), Some("ua")).await.status(),
        404,
        "expired after 5 minutes"
    );
    let (_, fresh) = graph.get(&media.id).await;
    assert_eq!(
        download(fresh["url"].as_str().unwrap(), Some(TOKEN), Some("ua"))
            .await
            .status(),
        200,
        "a fresh URL works"
    );
}

#[tokio::test]
async fn deleted_media_is_gone_from_info_download_and_sends() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let media = sim.upload_media(TINY_PNG.to_vec(), "image/png").unwrap();
    let url = sim.media_url(&media.id);
    let (status, body) = graph.delete(&media.id).await;
    assert_eq!((status, body), (200, serde_json::json!({"success": true})));
    let (status, body) = graph.get(&media.id).await;
    assert_meta_error(status, &body, 400, 100);
    assert_eq!(download(&url, Some(TOKEN), Some("ua")).await.status(), 404);
    let (status, body) = graph.delete(&media.id).await;
    assert_meta_error(status, &body, 400, 100);
}

#[tokio::test]
async fn uploads_outside_the_type_and_size_table_are_rejected_with_131053() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![1; 10], "application/zip"),
        (vec![1; 10], "image/gif"),
        (vec![1; 5 * 1024 * 1024 + 1], "image/jpeg"),
        (vec![1; 100 * 1024 + 1], "image/webp"),
        (animated_webp(500 * 1024 + 1), "image/webp"),
        (vec![1; 16 * 1024 * 1024 + 1], "video/mp4"),
        (Vec::new(), "application/pdf"),
    ];
    for (bytes, mime) in cases {
        let size = bytes.len();
        let (status, body) = upload(&graph, &sim, bytes, mime).await;
        assert_whatsapp_error(status, &body, 400, 131053);
        assert!(
            body["error"]["error_data"]["details"].is_string(),
            "{mime} of {size} bytes: {body}"
        );
    }
    for (bytes, mime) in [
        (animated_webp(300 * 1024), "image/webp"),
        (vec![1; 5 * 1024 * 1024], "image/jpeg"),
        (vec![1; 100], "audio/ogg; codecs=opus"),
        (
            vec![1; 100],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let (status, body) = upload(&graph, &sim, bytes, mime).await;
        assert_eq!(status, 200, "{mime} within limits: {body}");
    }
}

#[tokio::test]
async fn upload_without_messaging_product_or_file_is_rejected_with_100() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let url = graph.url(&format!("{}/media", sim.phone_number_id()));
    let no_product = Form::new().part(
        "file",
        Part::bytes(TINY_PNG.to_vec())
            .mime_str("image/png")
            .unwrap(),
    );
    let response = graph
        .http
        .post(&url)
        .bearer_auth(TOKEN)
        .multipart(no_product)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_meta_error(status, &response.json().await.unwrap(), 400, 100);
    let no_file = Form::new().text("messaging_product", "whatsapp");
    let response = graph
        .http
        .post(&url)
        .bearer_auth(TOKEN)
        .multipart(no_file)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_meta_error(status, &response.json().await.unwrap(), 400, 100);
    let response = graph
        .http
        .post(&url)
        .multipart(Form::new())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "uploads need the token too");
}

#[tokio::test]
async fn corrupted_downloads_and_media_faults_are_injectable() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let media = sim.upload_media(TINY_PNG.to_vec(), "image/png").unwrap();
    sim.set_fault(Fault::corrupt_media_bytes());
    let corrupted = download(&sim.media_url(&media.id), Some(TOKEN), Some("ua"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_ne!(
        hex_sha256(&corrupted),
        media.sha256_hex,
        "bytes no longer match the advertised sha256"
    );
    let clean = download(&sim.media_url(&media.id), Some(TOKEN), Some("ua"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(hex_sha256(&clean), media.sha256_hex, "the fault fired once");
    sim.set_fault(Fault::error(190).on(Endpoint::MediaInfo));
    let (status, body) = graph.get(&media.id).await;
    assert_meta_error(status, &body, 401, 190);
    sim.set_fault(Fault::http_status(500).on(Endpoint::MediaUpload));
    let (status, body) = upload(&graph, &sim, TINY_PNG.to_vec(), "image/png").await;
    assert_whatsapp_error(status, &body, 500, 131000);
}

#[tokio::test]
async fn every_inbound_media_kind_is_downloadable() {
    let (sim, receiver) = start().await;
    let customer = sim.customer("5511987650000").name("Zoë");
    let deliveries = [
        customer
            .send_image(TINY_PNG.to_vec(), "image/png", None)
            .await
            .unwrap(),
        customer
            .send_video(vec![7u8; 2048], Some("vídeo"))
            .await
            .unwrap(),
        customer
            .send_audio(vec![8u8; 1024], "audio/mpeg")
            .await
            .unwrap(),
        customer.send_voice_note(vec![9u8; 512]).await.unwrap(),
        customer
            .send_document(
                vec![10u8; 4096],
                "application/pdf",
                "nota.pdf",
                Some("segue"),
            )
            .await
            .unwrap(),
        customer
            .send_sticker(animated_webp(2000), true)
            .await
            .unwrap(),
    ];
    let received = receiver.wait_for(deliveries.len()).await;
    for (delivery, post) in deliveries.iter().zip(&received) {
        let json = post.json();
        let message = &json["entry"][0]["changes"][0]["value"]["messages"][0];
        let kind = message["type"].as_str().unwrap();
        let url = message[kind]["url"].as_str().unwrap();
        let response = download(url, Some(TOKEN), Some("ua")).await;
        assert_eq!(response.status(), 200, "{kind} downloadable");
        let bytes = response.bytes().await.unwrap();
        let stored = sim.media(&delivery.media().unwrap().id).unwrap();
        assert_eq!(
            bytes, stored.bytes,
            "{kind}: downloaded bytes are what the customer sent"
        );
        assert_eq!(
            message[kind]["sha256"],
            stored.sha256_base64.as_str(),
            "{kind}: base64 sha256 in the webhook"
        );
    }
    let voice = received[3].json();
    assert_eq!(
        voice["entry"][0]["changes"][0]["value"]["messages"][0]["audio"]["voice"], true,
        "voice note flagged"
    );
    assert_eq!(
        voice["entry"][0]["changes"][0]["value"]["messages"][0]["audio"]["mime_type"],
        "audio/ogg; codecs=opus"
    );
    let sticker = received[5].json();
    assert_eq!(
        sticker["entry"][0]["changes"][0]["value"]["messages"][0]["sticker"]["animated"],
        true
    );
    let document = received[4].json();
    assert_eq!(
        document["entry"][0]["changes"][0]["value"]["messages"][0]["document"]["filename"],
        "nota.pdf"
    );
}

#[tokio::test]
async fn slow_downloads_trickle_in_and_can_be_interrupted() {
    let (sim, _receiver) = start().await;
    let bytes: Vec<u8> = (0..8000u32).map(|n| (n % 251) as u8).collect();
    let media = sim.upload_media(bytes.clone(), "application/pdf").unwrap();
    sim.set_fault(Fault::slow_media_download(Duration::from_millis(100)));
    let response = download(&sim.media_url(&media.id), Some(TOKEN), Some("ua")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.content_length(),
        Some(8000),
        "the full length is announced"
    );
    let mut response = response;
    let first = response.chunk().await.unwrap().expect("a first chunk");
    assert!(
        first.len() < bytes.len(),
        "only part of the file arrived so far ({} bytes)",
        first.len()
    );
    drop(response);
    sim.set_fault(Fault::slow_media_download(Duration::from_millis(1)));
    let complete = download(&sim.media_url(&media.id), Some(TOKEN), Some("ua"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        complete.to_vec(),
        bytes,
        "a slow download still delivers every byte"
    );
}

#[tokio::test]
async fn media_ids_expire_after_seven_days_for_webhooks_and_thirty_for_uploads() {
    let (sim, _receiver) = start().await;
    let graph = Graph::new(&sim);
    let delivery = sim
        .customer("15551230011")
        .send_image(TINY_PNG.to_vec(), "image/png", None)
        .await
        .unwrap();
    let inbound_id = delivery.media().unwrap().id.clone();
    let uploaded = sim.upload_media(TINY_PNG.to_vec(), "image/png").unwrap();
    sim.advance_time(Duration::from_secs(7 * 86_400 - 60));
    assert_eq!(
        graph.get(&inbound_id).await.0,
        200,
        "still there just before 7 days"
    );
    sim.advance_time(Duration::from_secs(120));
    let (status, body) = graph.get(&inbound_id).await;
    assert_meta_error(status, &body, 400, 100);
    assert_eq!(graph.get(&uploaded.id).await.0, 200, "uploads last longer");
    sim.advance_time(Duration::from_secs(23 * 86_400));
    let (status, body) = graph.get(&uploaded.id).await;
    assert_meta_error(status, &body, 400, 100);
}
