//! One bare git repository on disk, driven through the `git` CLI.
//!
//! Why the CLI and not gix/git2: `git` is on every machine this project builds on, it adds nothing to build time,
//! and it *is* git — three-way merges (`merge-tree --write-tree`), fast-forward checks (`merge-base
//! --is-ancestor`), rename detection and patches behave exactly as on GitHub's servers, which is the point of the
//! model. Every call runs with no system or global config, no hooks and a fixed identity, so the host's git
//! setup cannot change what a test sees.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::GitError;

/// The identity of commits the fake writes itself (seeded commits, merges).
const FAKE_NAME: &str = "Mona Lisa";
const FAKE_EMAIL: &str = "mona@example.com";

/// A file change of a seeded commit: write `content` at `path`, or delete `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Write { path: String, content: Vec<u8> },
    Delete { path: String },
}

impl Change {
    pub fn write(path: &str, content: impl Into<Vec<u8>>) -> Change {
        Change::Write {
            path: path.trim_start_matches('/').to_owned(),
            content: content.into(),
        }
    }

    pub fn delete(path: &str) -> Change {
        Change::Delete {
            path: path.trim_start_matches('/').to_owned(),
        }
    }
}

/// One entry of a tree listing (`git ls-tree -l`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub mode: String,
    /// `blob`, `tree` or `commit` (a submodule).
    pub kind: String,
    pub sha: String,
    /// Blob size in bytes; `None` for trees and submodules.
    pub size: Option<u64>,
    pub path: String,
}

/// One changed file between two commits, as `GET /pulls/{n}/files` and compare list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffFile {
    pub filename: String,
    pub previous_filename: Option<String>,
    /// GitHub's word: added, removed, modified, renamed, copied, changed.
    pub status: String,
    pub additions: u64,
    pub deletions: u64,
    /// The hunks (from the first `@@`), as GitHub gives them; `None` for binary files.
    pub patch: Option<String>,
    /// The blob on the new side (the old side for a removed file), as GitHub's `sha` field.
    pub blob_sha: String,
}

/// A commit's metadata, enough for GitHub's commit objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub sha: String,
    pub tree: String,
    pub parents: Vec<String>,
    pub author_name: String,
    pub author_email: String,
    pub author_date: i64,
    pub committer_name: String,
    pub committer_email: String,
    pub committer_date: i64,
    pub message: String,
}

/// The outcome of a three-way merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The merged tree; no commit is written yet.
    Clean {
        tree: String,
    },
    Conflict,
}

/// A bare repository at `dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRepo {
    dir: PathBuf,
}

impl GitRepo {
    /// Creates an empty bare repository at `dir`.
    pub fn init(dir: &Path) -> Result<GitRepo, GitError> {
        std::fs::create_dir_all(dir).map_err(|source| GitError::Io {
            what: format!("creating {}", dir.display()),
            source,
        })?;
        let repo = GitRepo {
            dir: dir.to_path_buf(),
        };
        repo.run(
            &["init", "--quiet", "--bare", "--initial-branch=main"],
            None,
        )?;
        Ok(repo)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_DIR", &self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("GIT_AUTHOR_NAME", FAKE_NAME)
            .env("GIT_AUTHOR_EMAIL", FAKE_EMAIL)
            .env("GIT_COMMITTER_NAME", FAKE_NAME)
            .env("GIT_COMMITTER_EMAIL", FAKE_EMAIL)
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "gc.auto=0",
                "-c",
                "core.quotePath=false",
                "-c",
                "diff.renames=true",
                "-c",
                "user.name=Mona Lisa",
                "-c",
                "user.email=mona@example.com",
            ])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs `git args`, feeding `input` on stdin, and returns stdout; a non-zero exit is an error with stderr.
    pub fn run(&self, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
        let (code, stdout, stderr) = self.run_status(args, input)?;
        if code != 0 {
            return Err(GitError::Failed {
                args: args.join(" "),
                stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
            });
        }
        Ok(stdout)
    }

    /// Runs `git args` and returns its exit code, stdout and stderr, whatever the code.
    fn run_status(
        &self,
        args: &[&str],
        input: Option<&[u8]>,
    ) -> Result<(i32, Vec<u8>, Vec<u8>), GitError> {
        let mut command = self.command(args);
        if input.is_some() {
            command.stdin(Stdio::piped());
        }
        let spawn_error = |source| GitError::Io {
            what: format!("running git {}", args.join(" ")),
            source,
        };
        let mut child = command.spawn().map_err(spawn_error)?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            // Written from a thread: git may fill its stdout pipe before it has read all of stdin.
            let input = input.to_vec();
            let writer = std::thread::spawn(move || stdin.write_all(&input));
            let output = child.wait_with_output().map_err(spawn_error)?;
            writer
                .join()
                .map_err(|_| GitError::Io {
                    what: "writing to git's stdin".to_owned(),
                    source: std::io::Error::other("the writer thread panicked"),
                })?
                .map_err(spawn_error)?;
            return Ok((
                output.status.code().unwrap_or(-1),
                output.stdout,
                output.stderr,
            ));
        }
        let output = child.wait_with_output().map_err(spawn_error)?;
        Ok((
            output.status.code().unwrap_or(-1),
            output.stdout,
            output.stderr,
        ))
    }

    fn text(&self, args: &[&str]) -> Result<String, GitError> {
        Ok(String::from_utf8_lossy(&self.run(args, None)?)
            .trim_end()
            .to_owned())
    }

    /// The object `spec` names, peeled to `kind` (`commit`, `tree`), or `None` when there is none.
    /// Specs starting with `-` are refused so that input from a URL can never become an option.
    pub fn resolve(&self, spec: &str, kind: &str) -> Result<Option<String>, GitError> {
        if spec.is_empty() || spec.starts_with('-') {
            return Ok(None);
        }
        let peeled = format!("{spec}^{{{kind}}}");
        let (code, stdout, _) =
            self.run_status(&["rev-parse", "--verify", "--quiet", &peeled], None)?;
        Ok((code == 0).then(|| String::from_utf8_lossy(&stdout).trim().to_owned()))
    }

    /// The object the ref named exactly `full_ref` (`refs/heads/main`) points at. `show-ref --verify` takes
    /// names only, never revision syntax, so `refs/heads/main~1` from a URL is no ref at all.
    pub fn ref_sha(&self, full_ref: &str) -> Result<Option<String>, GitError> {
        if !full_ref.starts_with("refs/") {
            return Ok(None);
        }
        let (code, stdout, _) =
            self.run_status(&["show-ref", "--verify", "--hash", full_ref], None)?;
        Ok((code == 0).then(|| String::from_utf8_lossy(&stdout).trim().to_owned()))
    }

    /// Every ref (`refs/...`) with the object it points at, sorted by name.
    pub fn refs(&self) -> Result<Vec<(String, String, String)>, GitError> {
        let out = self.text(&[
            "for-each-ref",
            "--format=%(refname) %(objectname) %(objecttype)",
        ])?;
        Ok(out
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, ' ');
                Some((
                    parts.next()?.to_owned(),
                    parts.next()?.to_owned(),
                    parts.next()?.to_owned(),
                ))
            })
            .collect())
    }

    /// Whether `name` is a valid full ref name as git (and so GitHub) sees it.
    pub fn valid_ref_name(&self, name: &str) -> Result<bool, GitError> {
        if name.starts_with('-') {
            return Ok(false);
        }
        let (code, _, _) = self.run_status(&["check-ref-format", name], None)?;
        Ok(code == 0)
    }

    /// Points `full_ref` at `sha`; with `old` set, only if it still points there (atomic compare-and-swap).
    pub fn set_ref(&self, full_ref: &str, sha: &str, old: Option<&str>) -> Result<(), GitError> {
        let mut args = vec!["update-ref", "--no-deref", full_ref, sha];
        if let Some(old) = old {
            args.push(old);
        }
        self.run(&args, None).map(drop)
    }

    pub fn delete_ref(&self, full_ref: &str) -> Result<(), GitError> {
        self.run(&["update-ref", "--no-deref", "-d", full_ref], None)
            .map(drop)
    }

    /// Whether commit `ancestor` is reachable from `descendant` (equal counts).
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool, GitError> {
        let (code, _, stderr) =
            self.run_status(&["merge-base", "--is-ancestor", ancestor, descendant], None)?;
        match code {
            0 => Ok(true),
            1 => Ok(false),
            _ => Err(GitError::Failed {
                args: format!("merge-base --is-ancestor {ancestor} {descendant}"),
                stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
            }),
        }
    }

    /// The best common ancestor of two commits, if they share history.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>, GitError> {
        let (code, stdout, _) = self.run_status(&["merge-base", a, b], None)?;
        Ok((code == 0).then(|| String::from_utf8_lossy(&stdout).trim().to_owned()))
    }

    /// Commits reachable from `head` and not from `base`, oldest first (`git log --reverse base..head`).
    pub fn commits_between(&self, base: &str, head: &str) -> Result<Vec<CommitInfo>, GitError> {
        let range = format!("{base}..{head}");
        let out = self.text(&["rev-list", "--reverse", "--topo-order", &range])?;
        out.lines().map(|sha| self.commit_info(sha)).collect()
    }

    /// Number of commits reachable from `head` and not from `base`.
    pub fn count_between(&self, base: &str, head: &str) -> Result<u64, GitError> {
        let range = format!("{base}..{head}");
        Ok(self
            .text(&["rev-list", "--count", &range])?
            .parse()
            .unwrap_or(0))
    }

    pub fn commit_info(&self, sha: &str) -> Result<CommitInfo, GitError> {
        // NUL-separated fields; the message comes last so it may hold anything.
        let out = self.run(
            &[
                "show",
                "--no-patch",
                "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B",
                sha,
            ],
            None,
        )?;
        let text = String::from_utf8_lossy(&out);
        let fields: Vec<&str> = text.splitn(10, '\0').collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or_default();
        Ok(CommitInfo {
            sha: field(0).to_owned(),
            tree: field(1).to_owned(),
            parents: field(2).split_whitespace().map(str::to_owned).collect(),
            author_name: field(3).to_owned(),
            author_email: field(4).to_owned(),
            author_date: field(5).parse().unwrap_or(0),
            committer_name: field(6).to_owned(),
            committer_email: field(7).to_owned(),
            committer_date: field(8).parse().unwrap_or(0),
            message: field(9).trim_end_matches('\n').to_owned(),
        })
    }

    /// Writes one commit with `parents` whose tree is the first parent's with `changes` applied (an empty tree
    /// when there is no parent), without moving any ref. One `git fast-import` process writes all blobs, so a
    /// commit of thousands of files takes milliseconds per thousand.
    pub fn write_commit(
        &self,
        parents: &[&str],
        message: &str,
        changes: &[Change],
    ) -> Result<String, GitError> {
        // fast-import needs a ref to build on; a scratch ref is written, read back and deleted.
        static SCRATCH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SCRATCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let scratch = format!("refs/fake-github/scratch/{n}");
        let mut stream: Vec<u8> = Vec::new();
        let now = jiff::Timestamp::now().as_second();
        let _ = write!(stream, "commit {scratch}\nmark :1\n");
        let _ = write!(
            stream,
            "author {FAKE_NAME} <{FAKE_EMAIL}> {now} +0000\ncommitter {FAKE_NAME} <{FAKE_EMAIL}> {now} +0000\n"
        );
        let _ = write!(stream, "data {}\n{message}\n", message.len());
        if let Some(first) = parents.first() {
            let _ = writeln!(stream, "from {first}");
        }
        for parent in parents.iter().skip(1) {
            let _ = writeln!(stream, "merge {parent}");
        }
        for change in changes {
            match change {
                Change::Write { path, content } => {
                    let _ = write!(
                        stream,
                        "M 100644 inline {}\ndata {}\n",
                        quote_path(path),
                        content.len()
                    );
                    stream.extend_from_slice(content);
                    stream.push(b'\n');
                }
                Change::Delete { path } => {
                    let _ = writeln!(stream, "D {}", quote_path(path));
                }
            }
        }
        stream.extend_from_slice(b"done\n");
        self.run(
            &["fast-import", "--quiet", "--done", "--force"],
            Some(&stream),
        )?;
        let sha = self.ref_sha(&scratch)?.ok_or_else(|| GitError::Failed {
            args: "fast-import".to_owned(),
            stderr: "the new commit was not written".to_owned(),
        })?;
        self.delete_ref(&scratch)?;
        Ok(sha)
    }

    /// Writes a commit of `tree` with `parents` authored by `login` and committed by GitHub, as GitHub's
    /// merges API does (the author is the token's account, `login@users.noreply.github.com`), so that a
    /// reader can tell whose API call made it.
    pub fn commit_tree_by(
        &self,
        tree: &str,
        parents: &[&str],
        message: &str,
        login: &str,
    ) -> Result<String, GitError> {
        let now = jiff::Timestamp::now().as_second();
        let mut object = format!("tree {tree}\n");
        for parent in parents {
            let _ = writeln!(object, "parent {parent}");
        }
        let _ = write!(
            object,
            "author {login} <{login}@users.noreply.github.com> {now} +0000\n\
             committer GitHub <noreply@github.com> {now} +0000\n\n{message}\n"
        );
        let out = self.run(
            &["hash-object", "-t", "commit", "-w", "--stdin"],
            Some(object.as_bytes()),
        )?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// Writes a commit of an existing `tree` with `parents` (for merge commits).
    pub fn commit_tree(
        &self,
        tree: &str,
        parents: &[&str],
        message: &str,
    ) -> Result<String, GitError> {
        let mut args = vec!["commit-tree", tree];
        for parent in parents {
            args.push("-p");
            args.push(parent);
        }
        args.push("-m");
        args.push(message);
        self.text(&args)
    }

    /// Replays `commit` onto `onto` (a three-way merge with the commit's parent as base, as `git cherry-pick`),
    /// writing the tree but no commit.
    pub fn pick_tree(&self, onto: &str, commit: &str) -> Result<MergeOutcome, GitError> {
        let parent = format!("{commit}^");
        let merge_base = format!("--merge-base={parent}");
        let (code, stdout, stderr) = self.run_status(
            &[
                "merge-tree",
                "--write-tree",
                "--no-messages",
                &merge_base,
                onto,
                commit,
            ],
            None,
        )?;
        match code {
            0 => Ok(MergeOutcome::Clean {
                tree: String::from_utf8_lossy(&stdout)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            }),
            1 => Ok(MergeOutcome::Conflict),
            _ => Err(GitError::Failed {
                args: format!("merge-tree --write-tree {merge_base} {onto} {commit}"),
                stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
            }),
        }
    }

    /// A real three-way merge of two commits (`git merge-tree --write-tree`), writing the tree but no commit.
    pub fn merge_trees(&self, ours: &str, theirs: &str) -> Result<MergeOutcome, GitError> {
        let (code, stdout, stderr) = self.run_status(
            &["merge-tree", "--write-tree", "--no-messages", ours, theirs],
            None,
        )?;
        match code {
            0 => Ok(MergeOutcome::Clean {
                tree: String::from_utf8_lossy(&stdout)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            }),
            1 => Ok(MergeOutcome::Conflict),
            _ => Err(GitError::Failed {
                args: format!("merge-tree --write-tree {ours} {theirs}"),
                stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
            }),
        }
    }

    /// The entries of `tree` (a tree-ish), recursively (trees included, as GitHub lists them) or one level;
    /// under `dir` when given (`""` is the root).
    pub fn ls_tree(
        &self,
        tree: &str,
        dir: &str,
        recursive: bool,
    ) -> Result<Vec<TreeEntry>, GitError> {
        let mut args = vec!["ls-tree", "-l", "-z", "--full-tree"];
        if recursive {
            args.extend(["-r", "-t"]);
        }
        args.push(tree);
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        if !prefix.is_empty() {
            args.extend(["--", prefix.as_str()]);
        }
        let out = self.run(&args, None)?;
        Ok(parse_ls_tree(&out))
    }

    /// The entry at `path` in commit/tree `tree`, if any.
    pub fn entry(&self, tree: &str, path: &str) -> Result<Option<TreeEntry>, GitError> {
        if path.is_empty() {
            return Ok(None);
        }
        let out = self.run(
            &["ls-tree", "-l", "-z", "--full-tree", tree, "--", path],
            None,
        )?;
        Ok(parse_ls_tree(&out).into_iter().find(|e| e.path == path))
    }

    pub fn blob(&self, sha: &str) -> Result<Vec<u8>, GitError> {
        self.run(&["cat-file", "blob", sha], None)
    }

    /// The files changed from `base` to `head` (a plain two-tree diff with rename detection), in git's order.
    pub fn diff(&self, base: &str, head: &str) -> Result<Vec<DiffFile>, GitError> {
        let raw = self.run(
            &["diff", "--raw", "-z", "-M", "--abbrev=40", base, head],
            None,
        )?;
        let numstat = self.run(&["diff", "--numstat", "-z", "-M", base, head], None)?;
        let patch = self.run(
            &[
                "diff",
                "-p",
                "-M",
                "--no-color",
                "--no-ext-diff",
                base,
                head,
            ],
            None,
        )?;
        let raw = parse_raw(&raw);
        let counts = parse_numstat(&numstat);
        let patches = split_patches(&String::from_utf8_lossy(&patch));
        if raw.len() != counts.len() || raw.len() != patches.len() {
            return Err(GitError::Failed {
                args: format!("diff {base} {head}"),
                stderr: format!(
                    "the raw, numstat and patch listings disagree ({}, {} and {} files)",
                    raw.len(),
                    counts.len(),
                    patches.len()
                ),
            });
        }
        Ok(raw
            .into_iter()
            .zip(counts)
            .zip(patches)
            .map(|((raw, counts), patch)| DiffFile {
                filename: raw.path,
                previous_filename: raw.previous,
                status: raw.status,
                additions: counts.unwrap_or((0, 0)).0,
                deletions: counts.unwrap_or((0, 0)).1,
                patch: counts.and(patch),
                blob_sha: raw.blob_sha,
            })
            .collect())
    }
}

/// fast-import's C-style quoting, used for every path so that no name can break the stream.
fn quote_path(path: &str) -> String {
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn parse_ls_tree(out: &[u8]) -> Vec<TreeEntry> {
    out.split(|b| *b == 0)
        .filter(|record| !record.is_empty())
        .filter_map(|record| {
            let record = String::from_utf8_lossy(record);
            let (meta, path) = record.split_once('\t')?;
            let mut parts = meta.split_whitespace();
            let mode = parts.next()?.to_owned();
            let kind = parts.next()?.to_owned();
            let sha = parts.next()?.to_owned();
            let size = parts.next().and_then(|s| s.parse().ok());
            Some(TreeEntry {
                mode,
                kind,
                sha,
                size,
                path: path.to_owned(),
            })
        })
        .collect()
}

struct RawEntry {
    status: String,
    path: String,
    previous: Option<String>,
    blob_sha: String,
}

/// `:old_mode new_mode old_sha new_sha STATUS\0path\0[path2\0]` records.
fn parse_raw(out: &[u8]) -> Vec<RawEntry> {
    let mut fields = out
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut entries = Vec::new();
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let (old_sha, new_sha, letter) = (
            parts.get(2).copied().unwrap_or_default(),
            parts.get(3).copied().unwrap_or_default(),
            parts.get(4).copied().unwrap_or_default(),
        );
        let first = fields.next().unwrap_or_default();
        let (status, path, previous) = match letter.chars().next() {
            Some('R') => ("renamed", fields.next().unwrap_or_default(), Some(first)),
            Some('C') => ("copied", fields.next().unwrap_or_default(), Some(first)),
            Some('A') => ("added", first, None),
            Some('D') => ("removed", first, None),
            Some('T') => ("changed", first, None),
            _ => ("modified", first, None),
        };
        let blob_sha = if status == "removed" {
            old_sha
        } else {
            new_sha
        };
        entries.push(RawEntry {
            status: status.to_owned(),
            path,
            previous,
            blob_sha: blob_sha.to_owned(),
        });
    }
    entries
}

/// `add\tdel\tpath\0` or, for renames, `add\tdel\t\0old\0new\0`; binary files count `-` (`None` here).
fn parse_numstat(out: &[u8]) -> Vec<Option<(u64, u64)>> {
    let mut fields = out.split(|b| *b == 0).map(String::from_utf8_lossy);
    let mut counts = Vec::new();
    while let Some(record) = fields.next() {
        if record.is_empty() {
            continue;
        }
        let mut parts = record.splitn(3, '\t');
        let added = parts.next().unwrap_or_default().parse().ok();
        let deleted = parts.next().unwrap_or_default().parse().ok();
        if parts.next().unwrap_or_default().is_empty() {
            // A rename: the two paths follow as their own fields.
            fields.next();
            fields.next();
        }
        counts.push(added.zip(deleted));
    }
    counts
}

/// The hunks of each file of a `git diff -p` output, in order (`None` where a file has no text hunks).
fn split_patches(out: &str) -> Vec<Option<String>> {
    let mut patches = Vec::new();
    let mut current: Option<Option<String>> = None;
    for line in out.split_inclusive('\n') {
        if line.starts_with("diff --git ") {
            if let Some(done) = current.take() {
                patches.push(done.map(|p| p.trim_end_matches('\n').to_owned()));
            }
            current = Some(None);
            continue;
        }
        let Some(file) = current.as_mut() else {
            continue;
        };
        match file {
            Some(hunks) => hunks.push_str(line),
            None if line.starts_with("@@") => *file = Some(line.to_owned()),
            None => {}
        }
    }
    if let Some(done) = current.take() {
        patches.push(done.map(|p| p.trim_end_matches('\n').to_owned()));
    }
    patches
}
