//! A template's media header chosen as a file: checked, uploaded to the simulator, and
//! the template sent with the returned media id.

use chatsphere_core::ErrorCode;
use chatsphere_core::templates::{
    HeaderFileToUpload, HeaderFormat, TemplateToSend, TemplateValues,
};
use serde_json::json;

use crate::media_support::png;
use crate::send_support::{bench, key, wait_for_state};

#[tokio::test]
async fn a_header_picture_file_is_uploaded_then_the_template_is_sent_by_its_id() {
    let b = bench().await;
    b.core.import_templates().await.expect("templates import");
    let template = b
        .core
        .list_templates()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "table_booking_confirmed")
        .expect("the image-header template is seeded");
    let picture = b.dir.path().join("table-12.png");
    std::fs::write(&picture, png(64, 48)).unwrap();

    let header = b
        .core
        .upload_template_header(HeaderFileToUpload {
            conversation_id: b.conversation_id,
            path: picture.display().to_string(),
            format: HeaderFormat::Image,
        })
        .await
        .expect("the picture uploads");
    let media_id = header.media_id.clone().expect("a media id");
    assert_eq!(header.link, None);
    let uploaded = b
        .sim
        .media(&media_id)
        .expect("the simulator holds the upload");
    assert_eq!(uploaded.mime_type, "image/png");
    assert_eq!(uploaded.phone_number_id, b.sim.phone_number_id());

    let values = [
        ("body:guest_name", "Maria"),
        ("body:party_size", "4"),
        ("body:date", "Saturday"),
        ("body:time", "7:30 pm"),
    ];
    let queued = b
        .core
        .send_template(TemplateToSend {
            conversation_id: b.conversation_id,
            idempotency_key: key("header-file"),
            template_id: template.id,
            values: TemplateValues {
                values: values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                header_media: Some(header),
            },
        })
        .await
        .expect("the template is valid");
    let done = wait_for_state(&b.core, queued.message_id, "sent").await;
    assert_eq!(done.state, "sent", "the simulator accepted it");
    let sent = b.sim.sent_messages();
    assert_eq!(
        sent.last().unwrap().request["template"]["components"][0],
        json!({"type": "header", "parameters": [{"type": "image", "image": {"id": media_id}}]}),
    );
}

#[tokio::test]
async fn a_header_file_of_the_wrong_type_or_for_a_text_header_is_refused_before_uploading() {
    let b = bench().await;
    let document = b.dir.path().join("menu.pdf");
    std::fs::write(
        &document,
        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
    )
    .unwrap();
    let upload = |format| HeaderFileToUpload {
        conversation_id: b.conversation_id,
        path: document.display().to_string(),
        format,
    };
    let error = b
        .core
        .upload_template_header(upload(HeaderFormat::Image))
        .await
        .expect_err("a PDF is no picture");
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(error.to_string().contains("JPEG or PNG"), "{error}");
    let error = b
        .core
        .upload_template_header(upload(HeaderFormat::Text))
        .await
        .expect_err("a text header takes no file");
    assert_eq!(error.code(), ErrorCode::InvalidInput);

    let header = b
        .core
        .upload_template_header(upload(HeaderFormat::Document))
        .await
        .expect("a PDF is a document");
    assert_eq!(
        header.filename.as_deref(),
        Some("menu.pdf"),
        "a document keeps its name"
    );
    assert_eq!(
        b.sim
            .media(header.media_id.as_deref().unwrap())
            .map(|m| m.mime_type),
        Some("application/pdf".to_string())
    );
}
