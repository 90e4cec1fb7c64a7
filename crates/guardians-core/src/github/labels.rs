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

/// Add labels to issue/PR `number`; returns the labels afterwards.
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

/// Apply `changes` in as few round trips as the facts allow: removals, creations of labels
/// that may be missing, and additions of labels known to exist go out together; additions of
/// labels just created follow (they must exist first, so that their colour and description
/// are ours rather than GitHub's default).
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
    let removals = futures::future::try_join_all(
        changes
            .remove
            .iter()
            .map(|name| remove_label(gh, repo, number, name)),
    );
    let ready_names = names(&ready);
    let early_additions = async {
        if ready_names.is_empty() {
            Ok(())
        } else {
            add_labels(gh, repo, number, &ready_names).await.map(drop)
        }
    };
    futures::try_join!(creations, removals, early_additions)?;
    if !missing.is_empty() {
        add_labels(gh, repo, number, &names(&missing)).await?;
    }
    Ok(())
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
