//! GitHub's page-numbered pagination, fetched concurrently when the number of pages is known.

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::{ApiError, GitHub};

/// GitHub's maximum page size for list endpoints.
pub const MAX_PER_PAGE: u64 = 100;

/// Requests in flight at once when pages are fetched in parallel: a PR's whole file list
/// (3,000 files, 30 pages) in one round trip, well under GitHub's documented limit of 100
/// concurrent requests; secondary-limit answers are retried with backoff.
pub const PAGE_CONCURRENCY: usize = 30;

/// Pages fetched together, and whether the last of them says more follow.
#[derive(Debug)]
pub struct KnownPages<T> {
    pub chunks: Vec<Vec<T>>,
    /// The last page's `Link` header names a next page.
    pub more: bool,
}

/// Fetch pages `1..=pages` of `path` concurrently, in order, and read the last page's `Link`
/// header so that a list which grew meanwhile is noticed without an extra request.
pub async fn fetch_known_pages<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    pages: u64,
) -> Result<KnownPages<T>, ApiError> {
    let responses: Vec<(Vec<T>, bool)> = stream::iter(1..=pages)
        .map(|page| async move {
            let page_path = page_path(path, page);
            let response = gh.get_raw(&page_path).await?;
            let chunk = decode_page(&page_path, &response.body)?;
            Ok::<_, ApiError>((chunk, link_has_next(&response)))
        })
        .buffered(PAGE_CONCURRENCY)
        .try_collect()
        .await?;
    let more = responses.last().is_some_and(|(_, next)| *next);
    Ok(KnownPages {
        chunks: responses.into_iter().map(|(chunk, _)| chunk).collect(),
        more,
    })
}

/// Fetch pages `1..=pages` of `path` (which has no query yet) concurrently, in order.
pub async fn fetch_pages<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    pages: u64,
) -> Result<Vec<Vec<T>>, ApiError> {
    Ok(fetch_known_pages(gh, path, pages).await?.chunks)
}

fn decode_page<T: DeserializeOwned>(page_path: &str, body: &str) -> Result<Vec<T>, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode {
        method: "GET".into(),
        path: page_path.to_string(),
        detail: e.to_string(),
    })
}

fn link_has_next(response: &super::RawResponse) -> bool {
    response
        .headers
        .get("link")
        .and_then(|v| v.to_str().ok())
        .is_some_and(has_next)
}

/// Fetch every page of `path`, following `Link: rel="next"` one page at a time, starting at
/// `first_page`. Used when the total is unknown.
pub async fn fetch_remaining<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    first_page: u64,
    max_pages: u64,
) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut page = first_page;
    while page < first_page + max_pages {
        let response = gh.get_raw(&page_path(path, page)).await?;
        let chunk: Vec<T> = decode_page(&page_path(path, page), &response.body)?;
        let more = link_has_next(&response) && !chunk.is_empty();
        items.extend(chunk);
        if !more {
            break;
        }
        page += 1;
    }
    Ok(items)
}

/// Fetch all pages of a list whose length is unknown.
pub async fn fetch_all<T: DeserializeOwned>(gh: &GitHub, path: &str) -> Result<Vec<T>, ApiError> {
    fetch_remaining(gh, path, 1, 1000).await
}

pub fn page_path(path: &str, page: u64) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}per_page={MAX_PER_PAGE}&page={page}")
}

/// Number of full pages needed for `count` items.
pub fn pages_for(count: u64) -> u64 {
    count.div_ceil(MAX_PER_PAGE)
}

/// Whether a `Link` header (RFC 8288, as GitHub writes it) names a next page.
pub fn has_next(link: &str) -> bool {
    link.split(',').any(|part| {
        part.split(';')
            .skip(1)
            .any(|param| param.trim().replace(' ', "") == "rel=\"next\"")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header_next_is_found() {
        let link = r#"<https://api.github.com/repositories/1/pulls/2/files?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/pulls/2/files?per_page=100&page=25>; rel="last""#;
        assert!(has_next(link));
        let last = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first""#;
        assert!(!has_next(last));
        assert!(!has_next(""));
    }

    #[test]
    fn page_paths_and_counts() {
        assert_eq!(page_path("/a", 2), "/a?per_page=100&page=2");
        assert_eq!(
            page_path("/a?filter=latest", 1),
            "/a?filter=latest&per_page=100&page=1"
        );
        assert_eq!(pages_for(0), 0);
        assert_eq!(pages_for(100), 1);
        assert_eq!(pages_for(2500), 25);
        assert_eq!(pages_for(2501), 26);
    }
}
