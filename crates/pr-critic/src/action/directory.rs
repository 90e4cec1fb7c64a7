//! Listing a directory of the repository at a ref. Core's `contents::file_text` reads files only;
//! a directory GET on the same endpoint answers a JSON array of entries, which is all the template
//! lookup needs to compare names without case.

use guardians_core::context::RepoName;
use guardians_core::github::{ApiError, GitHub, path};

/// The paths (`dir/name`, as stored) of the files directly in `dir` at `git_ref`; empty when the
/// directory does not exist or is not a directory. `dir` is `""` for the repository's root.
pub(super) async fn list_files(
    gh: &GitHub,
    repo: &RepoName,
    dir: &str,
    git_ref: &str,
) -> Result<Vec<String>, ApiError> {
    Ok(list_entries(gh, repo, dir, git_ref)
        .await?
        .into_iter()
        .filter(|(_, is_dir)| !is_dir)
        .map(|(path, _)| path)
        .collect())
}

/// The paths directly in `dir` at `git_ref`, each with whether it is a directory; empty when
/// `dir` does not exist or is a file.
pub(super) async fn list_entries(
    gh: &GitHub,
    repo: &RepoName,
    dir: &str,
    git_ref: &str,
) -> Result<Vec<(String, bool)>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Entry {
        path: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let location = if dir.is_empty() {
        String::new()
    } else {
        format!("/{}", path::file_path(dir))
    };
    let request_path = format!(
        "/repos/{repo}/contents{location}?ref={}",
        path::query_value(git_ref)
    );
    let Some(value) = gh.get_optional::<serde_json::Value>(&request_path).await? else {
        return Ok(Vec::new());
    };
    // A file where a directory was expected: nothing is listed in it.
    if !value.is_array() {
        return Ok(Vec::new());
    }
    let entries: Vec<Entry> = serde_json::from_value(value).map_err(|e| ApiError::Decode {
        method: "GET".into(),
        path: request_path.clone(),
        detail: e.to_string(),
    })?;
    Ok(entries
        .into_iter()
        .filter(|entry| entry.kind == "file" || entry.kind == "dir")
        .map(|entry| {
            let is_dir = entry.kind == "dir";
            (entry.path, is_dir)
        })
        .collect())
}
