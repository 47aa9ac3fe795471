//! `GET /{version}/{waba-id}/message_templates` with cursor paging and filters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::{check_token, check_version};
use crate::error::GraphError;
use crate::state::Shared;

const DEFAULT_PAGE_SIZE: usize = 25;

fn encode_cursor(index: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("tpl:{index}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("tpl:")?
        .parse()
        .ok()
}

pub(super) async fn list_templates(
    State(shared): State<Arc<Shared>>,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let result = (|| {
        check_version(&version)?;
        check_token(&shared, &headers, &query)?;
        if waba_id != shared.config.waba_id {
            return Err(GraphError::unknown_object(&waba_id));
        }
        let limit = match query.get("limit") {
            Some(limit) => limit
                .parse::<usize>()
                .ok()
                .filter(|limit| *limit > 0)
                .ok_or_else(|| GraphError::invalid_parameter("limit must be a positive integer"))?,
            None => DEFAULT_PAGE_SIZE,
        };
        let status_filter = query
            .get("status")
            .map(|status| status.to_ascii_uppercase());
        let name_filter = query.get("name");
        let matching: Vec<Value> = shared
            .lock()
            .templates
            .iter()
            .filter(|template| {
                status_filter
                    .as_ref()
                    .is_none_or(|status| template.status == *status)
            })
            .filter(|template| name_filter.is_none_or(|name| template.name.contains(name.as_str())))
            .map(|template| template.to_json())
            .collect();
        let start = match (query.get("after"), query.get("before")) {
            (Some(after), _) => decode_cursor(after).map(|index| index + 1),
            (None, Some(before)) => decode_cursor(before).map(|index| index.saturating_sub(limit)),
            (None, None) => Some(0),
        }
        .ok_or_else(|| GraphError::invalid_parameter("Invalid cursor"))?;
        let end = (start + limit).min(matching.len());
        let page: Vec<Value> = matching
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|template| select_fields(template, query.get("fields")))
            .collect();
        let mut paging = json!({});
        if !page.is_empty() {
            paging["cursors"] =
                json!({"before": encode_cursor(start), "after": encode_cursor(end - 1)});
        }
        let base = format!("{}/{version}/{waba_id}/message_templates", shared.base_url);
        let mut common = format!("limit={limit}");
        for key in ["fields", "status", "name"] {
            if let Some(value) = query.get(key) {
                common.push_str(&format!("&{key}={}", url_encode(value)));
            }
        }
        if end < matching.len() && !page.is_empty() {
            paging["next"] = json!(format!("{base}?{common}&after={}", encode_cursor(end - 1)));
        }
        if start > 0 && !page.is_empty() {
            paging["previous"] = json!(format!("{base}?{common}&before={}", encode_cursor(start)));
        }
        Ok(Json(json!({"data": page, "paging": paging})))
    })();
    result.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}

fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Keeps only the requested fields (and `id`, which Graph always returns).
fn select_fields(template: &Value, fields: Option<&String>) -> Value {
    let Some(fields) = fields else {
        return template.clone();
    };
    let mut selected = Map::new();
    for field in fields
        .split(',')
        .map(str::trim)
        .chain(std::iter::once("id"))
    {
        if let Some(value) = template.get(field) {
            selected.insert(field.to_owned(), value.clone());
        }
    }
    Value::Object(selected)
}
