//! Counting the lines of the counted files: additions and deletions, ignored files left out.

use serde::Serialize;

use super::ignore_rules::{IgnoreReason, IgnoreRules};
use super::listing::{FileListing, Totals};
use crate::github::models::PullFile;

/// How the lines were counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "kebab-case")]
pub enum Basis {
    /// Summed over the listed files, ignored ones left out.
    FileList,
    /// The PR's totals: nothing could be ignored.
    Totals,
    /// GitHub listed only the first `listed` files: the totals, less what was ignored among them.
    TruncatedList { listed: u64 },
    /// Offline: the payload's totals, with nothing ignored.
    PayloadTotals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredFile {
    pub path: String,
    pub reason: IgnoreReason,
    pub lines: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measurement {
    pub additions: u64,
    pub deletions: u64,
    pub lines: u64,
    pub files_counted: u64,
    pub ignored: Vec<IgnoredFile>,
    pub basis: Basis,
}

/// Count additions and deletions of the counted files. Binary files carry 0/0 in GitHub's
/// list and count nothing; renames count their changed lines.
pub fn measure(listing: &FileListing, totals: Totals, rules: &IgnoreRules) -> Measurement {
    let (files, basis): (&[PullFile], Basis) = match listing {
        FileListing::Complete(files) => (files, Basis::FileList),
        FileListing::Truncated(files) => (
            files,
            Basis::TruncatedList {
                listed: files.len() as u64,
            },
        ),
        FileListing::NotNeeded => (&[], Basis::Totals),
        FileListing::Unavailable => (&[], Basis::PayloadTotals),
    };
    let mut counted = Totals::default();
    let mut ignored = Vec::new();
    for file in files {
        match rules.reason(&file.filename) {
            Some(reason) => ignored.push(IgnoredFile {
                path: file.filename.clone(),
                reason,
                lines: file.additions + file.deletions,
            }),
            None => {
                counted.additions += file.additions;
                counted.deletions += file.deletions;
                counted.changed_files += 1;
            }
        }
    }
    let (additions, deletions, files_counted) = match basis {
        Basis::FileList => (counted.additions, counted.deletions, counted.changed_files),
        Basis::Totals | Basis::PayloadTotals => {
            (totals.additions, totals.deletions, totals.changed_files)
        }
        Basis::TruncatedList { .. } => {
            let ignored_files: Vec<&PullFile> = files
                .iter()
                .filter(|f| rules.reason(&f.filename).is_some())
                .collect();
            let ignored_additions: u64 = ignored_files.iter().map(|f| f.additions).sum();
            let ignored_deletions: u64 = ignored_files.iter().map(|f| f.deletions).sum();
            (
                totals.additions.saturating_sub(ignored_additions),
                totals.deletions.saturating_sub(ignored_deletions),
                totals
                    .changed_files
                    .saturating_sub(ignored_files.len() as u64),
            )
        }
    };
    Measurement {
        additions,
        deletions,
        lines: additions + deletions,
        files_counted,
        ignored,
        basis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn lockfiles_ignored() -> IgnoreRules {
        IgnoreRules::new(true, None, &[]).unwrap()
    }

    #[test]
    fn a_complete_list_counts_the_files_not_ignored() {
        let files = vec![file("src/a.rs", 30, 5), file("Cargo.lock", 400, 100)];
        let m = measure(
            &FileListing::Complete(files),
            Totals::default(),
            &lockfiles_ignored(),
        );
        assert_eq!((m.additions, m.deletions, m.lines), (30, 5, 35));
        assert_eq!(m.files_counted, 1);
        assert_eq!(
            m.ignored,
            [IgnoredFile {
                path: "Cargo.lock".into(),
                reason: IgnoreReason::Lockfile,
                lines: 500,
            }]
        );
        assert_eq!(m.basis, Basis::FileList);
    }

    #[test]
    fn a_cut_list_takes_the_ignored_lines_off_the_totals() {
        let totals = Totals {
            additions: 9_000,
            deletions: 1_000,
            changed_files: 3_500,
        };
        let files = vec![file("src/a.rs", 30, 5), file("Cargo.lock", 400, 100)];
        let m = measure(&FileListing::Truncated(files), totals, &lockfiles_ignored());
        assert_eq!((m.additions, m.deletions, m.lines), (8_600, 900, 9_500));
        assert_eq!(m.files_counted, 3_499);
        assert_eq!(m.basis, Basis::TruncatedList { listed: 2 });
    }

    #[test]
    fn unlisted_files_leave_the_totals_as_they_are() {
        let totals = Totals {
            additions: 12,
            deletions: 3,
            changed_files: 2,
        };
        for (listing, basis) in [
            (FileListing::NotNeeded, Basis::Totals),
            (FileListing::Unavailable, Basis::PayloadTotals),
        ] {
            let m = measure(&listing, totals, &lockfiles_ignored());
            assert_eq!((m.lines, m.files_counted), (15, 2));
            assert_eq!(m.basis, basis);
        }
    }
}
