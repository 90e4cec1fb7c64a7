//! GitHub's page-based pagination: `per_page` (default 30, at most 100), 1-based `page`, and a `Link` header
//! with `prev`, `next`, `last` and `first` in GitHub's order, absolute and keeping the other query parameters.

use axum::Json;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::request_context::RequestContext;

const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;

/// The slice of a list one request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub per_page: usize,
    pub page: usize,
}

impl PageRequest {
    /// Reads `per_page` and `page` as GitHub does: junk or zero falls back to the default, big values are capped.
    pub(crate) fn from_context(ctx: &RequestContext) -> PageRequest {
        let per_page = ctx
            .param("per_page")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .map_or(DEFAULT_PER_PAGE, |n| n.min(MAX_PER_PAGE));
        let page = ctx
            .param("page")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(1);
        PageRequest { per_page, page }
    }
}

/// One page of `items` (already capped by the caller where GitHub caps a list) and its `Link` header value.
pub(crate) fn page_of<T: Clone>(ctx: &RequestContext, items: &[T]) -> (Vec<T>, Option<String>) {
    let request = PageRequest::from_context(ctx);
    let start = (request.page - 1).saturating_mul(request.per_page);
    let page: Vec<T> = items
        .iter()
        .skip(start)
        .take(request.per_page)
        .cloned()
        .collect();
    let last = items.len().div_ceil(request.per_page).max(1);
    (page, link_header(ctx, request, last))
}

fn link_header(ctx: &RequestContext, request: PageRequest, last: usize) -> Option<String> {
    if last <= 1 && request.page <= 1 {
        return None;
    }
    let mut links = Vec::new();
    if request.page > 1 {
        links.push((request.page.saturating_sub(1).min(last), "prev"));
    }
    if request.page < last {
        links.push((request.page + 1, "next"));
        links.push((last, "last"));
    }
    if request.page > 1 {
        links.push((1, "first"));
    }
    let rendered: Vec<String> = links
        .into_iter()
        .map(|(page, rel)| format!("<{}>; rel=\"{rel}\"", page_url(ctx, page)))
        .collect();
    Some(rendered.join(", "))
}

fn page_url(ctx: &RequestContext, page: usize) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut page_written = false;
    for (key, value) in &ctx.query {
        if key == "page" {
            if !page_written {
                query.append_pair("page", &page.to_string());
                page_written = true;
            }
        } else {
            query.append_pair(key, value);
        }
    }
    if !page_written {
        query.append_pair("page", &page.to_string());
    }
    format!("{}{}?{}", ctx.base_url, ctx.path, query.finish())
}

/// A JSON array response for one page, with its `Link` header.
pub(crate) fn paginated(ctx: &RequestContext, items: &[Value]) -> Response {
    let (page, link) = page_of(ctx, items);
    with_link(Json(Value::Array(page)).into_response(), link)
}

/// Adds a `Link` header when there is one.
pub(crate) fn with_link(mut response: Response, link: Option<String>) -> Response {
    if let Some(link) = link.and_then(|l| l.parse().ok()) {
        response.headers_mut().insert(LINK, link);
    }
    response
}
