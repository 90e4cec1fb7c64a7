//! The layer every API request passes: latency, fault injection, authentication, GitHub's common headers,
//! and the call log. Control endpoints under `/_fake/` skip all of it.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::app::App;
use crate::call_log::Call;
use crate::request_context::RequestContext;
use crate::state::Permission;

/// Bodies larger than this are refused (seeds of big PRs stay well below).
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;
const RATE_LIMIT: u64 = 5_000;

pub async fn gate(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/_fake/") {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let token = bearer_token(request.headers());
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();

    let latency = app.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => Bytes::new(),
    };
    let body_text = String::from_utf8_lossy(&body).into_owned();

    let mut response = if let Some(fault) = app.take_fault(&method, &path) {
        let mut response = (
            StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            axum::Json(fault.response_body()),
        )
            .into_response();
        common_headers(&app, response.headers_mut());
        for (name, value) in &fault.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    } else {
        let mut response = match authenticate(&app, token.as_deref(), &parts.method) {
            Err(error) => error.into_response(),
            Ok((login, kind)) => {
                let context = RequestContext {
                    login,
                    kind,
                    base_url: format!("http://{host}"),
                    path: path.clone(),
                    query: query
                        .as_deref()
                        .map(|q| {
                            url::form_urlencoded::parse(q.as_bytes())
                                .into_owned()
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                let mut request = Request::from_parts(parts, Body::from(body));
                request.extensions_mut().insert(context);
                next.run(request).await
            }
        };
        common_headers(&app, response.headers_mut());
        response
    };
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );

    app.record(Call {
        method,
        path,
        query,
        status: response.status().as_u16(),
        token,
        body: body_text,
    });
    response
}

/// The token from `Authorization: Bearer <t>` or `Authorization: token <t>`.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
        .then(|| token.trim().to_owned())
}

fn authenticate(
    app: &App,
    token: Option<&str>,
    method: &Method,
) -> Result<(String, crate::state::TokenKind), ApiError> {
    let state = app.state();
    let info = token
        .and_then(|t| state.tokens.get(t))
        .ok_or(ApiError::BadCredentials)?;
    let is_write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if is_write && info.permission == Permission::ReadOnly {
        return Err(ApiError::NotAccessible);
    }
    Ok((info.login.clone(), info.kind))
}

fn common_headers(app: &App, headers: &mut HeaderMap) {
    let number = app.next_request_number();
    let remaining = RATE_LIMIT.saturating_sub(number);
    let reset = jiff::Timestamp::now().as_second() + 3_600;
    let pairs = [
        ("x-ratelimit-limit", RATE_LIMIT.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-used", (RATE_LIMIT - remaining).to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-resource", "core".to_owned()),
        ("x-github-request-id", format!("FAKE:{number:08X}")),
        ("x-github-api-version-selected", "2022-11-28".to_owned()),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}
