//! Reading a file of the repository at a ref (the base branch, for config and attributes).

use base64::Engine;

use super::models::ContentFile;
use super::{ApiError, GitHub, path};
use crate::context::RepoName;

/// The text of `file` at `git_ref`, or `None` when the file does not exist there.
pub async fn file_text(
    gh: &GitHub,
    repo: &RepoName,
    file: &str,
    git_ref: &str,
) -> Result<Option<String>, ApiError> {
    let request_path = format!(
        "/repos/{repo}/contents/{}?ref={}",
        path::file_path(file),
        path::query_value(git_ref)
    );
    let Some(value) = gh.get_optional::<serde_json::Value>(&request_path).await? else {
        return Ok(None);
    };
    let decode_error = |detail: String| ApiError::Decode {
        method: "GET".into(),
        path: request_path.clone(),
        detail,
    };
    if value.is_array() {
        return Err(decode_error(format!("`{file}` is a directory, not a file")));
    }
    let content: ContentFile =
        serde_json::from_value(value).map_err(|e| decode_error(e.to_string()))?;
    if content.kind != "file" {
        return Err(decode_error(format!(
            "`{file}` is a {}, not a file",
            content.kind
        )));
    }
    match (content.encoding.as_deref(), content.content) {
        (Some("base64"), Some(encoded)) => {
            // GitHub wraps the base64 text at 60 columns.
            let compact: String = encoded
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| decode_error(format!("invalid base64 content: {e}")))?;
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| decode_error(format!("`{file}` is not UTF-8 text")))
        }
        _ => Err(decode_error(format!(
            "`{file}` is too large for the contents API ({} bytes)",
            content.size
        ))),
    }
}
