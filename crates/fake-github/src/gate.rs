//! The layer every API request passes: the API-version check, latency, secondary rate limits, fault
//! injection, authentication, redirects of renamed repositories, GitHub's common headers, and the
//! call log. Control endpoints under `/_fake/` skip all of it.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, LOCATION};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::app::App;
use crate::call_log::Call;
use crate::fault::SECONDARY_RATE_LIMIT_MESSAGE;
use crate::request_context::RequestContext;
use crate::state::Permission;

/// Bodies larger than this are refused (seeds of big PRs stay well below).
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;
const RATE_LIMIT: u64 = 5_000;

/// The REST API versions GitHub accepts in `X-GitHub-Api-Version` (its 400 lists them).
pub const SUPPORTED_API_VERSIONS: [&str; 2] = ["2022-11-28", "2026-03-10"];

pub(crate) async fn gate(State(app): State<App>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/_fake/") {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let token = bearer_token(request.headers());
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let is_write = is_content_write(request.method(), &path);
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();

    // Counted from arrival to answer, latency included, as GitHub counts concurrent requests.
    let in_flight = InFlight::enter(&app, is_write);
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

    let mut response = if let Some(refusal) = api_version_refusal(request_headers(&parts.headers)) {
        refusal
    } else if in_flight.is_none() {
        secondary_limit(&app)
    } else if let Some(fault) = app.take_fault(&method, &path) {
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
        let authenticated = authenticate(&app, token.as_deref(), is_write);
        let moved = match &authenticated {
            Ok(_) => redirect(&app, &parts, &host, &path, query.as_deref()),
            Err(_) => None,
        };
        let over_budget = authenticated.is_ok()
            && moved.is_none()
            && is_write
            && app.limits().spend_write(std::time::Instant::now()).is_err();
        let mut response = match authenticated {
            Err(error) => error.into_response(),
            Ok(_) if moved.is_some() => moved.unwrap_or_else(|| ApiError::NotFound.into_response()),
            Ok(_) if over_budget => secondary_limit(&app),
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
    drop(in_flight);
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
        headers,
    });
    response
}

/// A request counted as in flight until it is answered or dropped (a client that hangs up).
struct InFlight {
    app: App,
    is_write: bool,
}

impl InFlight {
    /// `None` when the fake's concurrency limit is reached.
    fn enter(app: &App, is_write: bool) -> Option<InFlight> {
        app.limits().enter(is_write).ok()?;
        Some(InFlight {
            app: app.clone(),
            is_write,
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.app.limits().leave(self.is_write);
    }
}

fn request_headers(headers: &HeaderMap) -> Vec<&[u8]> {
    headers
        .get_all("x-github-api-version")
        .iter()
        .map(HeaderValue::as_bytes)
        .collect()
}

/// GitHub answers an unknown or repeated `X-GitHub-Api-Version` with 400 and this message
/// (repeated headers reach it joined with ", ", which is no version). No header means the
/// default version, which is fine.
fn api_version_refusal(values: Vec<&[u8]>) -> Option<Response> {
    if values.is_empty() {
        return None;
    }
    let given = values
        .iter()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() == 1 && SUPPORTED_API_VERSIONS.contains(&given.trim()) {
        return None;
    }
    let supported = SUPPORTED_API_VERSIONS
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!(
        "The version you specified in the \"X-GitHub-Api-Version\" request header, \"{given}\", is not a supported version. The following versions are currently supported: {supported} (most recent)."
    );
    Some(
        (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({
                "message": message,
                "documentation_url": "https://docs.github.com/rest/about-the-rest-api/api-versions",
                "status": "400",
            })),
        )
            .into_response(),
    )
}

/// Requests that GitHub counts as content-creating: every write except GraphQL (our only GraphQL
/// use is a query).
fn is_content_write(method: &Method, path: &str) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) && path != "/graphql"
}

/// GitHub's secondary rate limit answer, as configured: 403 or 429, with or without
/// `retry-after`.
fn secondary_limit(app: &App) -> Response {
    let (status, retry_after) = {
        let limits = app.limits();
        (
            limits.limits.status.unwrap_or(403),
            limits.limits.retry_after,
        )
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = (
        status,
        axum::Json(serde_json::json!({
            "message": SECONDARY_RATE_LIMIT_MESSAGE,
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            "status": status.as_u16().to_string(),
        })),
    )
        .into_response();
    common_headers(app, response.headers_mut());
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert("retry-after", value);
    }
    response
}

/// A renamed or transferred repository: 301 for GET and HEAD, 307 for every other method (so that
/// clients repeat the method and body), `Location` at the new name, as GitHub answers.
fn redirect(
    app: &App,
    parts: &axum::http::request::Parts,
    host: &str,
    path: &str,
    query: Option<&str>,
) -> Option<Response> {
    let rest = path.strip_prefix("/repos/")?;
    let mut segments = rest.splitn(3, '/');
    let owner = segments.next()?;
    let name = segments.next()?;
    let tail = segments.next().map(|t| format!("/{t}")).unwrap_or_default();
    let new = app.renamed_to(owner, name)?;
    let mut location = format!("http://{host}/repos/{new}{tail}");
    if let Some(query) = query {
        location = format!("{location}?{query}");
    }
    let status = if matches!(parts.method, Method::GET | Method::HEAD) {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::TEMPORARY_REDIRECT
    };
    let message = if status == StatusCode::MOVED_PERMANENTLY {
        "Moved Permanently"
    } else {
        "Temporary Redirect"
    };
    let mut response = (
        status,
        axum::Json(serde_json::json!({
            "message": message,
            "url": location,
            "documentation_url": "https://docs.github.com/v3/#http-redirects",
        })),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    Some(response)
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
    is_write: bool,
) -> Result<(String, crate::state::TokenKind), ApiError> {
    let state = app.state();
    let info = token
        .and_then(|t| state.tokens.get(t))
        .ok_or(ApiError::BadCredentials)?;
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
