//! The `chatsphere-media` URI scheme: the webview's only way to media files. The core
//! resolves each request; this only translates it to and from the webview.

use chatsphere_core::Core;
use chatsphere_core::media::MediaResponse;
use tauri::http::{Request, Response, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub use chatsphere_core::media::protocol::SCHEME;

fn to_http(answer: MediaResponse) -> Response<Vec<u8>> {
    let mut response = Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        response = response.header(*name, value);
    }
    response.body(answer.body).unwrap_or_else(|error| {
        tracing::error!(%error, "a media response could not be built");
        internal_error()
    })
}

fn internal_error() -> Response<Vec<u8>> {
    let mut response = Response::new(b"media unavailable".to_vec());
    *response.status_mut() = tauri::http::StatusCode::SERVICE_UNAVAILABLE;
    response
}

/// Answers one request of the scheme, off the webview's thread.
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let Some(core) = context
        .app_handle()
        .try_state::<Core>()
        .map(|core| core.inner().clone())
    else {
        responder.respond(internal_error());
        return;
    };
    let path = request.uri().path().to_string();
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    tauri::async_runtime::spawn(async move {
        let answer = core.serve_media(&path, range.as_deref()).await;
        responder.respond(to_http(answer));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_answer_keeps_its_status_headers_and_bytes() {
        let response = to_http(MediaResponse {
            status: 206,
            headers: vec![
                ("Content-Type", "audio/ogg".into()),
                ("Content-Range", "bytes 0-2/10".into()),
            ],
            body: b"Ogg".to_vec(),
        });
        assert_eq!(response.status(), 206, "partial content for a range");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "audio/ogg",
            "the webview needs the type to play it"
        );
        assert_eq!(response.headers()[header::CONTENT_RANGE], "bytes 0-2/10");
        assert_eq!(response.body(), b"Ogg", "the bytes pass unchanged");
    }
}
