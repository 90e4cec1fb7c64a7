//! Queue order: a priority label first (highest listed first), then the time the PR took its
//! place (labelled, or pushed to since), then the PR number. Priority goes first because a
//! maintainer who marks a hotfix `queue:high` wants it ahead of the line, not merely ahead of
//! PRs labelled in the same second.

use crate::state::{PullRequest, QueueConfig};

pub(super) fn priority_rank(cfg: &QueueConfig, pr: &PullRequest) -> usize {
    cfg.priority_labels
        .iter()
        .position(|l| pr.has_label(l))
        .unwrap_or(cfg.priority_labels.len())
}

pub fn in_queue_order<'a>(
    cfg: &QueueConfig,
    mut prs: Vec<&'a PullRequest>,
) -> Vec<&'a PullRequest> {
    prs.sort_by_key(|p| (priority_rank(cfg, p), p.enqueued_at(), p.number));
    prs
}
