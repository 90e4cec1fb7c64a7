//! Optional Slack messages: one per outcome (a batch merged, a PR that left the queue, a PR
//! stuck on a check that never reports), posted to an incoming webhook after the writes. Only
//! outcomes this run made are posted, so a sweep every five minutes does not repeat them.

use std::time::Duration;

use crate::plan::{QueuePlan, QueueStatus, Write};

/// The messages for this plan's outcomes. PR titles are not included (untrusted text).
pub(super) fn messages(plan: &QueuePlan, repo: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut by_sha: Vec<(&str, &str, Vec<u64>)> = Vec::new();
    for l in &plan.landed {
        match by_sha.iter_mut().find(|(sha, _, _)| *sha == l.sha) {
            Some((_, _, prs)) => prs.push(l.pr),
            None => by_sha.push((&l.sha, &l.base, vec![l.pr])),
        }
    }
    let list = |prs: &[u64]| {
        prs.iter()
            .map(|n| format!("#{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (sha, base, prs) in by_sha {
        out.push(format!(
            ":white_check_mark: {repo}: merged {} into `{base}` as `{}` (the commit that passed CI)",
            list(&prs),
            sha.get(..7).unwrap_or(sha)
        ));
    }
    if !plan.ejected.is_empty() {
        out.push(format!(
            ":x: {repo}: {} left the integration queue (see the comment on each PR)",
            list(&plan.ejected)
        ));
    }
    for w in &plan.writes {
        if let Write::SetStatus {
            pr,
            status: QueueStatus::Stuck { check, branch },
            ..
        } = w
        {
            out.push(format!(
                ":hourglass: {repo}: #{pr} is stuck: the required check `{check}` never reported \
                 on `{branch}`"
            ));
        }
    }
    out
}

/// Posts each message; the first failure is returned (the caller warns: Slack being down must
/// not fail the queue).
pub(super) async fn post(url: &str, messages: &[String]) -> Result<(), String> {
    // reqwest is built without a TLS provider; install ring's once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("could not start an HTTP client: {e}"))?;
    for text in messages {
        let answer = client
            .post(url)
            .json(&serde_json::json!({ "text": text }))
            .send()
            .await
            .map_err(|e| format!("Slack webhook unreachable: {}", e.without_url()))?;
        if !answer.status().is_success() {
            return Err(format!("Slack webhook answered HTTP {}", answer.status()));
        }
    }
    Ok(())
}
