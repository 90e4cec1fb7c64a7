//! Labels, limited to the ones a guardian owns: it adds its own and removes only its own stale
//! ones, never a label a person or another tool put there.

use serde::Serialize;

use super::{ApiError, GitHub, pagination, path};
use crate::context::RepoName;
use crate::event::Label;

/// A label a guardian may create: name, colour (hex without `#`) and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelSpec {
    pub name: String,
    pub color: String,
    pub description: String,
}

/// What to change on an issue so that, of the guardian's own labels, exactly `desired` remain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LabelChanges {
    pub add: Vec<LabelSpec>,
    pub remove: Vec<String>,
}

impl LabelChanges {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// Compare `current` labels with `desired`, touching only names in `owned`. GitHub compares label
/// names case-insensitively, and so does this.
pub fn reconcile(current: &[String], desired: &[LabelSpec], owned: &[String]) -> LabelChanges {
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let add = desired
        .iter()
        .filter(|d| !current.iter().any(|c| same(c, &d.name)))
        .cloned()
        .collect();
    let remove = current
        .iter()
        .filter(|c| owned.iter().any(|o| same(o, c)))
        .filter(|c| !desired.iter().any(|d| same(&d.name, c)))
        .cloned()
        .collect();
    LabelChanges { add, remove }
}

/// Create `spec` in the repository unless a label of that name exists already.
pub async fn ensure_label(gh: &GitHub, repo: &RepoName, spec: &LabelSpec) -> Result<(), ApiError> {
    match gh
        .post::<_, serde_json::Value>(&format!("/repos/{repo}/labels"), spec)
        .await
    {
        Ok(_) => Ok(()),
        Err(err) if err.is_already_exists() => Ok(()),
        Err(err) => Err(err),
    }
}

/// Add labels to issue/PR `number`; returns the issue's labels afterwards.
pub async fn add_labels(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    names: &[String],
) -> Result<Vec<Label>, ApiError> {
    #[derive(Serialize)]
    struct Body<'a> {
        labels: &'a [String],
    }
    gh.post(
        &format!("/repos/{repo}/issues/{number}/labels"),
        &Body { labels: names },
    )
    .await
}

/// Remove one label; a label already gone (404) is what we wanted.
pub async fn remove_label(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    name: &str,
) -> Result<(), ApiError> {
    let request = format!(
        "/repos/{repo}/issues/{number}/labels/{}",
        path::segment(name)
    );
    match gh.delete(&request).await {
        Err(err) if err.is_not_found() => Ok(()),
        other => other,
    }
}

/// The repository's labels as far as one page shows them: enough to know, for most
/// repositories, which labels exist without asking per label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownLabels {
    names: Vec<String>,
    /// Every label of the repository is in `names`.
    complete: bool,
}

impl KnownLabels {
    /// `Some(true)` known to exist, `Some(false)` known not to, `None` not known.
    pub fn exists(&self, name: &str) -> Option<bool> {
        let lower = name.to_lowercase();
        if self.names.iter().any(|n| n.to_lowercase() == lower) {
            Some(true)
        } else if self.complete {
            Some(false)
        } else {
            None
        }
    }
}

/// The first page (100) of the repository's labels.
pub async fn known_labels(gh: &GitHub, repo: &RepoName) -> Result<KnownLabels, ApiError> {
    let path = format!("/repos/{repo}/labels");
    let known = pagination::fetch_known_pages::<Label>(gh, &path, 1).await?;
    Ok(KnownLabels {
        names: known.chunks.into_iter().flatten().map(|l| l.name).collect(),
        complete: !known.more,
    })
}

/// Apply `changes` in as few round trips as the facts allow, adding before removing: creations
/// of labels that may be missing and additions of labels known to exist go out together;
/// additions of labels just created follow (they must exist first, so that their colour and
/// description are ours rather than GitHub's default); removals go last, so that a failure on
/// the way leaves the old label in place rather than no label at all.
pub async fn apply_changes(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    changes: &LabelChanges,
    known: Option<&KnownLabels>,
) -> Result<(), ApiError> {
    if changes.is_empty() {
        return Ok(());
    }
    let (ready, missing): (Vec<&LabelSpec>, Vec<&LabelSpec>) = changes
        .add
        .iter()
        .partition(|spec| known.and_then(|k| k.exists(&spec.name)) == Some(true));
    let names = |specs: &[&LabelSpec]| specs.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let creations =
        futures::future::try_join_all(missing.iter().map(|spec| ensure_label(gh, repo, spec)));
    let ready_names = names(&ready);
    let early_additions = async {
        if ready_names.is_empty() {
            Ok(())
        } else {
            add_labels(gh, repo, number, &ready_names).await.map(drop)
        }
    };
    futures::try_join!(creations, early_additions)?;
    if !missing.is_empty() {
        add_labels(gh, repo, number, &names(&missing)).await?;
    }
    futures::future::try_join_all(
        changes
            .remove
            .iter()
            .map(|name| remove_label(gh, repo, number, name)),
    )
    .await?;
    Ok(())
}

/// The labels on issue/PR `number` now (GitHub allows at most 100 labels on an issue: one page).
pub async fn issue_labels(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
) -> Result<Vec<String>, ApiError> {
    let labels: Vec<Label> = gh
        .get(&format!(
            "/repos/{repo}/issues/{number}/labels?per_page=100"
        ))
        .await?;
    Ok(labels.into_iter().map(|l| l.name).collect())
}

/// The issue's own labels could not be brought to the desired set, even after a second pass.
#[derive(Debug, thiserror::Error)]
#[error(
    "the labels could not be brought to {}: {} (last error: {source}). Re-run the job to repair them",
    display_names(.desired),
    .left
)]
pub struct LabelsNotConverged {
    /// The guardian's labels the issue should carry.
    pub desired: Vec<String>,
    /// What is wrong with the issue's labels as last read (or as far as the run knows).
    pub left: LabelsLeft,
    #[source]
    pub source: ApiError,
}

/// The state a failed convergence left behind, for the person reading the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelsLeft {
    /// Read back after the failure: these are still missing and these still present.
    Read {
        missing: Vec<String>,
        stale: Vec<String>,
    },
    /// The labels could not even be read back: this is what the run was trying to change.
    Unknown { changes: LabelChanges },
}

impl std::fmt::Display for LabelsLeft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LabelsLeft::Read { missing, stale } => {
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("{} still missing", display_names(missing)));
                }
                if !stale.is_empty() {
                    parts.push(format!("{} still present", display_names(stale)));
                }
                if parts.is_empty() {
                    parts.push("they look right when read back, but a write failed".to_owned());
                }
                f.write_str(&parts.join(", "))
            }
            LabelsLeft::Unknown { changes } => write!(
                f,
                "the labels could not be read back; the run was adding {} and removing {}",
                display_names(
                    &changes
                        .add
                        .iter()
                        .map(|s| s.name.clone())
                        .collect::<Vec<_>>()
                ),
                display_names(&changes.remove)
            ),
        }
    }
}

fn display_names(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why [`converge`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ConvergeError {
    /// A write refused outright (a read-only token): nothing to retry, the caller degrades.
    #[error(transparent)]
    Refused(ApiError),
    #[error(transparent)]
    NotConverged(#[from] LabelsNotConverged),
}

/// Bring the issue's labels from `changes` (planned from `current`) to `desired`, touching only
/// `owned` names. A pass that fails part-way (after the client's own retries) is followed by one
/// more pass from the labels as they are then; if that fails too, the error says what is left.
pub async fn converge(
    gh: &GitHub,
    repo: &RepoName,
    number: u64,
    changes: &LabelChanges,
    desired: &[LabelSpec],
    owned: &[String],
    known: Option<&KnownLabels>,
) -> Result<(), ConvergeError> {
    let first = match apply_changes(gh, repo, number, changes, known).await {
        Ok(()) => return Ok(()),
        Err(err) if err.is_write_refused() => return Err(ConvergeError::Refused(err)),
        Err(err) => err,
    };
    let desired_names: Vec<String> = desired.iter().map(|d| d.name.clone()).collect();
    let not_converged = |left, source| {
        ConvergeError::NotConverged(LabelsNotConverged {
            desired: desired_names.clone(),
            left,
            source,
        })
    };
    let current = match issue_labels(gh, repo, number).await {
        Ok(current) => current,
        Err(_) => {
            return Err(not_converged(
                LabelsLeft::Unknown {
                    changes: changes.clone(),
                },
                first,
            ));
        }
    };
    let again = reconcile(&current, desired, owned);
    // The first pass may have created labels it then failed to add: ask for creation again
    // (an existing label is success) rather than trust a listing read before the failure.
    let last = match apply_changes(gh, repo, number, &again, None).await {
        Ok(()) => return Ok(()),
        Err(err) if err.is_write_refused() => return Err(ConvergeError::Refused(err)),
        Err(err) => err,
    };
    let left = match issue_labels(gh, repo, number).await {
        Ok(now) => {
            let still = reconcile(&now, desired, owned);
            LabelsLeft::Read {
                missing: still.add.into_iter().map(|s| s.name).collect(),
                stale: still.remove,
            }
        }
        Err(_) => LabelsLeft::Unknown { changes: again },
    };
    Err(not_converged(left, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> LabelSpec {
        LabelSpec {
            name: name.into(),
            color: "00ff00".into(),
            description: String::new(),
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn replaces_only_own_stale_labels() {
        let owned = names(&["size/XS", "size/S", "size/M"]);
        let current = names(&["bug", "size/S", "size/xs"]);
        let changes = reconcile(&current, &[spec("size/M")], &owned);
        assert_eq!(changes.add, vec![spec("size/M")]);
        assert_eq!(changes.remove, names(&["size/S", "size/xs"]));
    }

    #[test]
    fn nothing_to_do_when_already_right() {
        let owned = names(&["size/S", "size/M"]);
        let changes = reconcile(&names(&["Size/M", "bug"]), &[spec("size/M")], &owned);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn foreign_labels_are_never_removed() {
        let owned = names(&["size/S"]);
        let changes = reconcile(&names(&["size/huge", "wip"]), &[], &owned);
        assert!(changes.remove.is_empty());
    }
}
