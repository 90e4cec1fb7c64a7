//! GitHub's page-numbered pagination, fetched concurrently when the number of pages is known.

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::{ApiError, GitHub};

/// GitHub's maximum page size for list endpoints.
pub const MAX_PER_PAGE: u64 = 100;

/// Requests in flight at once when pages are fetched in parallel: enough to hide latency,
/// few enough to stay clear of GitHub's secondary rate limits on concurrency.
pub const PAGE_CONCURRENCY: usize = 8;

/// Fetch pages `1..=pages` of `path` (which has no query yet) concurrently, in order.
pub async fn fetch_pages<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    pages: u64,
) -> Result<Vec<Vec<T>>, ApiError> {
    stream::iter(1..=pages)
        .map(|page| async move { gh.get::<Vec<T>>(&page_path(path, page)).await })
        .buffered(PAGE_CONCURRENCY)
        .try_collect()
        .await
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
        let chunk: Vec<T> = serde_json::from_str(&response.body).map_err(|e| ApiError::Decode {
            method: "GET".into(),
            path: page_path(path, page),
            detail: e.to_string(),
        })?;
        let link = response
            .headers
            .get("link")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let more = has_next(link) && !chunk.is_empty();
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
