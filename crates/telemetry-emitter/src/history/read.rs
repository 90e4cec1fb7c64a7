//! Reads for `report --github`: through guardians-core's client (its retries, rate-limit waits,
//! redirects and bound on reads in flight), with `Link` pagination that stops at the window's
//! edge, an optional cache of answers that cannot change, and a progress line on a terminal.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt, TryStreamExt};
use guardians_core::github::pagination::{MAX_PAGES, has_next, last_page, page_path};
use guardians_core::github::{ApiError, GitHub};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Pages of one listing requested together; the client lets fewer be in flight at once, this
/// only says how far past the window's edge a listing may read before noticing it.
const LISTING_CHUNK: u64 = 8;

/// Reads queued at once for per-item requests (jobs, statuses, commits); the client bounds
/// what is actually in flight.
pub(crate) const ITEM_CONCURRENCY: usize = 32;

pub(crate) struct Reader<'a> {
    gh: &'a GitHub,
    cache: Option<PathBuf>,
    progress: Progress,
    cache_hits: AtomicU64,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(gh: &'a GitHub, cache: Option<PathBuf>, show_progress: bool) -> Self {
        Self {
            gh,
            cache,
            progress: Progress::new(show_progress),
            cache_hits: AtomicU64::new(0),
        }
    }

    pub(crate) fn cache_hits(&self) -> u64 {
        self.cache_hits.load(Ordering::Relaxed)
    }

    pub(crate) fn progress(&self) -> &Progress {
        &self.progress
    }

    /// One GET, answered from the cache when an earlier report kept it there. Only answers
    /// that can no longer change are kept (see [`Reader::keep`]), so a cached answer is the
    /// answer. Returns the value and whether it came from the cache.
    pub(crate) async fn get(&self, path: &str) -> Result<(Value, bool), ApiError> {
        if let Some(value) = self.cached(path) {
            self.cache_hits.fetch_add(1, Ordering::Relaxed);
            self.progress.done();
            return Ok((value, true));
        }
        let value: Value = self.gh.get(path).await?;
        self.progress.done();
        Ok((value, false))
    }

    /// Keeps an answer that can no longer change (jobs of a finished attempt, a merged PR's
    /// commits, a comparison of two SHAs, a deployment's statuses once final).
    pub(crate) fn keep(&self, path: &str, value: &Value) {
        let Some(file) = self.cache_file(path) else {
            return;
        };
        // A cache that cannot be written only costs requests next time: never an error.
        let Ok(text) = serde_json::to_vec(value) else {
            return;
        };
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, &file);
        }
    }

    /// A GET of an answer that cannot change once it exists: read through the cache.
    pub(crate) async fn get_final(&self, path: &str) -> Result<Value, ApiError> {
        let (value, cached) = self.get(path).await?;
        if !cached {
            self.keep(path, &value);
        }
        Ok(value)
    }

    fn cache_file(&self, path: &str) -> Option<PathBuf> {
        let dir = self.cache.as_ref()?;
        // The API's host is part of the key: one cache directory may serve GitHub and a GHES.
        let digest = Sha256::digest(format!("{}\n{path}", self.gh.api_url()).as_bytes());
        Some(dir.join(format!("{}.json", hex::encode(digest))))
    }

    fn cached(&self, path: &str) -> Option<Value> {
        let text = std::fs::read(self.cache_file(path)?).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Every item of a listing (`path` without paging parameters; `key` names the array in
    /// an Actions-style envelope, `None` for a bare array), newest first, until a page holds
    /// only items for which `before_window` is true: the listing is ordered newest first, so
    /// nothing later is in the window.
    pub(crate) async fn listing(
        &self,
        path: &str,
        key: Option<&str>,
        before_window: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, ApiError> {
        let first = self.page(path, key, 1).await?;
        let mut items = Vec::new();
        let mut done = all_before(&first.items, &before_window);
        let mut next = first.next;
        let last = first.last;
        items.extend(first.items);
        let mut page = 1;
        while !done && next && page < MAX_PAGES {
            // With `rel="last"` the next pages are known and go out together; without it
            // (not GitHub as documented) one at a time, following `rel="next"`.
            let to = match last {
                Some(last) => last.min(page + LISTING_CHUNK).min(MAX_PAGES),
                None => page + 1,
            };
            if to <= page {
                break;
            }
            self.progress.plan(to - page);
            let pages: Vec<PageOf> = stream::iter(page + 1..=to)
                .map(|p| self.page(path, key, p))
                .buffered(LISTING_CHUNK as usize)
                .try_collect()
                .await?;
            page = to;
            for p in pages {
                done = done || all_before(&p.items, &before_window) || p.items.is_empty();
                next = p.next;
                items.extend(p.items);
            }
        }
        Ok(items)
    }

    async fn page(&self, path: &str, key: Option<&str>, page: u64) -> Result<PageOf, ApiError> {
        let page_path = page_path(path, page);
        let response = self.gh.get_raw(&page_path).await?;
        self.progress.done();
        let body: Value = serde_json::from_str(&response.body).map_err(|e| ApiError::Decode {
            method: "GET".into(),
            path: page_path.clone(),
            detail: e.to_string(),
        })?;
        let items = match key {
            Some(key) => body.get(key).cloned().unwrap_or(Value::Null),
            None => body,
        };
        let Value::Array(items) = items else {
            return Err(ApiError::Decode {
                method: "GET".into(),
                path: page_path,
                detail: format!(
                    "expected a list{}",
                    key.map(|k| format!(" under `{k}`")).unwrap_or_default()
                ),
            });
        };
        let link = response.headers.get("link").and_then(|v| v.to_str().ok());
        Ok(PageOf {
            items,
            next: link.is_some_and(has_next),
            last: link.and_then(last_page),
        })
    }
}

struct PageOf {
    items: Vec<Value>,
    next: bool,
    last: Option<u64>,
}

fn all_before(items: &[Value], before_window: &impl Fn(&Value) -> bool) -> bool {
    !items.is_empty() && items.iter().all(before_window)
}

/// `reading GitHub: 1234/5600 requests` on one line of a terminal's stderr, at most ten times
/// a second; nothing at all in Actions logs or when stderr is a file.
pub(crate) struct Progress {
    enabled: bool,
    planned: AtomicU64,
    done: AtomicU64,
    last_drawn: Mutex<Option<Instant>>,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        Self {
            enabled,
            planned: AtomicU64::new(1),
            done: AtomicU64::new(0),
            last_drawn: Mutex::new(None),
        }
    }

    /// Whether a progress line suits this process: stderr is a terminal and not in Actions.
    pub(crate) fn wanted(in_actions: bool) -> bool {
        !in_actions && std::io::stderr().is_terminal()
    }

    pub(crate) fn plan(&self, requests: u64) {
        self.planned.fetch_add(requests, Ordering::Relaxed);
    }

    fn done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        let Ok(mut last) = self.last_drawn.lock() else {
            return;
        };
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let planned = self.planned.load(Ordering::Relaxed).max(done);
        let _ = write!(
            std::io::stderr(),
            "\rreading GitHub: {done}/{planned} requests\x1b[K"
        );
    }

    pub(crate) fn finish(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}
