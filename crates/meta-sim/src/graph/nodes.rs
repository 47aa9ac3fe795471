//! `GET/POST/DELETE /{version}/{node}`: the node is a phone number, a media object, the
//! WABA or the app, as on graph.facebook.com.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{account, check_token, check_version, media};
use crate::error::GraphError;
use crate::state::Shared;

type Params = Query<HashMap<String, String>>;

pub(super) async fn get_node(
    State(shared): State<Arc<Shared>>,
    Path((version, node)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let result = async {
        check_version(&version)?;
        check_token(&shared, &headers, &query)?;
        if shared.number(&node).is_some() {
            return Ok(
                account::phone_number_info(&shared, &node, query.get("fields")).into_response(),
            );
        }
        if node == shared.config.waba_id {
            return Ok(Json(json!({
                "id": shared.config.waba_id,
                "name": "ChatSphere Demo WABA",
                "currency": "USD",
                "timezone_id": "1",
                "message_template_namespace": "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574",
            }))
            .into_response());
        }
        if node == shared.config.app_id || node == "app" {
            return Ok(
                Json(json!({"id": shared.config.app_id, "name": shared.config.app_name}))
                    .into_response(),
            );
        }
        media::media_info(&shared, &node, query.get("phone_number_id")).await
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn post_node(
    State(shared): State<Arc<Shared>>,
    Path((version, node)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = async {
        check_version(&version)?;
        check_token(&shared, &headers, &query)?;
        if shared.number(&node).is_none() {
            return Err(GraphError::unknown_object(&node));
        }
        account::update_webhook_configuration(&shared, &node, &body).await
    }
    .await;
    result.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}

pub(super) async fn delete_node(
    State(shared): State<Arc<Shared>>,
    Path((version, node)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let result = check_version(&version)
        .and_then(|()| check_token(&shared, &headers, &query))
        .and_then(|()| media::delete_media(&shared, &node, query.get("phone_number_id")));
    result.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}
