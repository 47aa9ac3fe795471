//! Account wiring: phone number info, webhook overrides with the verification handshake,
//! WABA subscriptions, app subscriptions and `debug_token`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{app_access_token, check_token, check_version, presented_token};
use crate::error::GraphError;
use crate::state::Shared;

/// The longest override URL Meta accepts.
const MAX_OVERRIDE_URL: usize = 200;

type Params = Query<HashMap<String, String>>;

fn respond(result: Result<Json<Value>, GraphError>) -> Response {
    result.map_or_else(IntoResponse::into_response, IntoResponse::into_response)
}

/// `GET /{phone-number-id}?fields=…`.
pub(super) fn phone_number_info(
    shared: &Shared,
    phone_number_id: &str,
    fields: Option<&String>,
) -> Json<Value> {
    let number = shared.number(phone_number_id).cloned().unwrap_or_default();
    let state = shared.lock();
    let account = &state.account;
    let mut webhook_configuration = Map::new();
    if let Some(url) = account.phone_overrides.get(phone_number_id) {
        webhook_configuration.insert("phone_number".to_owned(), json!(url));
    }
    if let Some(url) = &account.waba_override {
        webhook_configuration.insert("whatsapp_business_account".to_owned(), json!(url));
    }
    if let Some(url) = &account.app_callback_url {
        webhook_configuration.insert("application".to_owned(), json!(url));
    }
    let all = json!({
        "id": number.phone_number_id,
        "display_phone_number": number.display_phone_number,
        "verified_name": number.verified_name,
        "quality_rating": number.quality_rating,
        "code_verification_status": "VERIFIED",
        "name_status": "APPROVED",
        "status": "CONNECTED",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "webhook_configuration": Value::Object(webhook_configuration),
    });
    let default_fields = "verified_name,code_verification_status,display_phone_number,quality_rating,platform_type,throughput,id";
    let requested = fields.map_or(default_fields, String::as_str);
    let mut selected = Map::new();
    for field in requested
        .split(',')
        .map(str::trim)
        .chain(std::iter::once("id"))
    {
        if let Some(value) = all.get(field) {
            selected.insert(field.to_owned(), value.clone());
        }
    }
    Json(Value::Object(selected))
}

/// Parameters from the query string, a JSON body or a form body, merged.
fn body_params(body: &[u8]) -> Map<String, Value> {
    if let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) {
        return object;
    }
    url::form_urlencoded::parse(body)
        .map(|(key, value)| (key.into_owned(), Value::String(value.into_owned())))
        .collect()
}

/// Performs Meta's GET verification handshake against `callback_url`.
pub(crate) async fn verify_callback(
    shared: &Shared,
    callback_url: &str,
    verify_token: &str,
) -> Result<(), GraphError> {
    let failed = |reason: String| {
        GraphError::from_code(2200).with_message(format!(
            "(#2200) Callback verification failed with the following errors: {reason}"
        ))
    };
    let mut url = url::Url::parse(callback_url).map_err(|error| {
        GraphError::invalid_parameter(format!("Invalid callback URL {callback_url}: {error}"))
    })?;
    let challenge = format!("{}", rand::random_range(1_000_000_000u64..10_000_000_000));
    url.query_pairs_mut()
        .append_pair("hub.mode", "subscribe")
        .append_pair("hub.challenge", &challenge)
        .append_pair("hub.verify_token", verify_token);
    let response = shared
        .http
        .get(url)
        .header(
            reqwest::header::USER_AGENT,
            crate::webhook::WEBHOOK_USER_AGENT,
        )
        .timeout(shared.config.webhook_timeout)
        .send()
        .await
        .map_err(|error| failed(format!("Couldn't connect to server: {error}")))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.as_u16() != 200 {
        return Err(failed(format!(
            "HTTP Status Code = {}; HTTP Message = {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )));
    }
    if body != challenge {
        let received: String = body.chars().take(40).collect();
        return Err(failed(format!(
            "The URL couldn't be validated. Response does not match challenge, expected value=\"{challenge}\", received=\"{received}\""
        )));
    }
    Ok(())
}

fn check_override_url(url: &str) -> Result<(), GraphError> {
    if url.chars().count() > MAX_OVERRIDE_URL {
        return Err(GraphError::invalid_parameter(format!(
            "override_callback_uri must be at most {MAX_OVERRIDE_URL} characters"
        )));
    }
    Ok(())
}

/// `POST /{phone-number-id}` with `webhook_configuration.override_callback_uri`.
pub(super) async fn update_webhook_configuration(
    shared: &Shared,
    phone_number_id: &str,
    body: &[u8],
) -> Result<Json<Value>, GraphError> {
    let params = body_params(body);
    let configuration = match params.get("webhook_configuration") {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text).unwrap_or(Value::Null),
        Some(value) => value.clone(),
        None => {
            return Err(GraphError::from_code(131008)
                .with_details("The parameter webhook_configuration is required."));
        }
    };
    let url = configuration["override_callback_uri"]
        .as_str()
        .ok_or_else(|| {
            GraphError::from_code(131008)
                .with_details("webhook_configuration.override_callback_uri is required.")
        })?;
    if url.is_empty() {
        shared
            .lock()
            .account
            .phone_overrides
            .remove(phone_number_id);
        return Ok(Json(json!({"success": true})));
    }
    check_override_url(url)?;
    let verify_token = configuration["verify_token"].as_str().unwrap_or_default();
    verify_callback(shared, url, verify_token).await?;
    shared
        .lock()
        .account
        .phone_overrides
        .insert(phone_number_id.to_owned(), url.to_owned());
    Ok(Json(json!({"success": true})))
}

fn check_waba(
    shared: &Shared,
    version: &str,
    waba_id: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<(), GraphError> {
    check_version(version)?;
    check_token(shared, headers, query)?;
    if waba_id != shared.config.waba_id {
        return Err(GraphError::unknown_object(waba_id));
    }
    Ok(())
}

pub(super) async fn list_phone_numbers(
    State(shared): State<Arc<Shared>>,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    respond(
        check_waba(&shared, &version, &waba_id, &headers, &query).map(|()| {
            let data: Vec<Value> = shared
                .config
                .numbers
                .iter()
                .map(|number| phone_number_info(&shared, &number.phone_number_id, None).0)
                .collect();
            Json(json!({ "data": data }))
        }),
    )
}

pub(super) async fn get_subscribed_apps(
    State(shared): State<Arc<Shared>>,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    respond(
        check_waba(&shared, &version, &waba_id, &headers, &query).map(|()| {
            let state = shared.lock();
            if !state.account.waba_subscribed {
                return Json(json!({"data": []}));
            }
            let mut app = json!({"whatsapp_business_api_data": {
                "id": shared.config.app_id,
                "name": shared.config.app_name,
                "link": format!("https://www.facebook.com/games/?app_id={}", shared.config.app_id),
            }});
            if let Some(url) = &state.account.waba_override {
                app["override_callback_uri"] = json!(url);
            }
            Json(json!({"data": [app]}))
        }),
    )
}

pub(super) async fn post_subscribed_apps(
    State(shared): State<Arc<Shared>>,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = async {
        check_waba(&shared, &version, &waba_id, &headers, &query)?;
        let mut params = body_params(&body);
        for key in ["override_callback_uri", "verify_token"] {
            if let Some(value) = query.get(key) {
                params.insert(key.to_owned(), json!(value));
            }
        }
        match params.get("override_callback_uri").and_then(Value::as_str) {
            Some(url) if !url.is_empty() => {
                check_override_url(url)?;
                let verify_token = params
                    .get("verify_token")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                verify_callback(&shared, url, verify_token).await?;
                let mut state = shared.lock();
                state.account.waba_subscribed = true;
                state.account.waba_override = Some(url.to_owned());
            }
            // A POST without an override subscribes the app and removes any WABA override.
            _ => {
                let mut state = shared.lock();
                state.account.waba_subscribed = true;
                state.account.waba_override = None;
            }
        }
        Ok(Json(json!({"success": true})))
    }
    .await;
    respond(result)
}

pub(super) async fn delete_subscribed_apps(
    State(shared): State<Arc<Shared>>,
    Path((version, waba_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    respond(
        check_waba(&shared, &version, &waba_id, &headers, &query).map(|()| {
            let mut state = shared.lock();
            state.account.waba_subscribed = false;
            state.account.waba_override = None;
            Json(json!({"success": true}))
        }),
    )
}

/// App subscriptions need the app access token `{app-id}|{app-secret}`.
fn check_app_token(
    shared: &Shared,
    version: &str,
    app_id: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    body: &Map<String, Value>,
) -> Result<(), GraphError> {
    check_version(version)?;
    if app_id != shared.config.app_id {
        return Err(GraphError::unknown_object(app_id));
    }
    let token = presented_token(headers, query).or_else(|| {
        body.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    match token {
        Some(token) if token == app_access_token(shared) => Ok(()),
        Some(token) if token == shared.config.access_token => Err(GraphError::from_code(190)
            .with_message("(#190) Application Secret required for this endpoint")
            .with_http_status(400)),
        _ => Err(GraphError::invalid_token()),
    }
}

pub(super) async fn get_app_subscriptions(
    State(shared): State<Arc<Shared>>,
    Path((version, app_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    respond(
        check_app_token(&shared, &version, &app_id, &headers, &query, &Map::new()).map(|()| {
            let state = shared.lock();
            let account = &state.account;
            let Some(url) = &account.app_callback_url else {
                return Json(json!({"data": []}));
            };
            let fields: Vec<Value> = account
                .app_fields
                .iter()
                .map(|name| json!({"name": name, "version": "v26.0"}))
                .collect();
            Json(json!({"data": [{
                "object": "whatsapp_business_account",
                "callback_url": url,
                "active": true,
                "fields": fields,
            }]}))
        }),
    )
}

pub(super) async fn post_app_subscriptions(
    State(shared): State<Arc<Shared>>,
    Path((version, app_id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = async {
        let mut params = body_params(&body);
        for (key, value) in &query {
            params.insert(key.clone(), json!(value));
        }
        check_app_token(&shared, &version, &app_id, &headers, &query, &params)?;
        let text = |key: &str| params.get(key).and_then(Value::as_str).map(str::to_owned);
        if text("object").as_deref() != Some("whatsapp_business_account") {
            return Err(GraphError::invalid_parameter(
                "object must be whatsapp_business_account",
            ));
        }
        let callback_url = text("callback_url")
            .ok_or_else(|| GraphError::invalid_parameter("callback_url is required"))?;
        let verify_token = text("verify_token")
            .ok_or_else(|| GraphError::invalid_parameter("verify_token is required"))?;
        let fields: Vec<String> = match params.get("fields") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(list)) => list
                .split(',')
                .map(|field| field.trim().to_owned())
                .filter(|field| !field.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        verify_callback(&shared, &callback_url, &verify_token).await?;
        let mut state = shared.lock();
        state.account.app_callback_url = Some(callback_url);
        state.account.app_verify_token = Some(verify_token);
        if !fields.is_empty() {
            state.account.app_fields = fields;
        }
        Ok(Json(json!({"success": true})))
    }
    .await;
    respond(result)
}

/// `GET /debug_token?input_token=…`: inspects a token; the caller must hold a valid one.
pub(super) async fn debug_token(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let caller = presented_token(&headers, &query);
    let app_token = app_access_token(&shared);
    let caller_ok = match caller.as_deref() {
        Some(token) if token == app_token => Ok(()),
        _ => check_token(&shared, &headers, &query),
    };
    if let Err(error) = caller_ok {
        return error.into_response();
    }
    let Some(input) = query.get("input_token") else {
        return GraphError::invalid_parameter("The parameter input_token is required")
            .into_response();
    };
    let expires_at = shared.lock().account.token_expires_at;
    let now = shared.clock.now_unix();
    let data = if *input == shared.config.access_token && expires_at.is_none_or(|at| now < at) {
        json!({
            "app_id": shared.config.app_id,
            "type": "SYSTEM_USER",
            "application": shared.config.app_name,
            "data_access_expires_at": 0,
            "expires_at": expires_at.unwrap_or(0),
            "is_valid": true,
            "issued_at": now - 86_400,
            "scopes": ["whatsapp_business_messaging", "whatsapp_business_management"],
            "granular_scopes": [
                {"scope": "whatsapp_business_messaging", "target_ids": [shared.config.waba_id]},
                {"scope": "whatsapp_business_management", "target_ids": [shared.config.waba_id]},
            ],
            "user_id": "122100987654321012",
        })
    } else if *input == shared.config.access_token {
        json!({
            "app_id": shared.config.app_id,
            "type": "SYSTEM_USER",
            "application": shared.config.app_name,
            "expires_at": expires_at.unwrap_or(0),
            "is_valid": false,
            "error": {"code": 190, "message": "Session has expired", "subcode": 463},
            "scopes": [],
        })
    } else if *input == app_token {
        json!({"app_id": shared.config.app_id, "type": "APP", "application": shared.config.app_name, "is_valid": true, "scopes": []})
    } else {
        json!({"error": {"code": 190, "message": "Invalid OAuth access token."}, "is_valid": false, "scopes": []})
    };
    Json(json!({ "data": data })).into_response()
}
