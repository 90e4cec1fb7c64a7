//! Deciding the size, the label changes, the comment and the verdict. Pure: no I/O.

use guardians_core::change_size::{IgnoreRules, Measurement, measure};
use guardians_core::config::size_labeler::SizeBucket;
use guardians_core::github::labels::{self, LabelChanges, LabelSpec};
use serde::Serialize;

use crate::comment;
use crate::facts::Facts;
use crate::settings::Settings;

/// What to do about the sticky size comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "body", rename_all = "kebab-case")]
pub(crate) enum CommentPlan {
    /// No comment is configured, or none exists and the PR is below the threshold.
    Nothing,
    /// Create or update the comment with this body.
    Upsert(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Plan {
    pub number: u64,
    pub head_sha: String,
    pub bucket: SizeBucket,
    pub measurement: Measurement,
    pub current_labels: Vec<String>,
    pub labels: LabelChanges,
    /// The one size label the PR should carry, and every label this guardian owns: what a
    /// second pass reconciles against when the first leaves the labels half-changed.
    #[serde(skip)]
    pub desired_label: LabelSpec,
    #[serde(skip)]
    pub owned_labels: Vec<String>,
    pub comment: CommentPlan,
    /// `fail-on-size` reached: the step fails after labelling.
    pub fail: bool,
}

pub(crate) fn plan(facts: &Facts, settings: &Settings, rules: &IgnoreRules) -> Plan {
    let measurement = measure(&facts.files, facts.totals, rules);
    let index = settings.size.bucket_for(measurement.lines);
    let bucket = settings.size.buckets[index].clone();
    let desired = LabelSpec {
        name: bucket.label.clone(),
        color: bucket.color.trim_start_matches('#').to_lowercase(),
        description: bucket.description.clone(),
    };
    let owned_labels = settings.owned_labels();
    let labels = labels::reconcile(
        &facts.current_labels,
        std::slice::from_ref(&desired),
        &owned_labels,
    );
    let reached = |threshold: Option<usize>| threshold.is_some_and(|t| index >= t);
    let comment = match (settings.comment_on, &facts.sticky_comments) {
        (Some(threshold), Some(existing)) if reached(Some(threshold)) || !existing.is_empty() => {
            CommentPlan::Upsert(comment::render(
                &bucket,
                &measurement,
                &facts.head_sha,
                reached(Some(threshold)),
                &settings.size.buckets[threshold],
            ))
        }
        _ => CommentPlan::Nothing,
    };
    Plan {
        number: facts.number,
        head_sha: facts.head_sha.clone(),
        bucket,
        measurement,
        current_labels: facts.current_labels.clone(),
        labels,
        desired_label: desired,
        owned_labels,
        comment,
        fail: reached(settings.fail_on_size),
    }
}

#[cfg(test)]
mod tests {
    use guardians_core::change_size::{FileListing, GeneratedFiles, Totals};
    use guardians_core::config::size_labeler::SizeLabelerConfig;
    use guardians_core::github::models::PullFile;

    use super::*;
    use crate::report;
    use crate::settings::InputOverrides;

    fn file(name: &str, additions: u64, deletions: u64) -> PullFile {
        PullFile {
            filename: name.into(),
            status: "modified".into(),
            additions,
            deletions,
            changes: additions + deletions,
            previous_filename: None,
        }
    }

    fn facts(files: Vec<PullFile>, labels: &[&str]) -> Facts {
        Facts {
            number: 12,
            head_sha: "0123456789abcdef".into(),
            totals: Totals {
                additions: files.iter().map(|f| f.additions).sum(),
                deletions: files.iter().map(|f| f.deletions).sum(),
                changed_files: files.len() as u64,
            },
            files: FileListing::Complete(files),
            current_labels: labels.iter().map(|s| s.to_string()).collect(),
            sticky_comments: None,
            known_labels: None,
        }
    }

    fn default_plan(facts: &Facts, attributes: &str) -> Plan {
        let settings =
            Settings::resolve(&SizeLabelerConfig::default(), &InputOverrides::default()).unwrap();
        let rules = IgnoreRules::new(true, Some(GeneratedFiles::parse(attributes)), &[]).unwrap();
        plan(facts, &settings, &rules)
    }

    #[test]
    fn report_of_a_pr_with_ignored_files() {
        let facts = facts(
            vec![
                file("src/server.rs", 180, 40),
                file("src/routes/users.rs", 60, 12),
                file("Cargo.lock", 420, 380),
                file("gen/api|client.ts", 1500, 0),
                file("assets/logo.png", 0, 0),
            ],
            &["size/XS", "needs-review"],
        );
        let plan = default_plan(&facts, "gen/** linguist-generated\n");
        insta::assert_snapshot!(report::markdown(&plan, true), @r"
        ## size-labeler: `size/M` (292 lines)

        | | files | lines |
        |---|---:|---:|
        | counted | 3 | 292 (+240 −52) |
        | not counted | 2 | 2,300 |

        Counted from the pull request's file list.

        Labels: would add `size/M` and remove `size/XS`.

        <details><summary>Files not counted (2)</summary>

        | file | why | lines |
        |---|---|---:|
        | `Cargo.lock` | lockfile | 800 |
        | `gen/api\|client.ts` | linguist-generated | 1,500 |

        </details>
        ");
        assert!(!plan.fail);
        assert_eq!(plan.comment, CommentPlan::Nothing);
    }

    #[test]
    fn an_unchanged_pr_plans_no_label_changes() {
        let plan = default_plan(&facts(vec![file("a.rs", 10, 0)], &["size/XS"]), "");
        assert!(plan.labels.is_empty());
        assert!(report::markdown(&plan, false).contains("Labels: already right."));
    }

    #[test]
    fn outputs_name_size_and_counts() {
        let plan = default_plan(
            &facts(vec![file("a.rs", 600, 10), file("go.sum", 50, 0)], &[]),
            "",
        );
        let outputs: Vec<String> = report::outputs(&plan)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            outputs,
            [
                "size=L",
                "label=size/L",
                "lines=610",
                "additions=600",
                "deletions=10",
                "files-counted=1",
                "files-ignored=1"
            ]
        );
    }
}
