//! GitHub's page-numbered pagination, fetched concurrently when the number of pages is known.

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::{ApiError, GitHub};

/// GitHub's maximum page size for list endpoints.
pub const MAX_PER_PAGE: u64 = 100;

/// Page requests queued at once when pages are fetched in parallel. The client lets at most
/// [`super::client::MAX_CONCURRENT_READS`] of them be in flight; this only bounds the queue.
pub const PAGE_CONCURRENCY: usize = 30;

/// The most pages fetched on the word of a number in the event payload alone. Payload numbers
/// (`comments`, `changed_files`) come from whoever sent the event: a payload claiming 99,999,999
/// comments must not become a million requests. Beyond this, GitHub's own `Link` header (its
/// `rel="last"`) says how many pages exist.
pub const MAX_PREFETCH_PAGES: u64 = 10;

/// The most pages any one listing is followed to (100,000 items), whatever anyone says.
pub const MAX_PAGES: u64 = 1000;

/// Pages fetched together, and whether the last of them says more follow.
#[derive(Debug)]
pub struct KnownPages<T> {
    pub chunks: Vec<Vec<T>>,
    /// The last page's `Link` header names a next page.
    pub more: bool,
}

/// Fetch pages `1..=pages` of `path` concurrently, in order, and read the last page's `Link`
/// header so that a list which grew meanwhile is noticed without an extra request.
///
/// `pages` is a hint (usually from a payload's count) and is trusted only so far: the first
/// [`MAX_PREFETCH_PAGES`] go out at once; further pages only when GitHub's `Link` header on the
/// last of those says they exist, and never past its `rel="last"` page or [`MAX_PAGES`].
pub async fn fetch_known_pages<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    pages: u64,
) -> Result<KnownPages<T>, ApiError> {
    let pages = pages.min(MAX_PAGES);
    let first = pages.min(MAX_PREFETCH_PAGES);
    let mut fetched = fetch_range(gh, path, 1, first).await?;
    if pages > first {
        if let Some(last) = fetched.last().and_then(|page| page.last_page) {
            // GitHub says how many pages there are: fetch the rest the hint asked for at once.
            let end = pages.min(last);
            if end > first {
                fetched.extend(fetch_range(gh, path, first + 1, end).await?);
            }
        } else {
            // No `last` (not GitHub as documented): follow `next` one page at a time.
            let mut page = first;
            while page < pages
                && fetched
                    .last()
                    .is_some_and(|p| p.next && !p.items.is_empty())
            {
                page += 1;
                fetched.extend(fetch_range(gh, path, page, page).await?);
            }
        }
    }
    let more = fetched.last().is_some_and(|page| page.next);
    Ok(KnownPages {
        chunks: fetched.into_iter().map(|page| page.items).collect(),
        more,
    })
}

/// One page and what its `Link` header says.
struct Page<T> {
    items: Vec<T>,
    next: bool,
    last_page: Option<u64>,
}

async fn fetch_range<T: DeserializeOwned>(
    gh: &GitHub,
    path: &str,
    from: u64,
    to: u64,
) -> Result<Vec<Page<T>>, ApiError> {
    stream::iter(from..=to)
        .map(|page| async move {
            let page_path = page_path(path, page);
            let response = gh.get_raw(&page_path).await?;
            let items = decode_page(&page_path, &response.body)?;
            let link = link_header(&response);
            Ok::<_, ApiError>(Page {
                items,
                next: link.is_some_and(has_next),
                last_page: link.and_then(last_page),
            })
        })
        .buffered(PAGE_CONCURRENCY)
        .try_collect()
        .await
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

fn link_header(response: &super::RawResponse) -> Option<&str> {
    response.headers.get("link").and_then(|v| v.to_str().ok())
}

fn link_has_next(response: &super::RawResponse) -> bool {
    link_header(response).is_some_and(has_next)
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
    let max_pages = max_pages.min(MAX_PAGES);
    while page < first_page.saturating_add(max_pages) {
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
    fetch_remaining(gh, path, 1, MAX_PAGES).await
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

/// The page number of a `Link` header's `rel="last"` target.
pub fn last_page(link: &str) -> Option<u64> {
    link.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let target = pieces
            .next()?
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        pieces
            .any(|param| param.trim().replace(' ', "") == "rel=\"last\"")
            .then(|| url::Url::parse(target).ok())
            .flatten()?
            .query_pairs()
            .find(|(key, _)| key == "page")
            .and_then(|(_, value)| value.parse().ok())
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
        assert_eq!(last_page(link), Some(25));
        assert_eq!(last_page(last), None);
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
