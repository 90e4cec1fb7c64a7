//! Commits and refs, as far as the queue can tell them apart: parents (for fast-forward
//! checks and first-parent chains), messages (for manifests), who made them, and which PR
//! heads their tree contains (for CI outcomes and "merged" detection).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::state::Sha;

#[derive(Debug, Clone)]
pub struct Commit {
    pub parents: Vec<usize>,
    pub message: String,
    pub by_queue: bool,
    pub committed_at: i64,
    /// PR heads whose changes this commit's tree holds.
    pub content: Rc<BTreeSet<Sha>>,
    generation: u32,
}

#[derive(Debug, Default)]
pub struct Repo {
    commits: Vec<Commit>,
    shas: Vec<Sha>,
    index: HashMap<Sha, usize>,
    pub refs: BTreeMap<String, Sha>,
}

impl Repo {
    pub fn commit(&self, sha: &str) -> Option<&Commit> {
        self.index.get(sha).map(|&i| &self.commits[i])
    }

    /// A new commit; `marks` adds PR heads (a PR head marks itself).
    pub fn add(
        &mut self,
        parents: &[Sha],
        message: &str,
        by_queue: bool,
        at: i64,
        mark_self: bool,
    ) -> Sha {
        let idx: Vec<usize> = parents
            .iter()
            .filter_map(|p| self.index.get(p).copied())
            .collect();
        let mut content: BTreeSet<Sha> = BTreeSet::new();
        let mut shared: Option<Rc<BTreeSet<Sha>>> = None;
        for (k, &i) in idx.iter().enumerate() {
            if k == 0 && idx.len() == 1 && !mark_self {
                shared = Some(Rc::clone(&self.commits[i].content));
            } else {
                content.extend(self.commits[i].content.iter().cloned());
            }
        }
        let generation = idx
            .iter()
            .map(|&i| self.commits[i].generation + 1)
            .max()
            .unwrap_or(0);
        let mut hasher = Sha256::new();
        hasher.update(self.commits.len().to_le_bytes());
        hasher.update(message.as_bytes());
        let sha: Sha = hex::encode(hasher.finalize())[..40].to_string();
        if mark_self {
            content.insert(sha.clone());
        }
        let content = shared.unwrap_or_else(|| Rc::new(content));
        self.insert(sha.clone(), idx, message, by_queue, at, content, generation);
        sha
    }

    /// A new commit on a PR branch that replaces the PR's earlier change (a fix-up push):
    /// its tree holds the parent's changes less `replaces`, plus itself.
    pub fn add_replacing(&mut self, parent: &Sha, replaces: &Sha, message: &str, at: i64) -> Sha {
        let sha = self.add(std::slice::from_ref(parent), message, false, at, true);
        if let Some(&i) = self.index.get(&sha) {
            let mut content = (*self.commits[i].content).clone();
            content.remove(replaces);
            self.commits[i].content = Rc::new(content);
        }
        sha
    }

    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        sha: Sha,
        idx: Vec<usize>,
        message: &str,
        by_queue: bool,
        at: i64,
        content: Rc<BTreeSet<Sha>>,
        generation: u32,
    ) {
        self.index.insert(sha.clone(), self.commits.len());
        self.shas.push(sha.clone());
        self.commits.push(Commit {
            parents: idx,
            message: message.to_string(),
            by_queue,
            committed_at: at,
            content,
            generation,
        });
    }

    pub fn sha_of(&self, i: usize) -> &Sha {
        &self.shas[i]
    }

    /// Whether `old` is `new` or one of its ancestors.
    pub fn is_ancestor(&self, old: &str, new: &str) -> bool {
        let (Some(&o), Some(&n)) = (self.index.get(old), self.index.get(new)) else {
            return false;
        };
        let floor = self.commits[o].generation;
        let mut stack = vec![n];
        let mut seen = BTreeSet::new();
        while let Some(i) = stack.pop() {
            if i == o {
                return true;
            }
            if !seen.insert(i) || self.commits[i].generation <= floor {
                continue;
            }
            stack.extend(self.commits[i].parents.iter().copied());
        }
        false
    }

    /// Second parents along the first-parent chain from `head` back to `stop`, oldest first;
    /// `None` if the chain never reaches `stop`.
    pub fn merged_heads(&self, head: &str, stop: &str, limit: usize) -> Option<Vec<Sha>> {
        let mut out = Vec::new();
        let mut cur = *self.index.get(head)?;
        for _ in 0..limit {
            if self.shas[cur] == stop {
                out.reverse();
                return Some(out);
            }
            let c = &self.commits[cur];
            let second = c.parents.get(1).map(|&p| self.shas[p].clone())?;
            out.push(second);
            cur = *c.parents.first()?;
        }
        None
    }
}
