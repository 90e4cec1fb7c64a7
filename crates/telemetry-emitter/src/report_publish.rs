//! Where a scheduled report goes besides the step summary: one comment it keeps updated on an
//! issue (found by our marker and our identity, as every guardian's sticky comment is), and a
//! Slack incoming webhook.

use std::time::Duration;

use guardians_core::context::RepoName;
use guardians_core::github::{ApiError, CommentOutcome, GitHub, Identity, StickyComment};
use serde_json::json;

/// The sticky comment's key: its hidden marker is `<!-- guardians:telemetry-emitter-report -->`.
pub(crate) const REPORT_KEY: &str = "telemetry-emitter-report";

/// Slack refuses messages over 40,000 characters; the report is cut well before, with a note.
const MAX_SLACK_CHARS: usize = 35_000;

/// Makes the report the body of our one comment on issue `number`: updated in place, created
/// once, duplicates from racing runs removed.
pub(crate) async fn publish_to_issue(
    gh: &GitHub,
    token: &str,
    repo: &RepoName,
    number: u64,
    markdown: &str,
) -> Result<CommentOutcome, ApiError> {
    let identity = Identity::resolve(gh, token, None).await?;
    let sticky = StickyComment::new(gh, repo, number, REPORT_KEY, identity);
    let existing = sticky.find(None).await?;
    sticky.upsert(markdown, &existing).await
}

/// The message Slack receives: the table in a code block (Slack's mrkdwn draws neither
/// Markdown tables nor Mermaid), under a title naming the repository and window.
pub(crate) fn slack_message(title: &str, table: &str) -> serde_json::Value {
    let mut body: String = table.chars().take(MAX_SLACK_CHARS).collect();
    if body.len() < table.len() {
        body.push_str("\n... (cut; the whole report is in the workflow's summary)");
    }
    // A code block ends at the next ```: the report never writes one, but be sure.
    let body = body.replace("```", "'''");
    json!({ "text": format!("*{title}*\n```\n{body}\n```") })
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SlackError {
    #[error(
        "the Slack webhook URL is not an http(s) URL; pass the incoming webhook's URL (https://hooks.slack.com/services/...)"
    )]
    Url,
    #[error("Slack refused the report ({status}: {body}); check the `slack-webhook-url` secret")]
    Refused { status: u16, body: String },
    #[error("Slack could not be reached after 3 attempts: {0}")]
    Unreachable(String),
}

/// POSTs `message` to the webhook: 5xx, 429 and network errors are tried three times with a
/// short backoff; any other refusal stops at once. The URL is a secret and is never printed.
pub(crate) async fn post_to_slack(
    url: &str,
    message: &serde_json::Value,
) -> Result<(), SlackError> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| SlackError::Url)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(SlackError::Url);
    }
    crate::sink::posthog::install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| SlackError::Unreachable(e.to_string()))?;
    let mut last = String::new();
    for attempt in 0..3u32 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
        }
        match client.post(parsed.clone()).json(message).send().await {
            Ok(response) if response.status().is_success() => return Ok(()),
            Ok(response) => {
                let status = response.status().as_u16();
                let body: String = response
                    .text()
                    .await
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                if status != 429 && status < 500 {
                    return Err(SlackError::Refused { status, body });
                }
                last = format!("{status}: {body}");
            }
            // reqwest's error names the URL: keep only what went wrong.
            Err(e) => last = e.without_url().to_string(),
        }
    }
    Err(SlackError::Unreachable(last))
}
