//! Media: upload, metadata with a short-lived URL, download, delete.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{FaultAction, check_token, check_version, fault_for, hang};
use crate::error::GraphError;
use crate::faults::Endpoint;
use crate::ids::new_numeric_id;
use crate::payload::MediaKind;
use crate::signature::hmac_sha256_hex;
use crate::state::{MediaObject, Shared, UploadRecord};

const MB: usize = 1024 * 1024;
/// Uploaded media persists for 30 days.
const UPLOAD_LIFETIME_SECONDS: i64 = 30 * 24 * 3600;
const KB: usize = 1024;

/// The media kind and size limit Meta applies to a MIME type; `None` when unsupported.
/// `animated` only matters for stickers (500 KB animated, 100 KB static).
pub(crate) fn mime_limit(mime_type: &str, animated: bool) -> Option<(MediaKind, usize)> {
    let base = mime_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let limit = match base.as_str() {
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => {
            (MediaKind::Audio, 16 * MB)
        }
        "text/plain"
        | "application/pdf"
        | "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            (MediaKind::Document, 100 * MB)
        }
        "image/jpeg" | "image/png" => (MediaKind::Image, 5 * MB),
        "image/webp" if animated => (MediaKind::Sticker, 500 * KB),
        "image/webp" => (MediaKind::Sticker, 100 * KB),
        "video/mp4" | "video/3gpp" => (MediaKind::Video, 16 * MB),
        _ => return None,
    };
    Some(limit)
}

/// True for a WebP whose extended header has the animation flag set.
fn is_animated_webp(bytes: &[u8]) -> bool {
    bytes.len() > 20
        && &bytes[0..4] == b"RIFF"
        && &bytes[8..12] == b"WEBP"
        && &bytes[12..16] == b"VP8X"
        && bytes[20] & 0x02 != 0
}

/// Validates and stores media, returning its new id. Used by uploads and by customers.
pub(crate) fn store_media(
    shared: &Shared,
    phone_number_id: &str,
    mime_type: &str,
    bytes: Bytes,
    filename: Option<String>,
) -> Result<MediaObject, GraphError> {
    let (kind, limit) = mime_limit(mime_type, is_animated_webp(&bytes)).ok_or_else(|| {
        GraphError::from_code(131053).with_details(format!("Unsupported media type: {mime_type}"))
    })?;
    if bytes.is_empty() {
        return Err(GraphError::from_code(131053).with_details("The uploaded file is empty."));
    }
    if bytes.len() > limit {
        return Err(GraphError::from_code(131053).with_details(format!(
            "File size {} bytes exceeds the {} byte limit for {} media.",
            bytes.len(),
            limit,
            kind.as_str()
        )));
    }
    let digest = Sha256::digest(&bytes);
    let media = MediaObject {
        id: new_numeric_id(),
        mime_type: mime_type.to_owned(),
        sha256_hex: hex::encode(digest),
        sha256_base64: STANDARD.encode(digest),
        filename,
        phone_number_id: phone_number_id.to_owned(),
        deleted: false,
        expires_at: shared.clock.now_unix() + UPLOAD_LIFETIME_SECONDS,
        bytes,
    };
    shared.lock().media.insert(media.id.clone(), media.clone());
    Ok(media)
}

pub(super) async fn upload(
    State(shared): State<Arc<Shared>>,
    Path((version, phone_number_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let result = async {
        check_version(&version)?;
        check_token(&shared, &headers, &query)?;
        if shared.number(&phone_number_id).is_none() {
            return Err(GraphError::unknown_object(&phone_number_id));
        }
        match fault_for(&shared, Endpoint::MediaUpload) {
            FaultAction::Fail(error) => return Err(error),
            FaultAction::HangBeforeAccept | FaultAction::HangAfterAccept => {
                hang(&shared).await;
                return Err(GraphError::from_code(131000));
            }
            FaultAction::None | FaultAction::CorruptBytes | FaultAction::SlowDownload(_) => {}
        }
        let form = read_form(multipart).await?;
        if form.messaging_product.as_deref() != Some("whatsapp") {
            return Err(GraphError::invalid_parameter(
                "The parameter messaging_product is required.",
            ));
        }
        let (part_type, bytes, filename) = form
            .file
            .ok_or_else(|| GraphError::invalid_parameter("The parameter file is required."))?;
        let mime_type = form
            .type_field
            .or(part_type)
            .ok_or_else(|| GraphError::invalid_parameter("The parameter type is required."))?;
        let media = store_media(&shared, &phone_number_id, &mime_type, bytes, filename)?;
        shared.lock().uploads.push(UploadRecord {
            id: media.id.clone(),
            phone_number_id: media.phone_number_id.clone(),
            mime_type: media.mime_type.clone(),
            file_name: media.filename.clone(),
            size_bytes: media.bytes.len(),
            sha256_hex: media.sha256_hex.clone(),
            uploaded_at: shared.clock.now_unix(),
        });
        Ok(Json(json!({ "id": media.id })))
    }
    .await;
    result.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}

struct UploadForm {
    messaging_product: Option<String>,
    type_field: Option<String>,
    file: Option<(Option<String>, Bytes, Option<String>)>,
}

async fn read_form(mut multipart: Multipart) -> Result<UploadForm, GraphError> {
    let mut form = UploadForm {
        messaging_product: None,
        type_field: None,
        file: None,
    };
    let bad = |error: axum::extract::multipart::MultipartError| {
        GraphError::invalid_parameter(format!("Invalid multipart body: {error}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "messaging_product" => form.messaging_product = Some(field.text().await.map_err(bad)?),
            "type" => form.type_field = Some(field.text().await.map_err(bad)?),
            "file" => {
                let content_type = field.content_type().map(str::to_owned);
                let filename = field.file_name().map(str::to_owned);
                let bytes = field.bytes().await.map_err(bad)?;
                form.file = Some((content_type, bytes, filename));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// The signed, expiring download URL of a media object.
pub(crate) fn media_url(shared: &Shared, media_id: &str) -> String {
    let expires = shared.clock.now_unix()
        + i64::try_from(shared.config.media_url_ttl.as_secs()).unwrap_or(300);
    let hash = url_hash(shared, media_id, expires);
    format!(
        "{}/whatsapp_business/attachments/?mid={media_id}&ext={expires}&hash={hash}",
        shared.base_url
    )
}

fn url_hash(shared: &Shared, media_id: &str, expires: i64) -> String {
    let digest = hmac_sha256_hex(
        &shared.config.app_secret,
        format!("{media_id}:{expires}").as_bytes(),
    );
    digest[..24].to_owned()
}

pub(super) async fn media_info(
    shared: &Shared,
    media_id: &str,
    phone_number_id: Option<&String>,
) -> Result<Response, GraphError> {
    match fault_for(shared, Endpoint::MediaInfo) {
        FaultAction::Fail(error) => return Err(error),
        FaultAction::HangBeforeAccept | FaultAction::HangAfterAccept => {
            hang(shared).await;
            return Err(GraphError::from_code(131000));
        }
        FaultAction::None | FaultAction::CorruptBytes | FaultAction::SlowDownload(_) => {}
    }
    let media = live_media(shared, media_id, phone_number_id)?;
    Ok(Json(json!({
        "messaging_product": "whatsapp",
        "url": media_url(shared, media_id),
        "mime_type": media.mime_type,
        "sha256": media.sha256_hex,
        "file_size": media.bytes.len(),
        "id": media.id,
    }))
    .into_response())
}

fn live_media(
    shared: &Shared,
    media_id: &str,
    phone_number_id: Option<&String>,
) -> Result<MediaObject, GraphError> {
    let media = shared
        .lock()
        .media
        .get(media_id)
        .filter(|media| !media.deleted && shared.clock.now_unix() <= media.expires_at)
        .cloned()
        .ok_or_else(|| GraphError::unknown_object(media_id))?;
    if let Some(phone_number_id) = phone_number_id
        && *phone_number_id != media.phone_number_id
    {
        return Err(GraphError::invalid_parameter(format!(
            "The media {media_id} does not belong to phone number {phone_number_id}."
        )));
    }
    Ok(media)
}

pub(super) fn delete_media(
    shared: &Shared,
    media_id: &str,
    phone_number_id: Option<&String>,
) -> Result<Json<Value>, GraphError> {
    live_media(shared, media_id, phone_number_id)?;
    if let Some(media) = shared.lock().media.get_mut(media_id) {
        media.deleted = true;
    }
    Ok(Json(json!({"success": true})))
}

pub(super) async fn download(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let has_user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| !value.trim().is_empty());
    if !has_user_agent {
        return GraphError::from_code(10)
            .with_message("(#10) A User-Agent header is required to download media.")
            .into_response();
    }
    if let Err(error) = check_token(&shared, &headers, &HashMap::new()) {
        return error.into_response();
    }
    let (corrupt, chunk_delay) = match fault_for(&shared, Endpoint::MediaDownload) {
        FaultAction::Fail(error) => return error.into_response(),
        FaultAction::HangBeforeAccept | FaultAction::HangAfterAccept => {
            hang(&shared).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
        FaultAction::CorruptBytes => (true, None),
        FaultAction::SlowDownload(delay) => (false, Some(delay)),
        FaultAction::None => (false, None),
    };
    let (Some(media_id), Some(expires), Some(hash)) =
        (query.get("mid"), query.get("ext"), query.get("hash"))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(expires) = expires.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // An expired or forged URL looks like a missing object, as on Meta's CDN.
    if url_hash(&shared, media_id, expires) != *hash || shared.clock.now_unix() > expires {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(media) = live_media(&shared, media_id, None) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut bytes = media.bytes.to_vec();
    if corrupt && let Some(first) = bytes.first_mut() {
        *first ^= 0xff;
    }
    let length = bytes.len();
    let body = match chunk_delay {
        None => Body::from(bytes),
        Some(delay) => trickle(bytes, delay),
    };
    let mut response = Response::new(body);
    if let Ok(value) = HeaderValue::from_str(&media.mime_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// A body sent in eight chunks, each after `delay`.
fn trickle(bytes: Vec<u8>, delay: std::time::Duration) -> Body {
    use futures_util::StreamExt;
    let chunk_size = bytes.len().div_ceil(8).max(1);
    let chunks: Vec<Bytes> = bytes
        .chunks(chunk_size)
        .map(Bytes::copy_from_slice)
        .collect();
    let stream = futures_util::stream::iter(chunks).then(move |chunk| async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::io::Error>(chunk)
    });
    Body::from_stream(stream)
}
