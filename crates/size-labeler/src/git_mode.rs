//! Sizing a range of a local git checkout, with no API at all.

use std::path::Path;
use std::process::Command;

use guardians_core::change_size::{FileListing, Totals};
use guardians_core::github::models::PullFile;

use crate::facts::Facts;

#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    #[error("--git takes BASE...HEAD (or BASE..HEAD), got `{0}`")]
    BadRange(String),
    #[error("could not run git in {dir}: {detail}. Is git installed and is {dir} a checkout?")]
    Spawn { dir: String, detail: String },
    #[error(
        "{dir} is not a git checkout; run size-labeler --git inside one, or point --repo-dir at it"
    )]
    NotACheckout { dir: String },
    #[error("git {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
}

/// What a local range gives: the facts and the base's config and attributes.
pub(crate) struct LocalFacts {
    pub facts: Facts,
    pub config_text: Option<String>,
    pub gitattributes: Option<String>,
    pub base: String,
}

pub(crate) fn gather(repo_dir: &Path, range: &str) -> Result<LocalFacts, GitError> {
    let (base, head) = range
        .split_once("...")
        .or_else(|| range.split_once(".."))
        .filter(|(b, h)| {
            !b.is_empty() && !h.is_empty() && !b.starts_with('-') && !h.starts_with('-')
        })
        .ok_or_else(|| GitError::BadRange(range.to_string()))?;
    // Outside a checkout `git diff` falls back to comparing two paths and prints its whole
    // usage text; ask first, and say it in one line.
    if git(repo_dir, &["rev-parse", "--git-dir"]).is_err() {
        return Err(GitError::NotACheckout {
            dir: repo_dir.display().to_string(),
        });
    }
    let numstat = git(
        repo_dir,
        &["diff", "--numstat", "-z", "-M", "--no-color", range, "--"],
    )?;
    let files = parse_numstat_z(&numstat);
    let totals = Totals {
        additions: files.iter().map(|f| f.additions).sum(),
        deletions: files.iter().map(|f| f.deletions).sum(),
        changed_files: files.len() as u64,
    };
    let head_sha = String::from_utf8_lossy(&git(
        repo_dir,
        &["rev-parse", "--verify", &format!("{head}^{{commit}}")],
    )?)
    .trim()
    .to_string();
    let show = |path: &str| {
        git(repo_dir, &["show", &format!("{base}:{path}")])
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    Ok(LocalFacts {
        facts: Facts {
            number: 0,
            head_sha,
            totals,
            files: FileListing::Complete(files),
            current_labels: Vec::new(),
            sticky_comments: None,
            known_labels: None,
        },
        config_text: show(".github/guardians.yml"),
        gitattributes: show(".gitattributes"),
        base: base.to_string(),
    })
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| GitError::Spawn {
            dir: dir.display().to_string(),
            detail: e.to_string(),
        })?;
    if !output.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: git_message(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    Ok(output.stdout)
}

/// What git said, without the usage text some failures append.
fn git_message(stderr: &str) -> String {
    stderr
        .lines()
        .take_while(|line| !line.starts_with("usage:"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `git diff --numstat -z`: `ADD\tDEL\tPATH\0`, or for a rename `ADD\tDEL\t\0OLD\0NEW\0`;
/// binary files show `-` for both counts and count 0, as on GitHub.
pub fn parse_numstat_z(raw: &[u8]) -> Vec<PullFile> {
    let mut fields = raw
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut files = Vec::new();
    while let Some(record) = fields.next() {
        let mut parts = record.splitn(3, '\t');
        let (Some(add), Some(del), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let additions = add.parse().unwrap_or(0);
        let deletions = del.parse().unwrap_or(0);
        let (filename, previous_filename, status) = if path.is_empty() {
            let old = fields.next().unwrap_or_default();
            let new = fields.next().unwrap_or_default();
            (new, Some(old), "renamed")
        } else {
            (path.to_string(), None, "modified")
        };
        files.push(PullFile {
            filename,
            status: status.into(),
            additions,
            deletions,
            changes: additions.saturating_add(deletions),
            previous_filename,
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_usage_text_is_left_out_of_the_message() {
        let stderr = "warning: Not a git repository. Use --no-index to compare two paths\nusage: git diff --no-index [<options>] <path> <path>\n\nDiff output format options\n    -p, --patch\n";
        assert_eq!(
            git_message(stderr),
            "warning: Not a git repository. Use --no-index to compare two paths"
        );
        assert_eq!(
            git_message("fatal: bad revision 'main...nope'\n"),
            "fatal: bad revision 'main...nope'"
        );
    }

    #[test]
    fn numstat_with_renames_and_binaries() {
        let raw = b"3\t1\tsrc/a.rs\0-\t-\tlogo.png\x000\t2\t\0old name.rs\0new name.rs\0";
        let files = parse_numstat_z(raw);
        assert_eq!(files.len(), 3);
        assert_eq!(
            (
                files[0].filename.as_str(),
                files[0].additions,
                files[0].deletions
            ),
            ("src/a.rs", 3, 1)
        );
        assert_eq!(
            (files[1].filename.as_str(), files[1].changes),
            ("logo.png", 0)
        );
        assert_eq!(files[2].filename, "new name.rs");
        assert_eq!(files[2].previous_filename.as_deref(), Some("old name.rs"));
        assert_eq!(files[2].deletions, 2);
    }
}
