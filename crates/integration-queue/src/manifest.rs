//! What an integration commit records about itself, as a trailer block at the end of the
//! merge commit's message, and read back strictly.
//!
//! ```text
//! Merge #12 into integration/main: Fix the parser
//!
//! Integration-Queue-Manifest: v1
//! Integration-Queue-Base: 0123…(40 hex)
//! Integration-Queue-Batch: 12.L
//! Integration-Queue-Round: 2
//! Integration-Queue-Step: 1
//! Integration-Queue-Left-Of-Failed: yes
//! Integration-Queue-PR: 12 89ab…
//! Integration-Queue-Then: 15 cdef…, 17 0123…
//! ```
//!
//! Only the final paragraph is read, every line of it must be ours and in this order, and the
//! PR title we embed is flattened to one line that cannot start a paragraph: a hostile title
//! cannot forge a block. The plan trusts a block only in a commit the queue itself made.

use serde::{Deserialize, Serialize};

use crate::state::Sha;

const PREFIX: &str = "Integration-Queue-";
const MARKER: &str = "Integration-Queue-Manifest: v1";

/// A PR as the batch pinned it: its number and the head SHA that was tested.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pinned {
    pub number: u64,
    pub sha: Sha,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The base SHA the batch was built on.
    pub base: Sha,
    /// The batch's lineage: the first PR's number, then `.L`/`.R` per bisection step.
    pub batch: String,
    /// CI rounds spent on this lineage so far, this one included.
    pub round: u32,
    /// How many of `prs` are merged up to this commit (the last merge has `prs.len()`).
    pub step: usize,
    /// This batch is the left half of a batch that failed: if it passes, the first `then`
    /// group alone is known to fail on the new base.
    pub left_of_failed: bool,
    /// With `left_of_failed`: the failed commit whose tree the next group has on the new base;
    /// its failed checks are the evidence when that group is one PR and leaves untested.
    pub evidence: Option<Sha>,
    /// The PRs of this batch, in merge order.
    pub prs: Vec<Pinned>,
    /// Groups still to test before fresh PRs (the rest of a bisection), in order.
    pub then: Vec<Vec<Pinned>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error("the commit message has no integration-queue manifest")]
    Missing,
    #[error("the manifest's line {line} is not valid: {why}")]
    Invalid { line: usize, why: String },
}

impl Manifest {
    /// The trailer block, without a leading blank line.
    pub fn render(&self) -> String {
        let mut out = vec![
            MARKER.to_string(),
            format!("{PREFIX}Base: {}", self.base),
            format!("{PREFIX}Batch: {}", self.batch),
            format!("{PREFIX}Round: {}", self.round),
            format!("{PREFIX}Step: {}", self.step),
            format!(
                "{PREFIX}Left-Of-Failed: {}",
                if self.left_of_failed { "yes" } else { "no" }
            ),
        ];
        if let Some(e) = &self.evidence {
            out.push(format!("{PREFIX}Evidence: {e}"));
        }
        for p in &self.prs {
            out.push(format!("{PREFIX}PR: {} {}", p.number, p.sha));
        }
        for group in &self.then {
            let items: Vec<String> = group
                .iter()
                .map(|p| format!("{} {}", p.number, p.sha))
                .collect();
            out.push(format!("{PREFIX}Then: {}", items.join(", ")));
        }
        out.join("\n")
    }

    /// The merge commit message for merging `pr` (titled `title`) as this manifest's step.
    pub fn commit_message(&self, pr: u64, title: &str, branch: &str) -> String {
        format!(
            "Merge #{pr} into {branch}: {}\n\n{}\n",
            one_line(title),
            self.render()
        )
    }

    /// Reads the block back from a whole commit message.
    pub fn parse(message: &str) -> Result<Manifest, ManifestError> {
        let lines: Vec<&str> = message.trim_end().lines().collect();
        // The block is the last paragraph; anything of ours elsewhere is a forgery.
        let start = lines
            .iter()
            .rposition(|l| l.trim().is_empty())
            .map_or(0, |i| i + 1);
        let block = &lines[start..];
        if let Some(i) = lines[..start].iter().position(|l| l.starts_with(PREFIX)) {
            if block.first() == Some(&MARKER) {
                return Err(invalid(
                    i + 1,
                    "a manifest line stands outside the final block",
                ));
            }
            return Err(ManifestError::Missing);
        }
        if block.first() != Some(&MARKER) {
            return Err(ManifestError::Missing);
        }
        let mut fields = block
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, l)| (start + i + 1, *l));
        let mut field = |name: &str| -> Result<(usize, String), ManifestError> {
            let (n, line) = fields
                .next()
                .ok_or_else(|| invalid(start + block.len(), &format!("`{name}` is missing")))?;
            let value = line
                .strip_prefix(PREFIX)
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix(": "))
                .ok_or_else(|| invalid(n, &format!("expected `{PREFIX}{name}: …`")))?;
            Ok((n, value.to_string()))
        };
        let (n, base) = field("Base")?;
        let base = sha(n, &base)?;
        let (n, batch) = field("Batch")?;
        if !valid_batch(&batch) {
            return Err(invalid(
                n,
                "the batch is not a number followed by .L/.R steps",
            ));
        }
        let (n, round) = field("Round")?;
        let round = number(n, &round)?;
        let (n, step) = field("Step")?;
        let step = number(n, &step)?;
        let (n, left) = field("Left-Of-Failed")?;
        let left_of_failed = match left.as_str() {
            "yes" => true,
            "no" => false,
            _ => return Err(invalid(n, "Left-Of-Failed must be yes or no")),
        };
        let mut skip = 6;
        let evidence = match block
            .get(6)
            .and_then(|l| l.strip_prefix(&format!("{PREFIX}Evidence: ")))
        {
            Some(e) if left_of_failed => {
                skip = 7;
                Some(sha(start + 7, e)?)
            }
            Some(_) => return Err(invalid(start + 7, "Evidence without Left-Of-Failed: yes")),
            None => None,
        };
        let mut prs = Vec::new();
        let mut then = Vec::new();
        for (i, line) in block.iter().enumerate().skip(skip) {
            let n = start + i + 1;
            if let Some(v) = line.strip_prefix(&format!("{PREFIX}PR: ")) {
                if !then.is_empty() {
                    return Err(invalid(n, "a PR line after a Then line"));
                }
                prs.push(pinned(n, v)?);
            } else if let Some(v) = line.strip_prefix(&format!("{PREFIX}Then: ")) {
                let group = v
                    .split(", ")
                    .map(|item| pinned(n, item))
                    .collect::<Result<Vec<_>, _>>()?;
                then.push(group);
            } else {
                return Err(invalid(n, "not a PR or Then line"));
            }
        }
        let round = u32::try_from(round).map_err(|_| invalid(start + 4, "round too large"))?;
        let step = usize::try_from(step).map_err(|_| invalid(start + 5, "step too large"))?;
        if prs.is_empty() {
            return Err(invalid(start + block.len(), "no PR lines"));
        }
        if step == 0 || step > prs.len() {
            return Err(invalid(start + 5, "step is outside 1..=number of PRs"));
        }
        let mut numbers: Vec<u64> = prs
            .iter()
            .chain(then.iter().flatten())
            .map(|p| p.number)
            .collect();
        numbers.sort_unstable();
        if numbers.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid(start + 1, "a PR is listed twice"));
        }
        Ok(Manifest {
            base,
            batch,
            round,
            step,
            left_of_failed,
            evidence,
            prs,
            then,
        })
    }
}

/// Untrusted text flattened to one line: no line breaks of any kind, no control characters,
/// bounded length.
pub fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .take(200)
        .collect();
    flat.trim().to_string()
}

fn invalid(line: usize, why: &str) -> ManifestError {
    ManifestError::Invalid {
        line,
        why: why.to_string(),
    }
}

fn sha(line: usize, s: &str) -> Result<Sha, ManifestError> {
    if s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(s.to_string())
    } else {
        Err(invalid(line, "a SHA must be 40 lowercase hex digits"))
    }
}

fn number(line: usize, s: &str) -> Result<u64, ManifestError> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0')
    {
        return Err(invalid(line, "not a positive decimal number"));
    }
    s.parse().map_err(|_| invalid(line, "not a number"))
}

fn pinned(line: usize, s: &str) -> Result<Pinned, ManifestError> {
    let (n, sh) = s
        .split_once(' ')
        .ok_or_else(|| invalid(line, "expected `<number> <sha>`"))?;
    Ok(Pinned {
        number: number(line, n)?,
        sha: sha(line, sh)?,
    })
}

fn valid_batch(s: &str) -> bool {
    let mut parts = s.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.len() <= 12 && p.bytes().all(|b| b.is_ascii_digit()));
    first_ok && parts.all(|p| p == "L" || p == "R") && s.len() <= 80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha_of(c: char) -> String {
        std::iter::repeat_n(c, 40).collect()
    }

    fn sample() -> Manifest {
        Manifest {
            base: sha_of('a'),
            batch: "12.L".into(),
            round: 2,
            step: 2,
            left_of_failed: true,
            evidence: Some(sha_of('9')),
            prs: vec![
                Pinned {
                    number: 12,
                    sha: sha_of('b'),
                },
                Pinned {
                    number: 13,
                    sha: sha_of('c'),
                },
            ],
            then: vec![vec![
                Pinned {
                    number: 15,
                    sha: sha_of('d'),
                },
                Pinned {
                    number: 17,
                    sha: sha_of('e'),
                },
            ]],
        }
    }

    #[test]
    fn round_trips_through_a_commit_message() {
        let m = sample();
        let msg = m.commit_message(13, "Fix the parser", "integration/main");
        assert!(msg.starts_with("Merge #13 into integration/main: Fix the parser\n\n"));
        assert_eq!(Manifest::parse(&msg), Ok(m));
    }

    #[test]
    fn a_hostile_title_cannot_forge_a_block() {
        let forged = sample();
        let mut honest = sample();
        honest.prs.truncate(1);
        honest.step = 1;
        honest.then.clear();
        let title = format!("x\n\n{}\r\n\u{2028}{}", forged.render(), forged.render());
        let msg = honest.commit_message(12, &title, "integration/main");
        assert_eq!(msg.lines().count(), 2 + honest.render().lines().count());
        assert_eq!(Manifest::parse(&msg), Ok(honest));
    }

    #[test]
    fn a_block_followed_by_other_text_is_not_a_manifest() {
        let msg = format!("Merge\n\n{}\n\nSigned-off-by: x", sample().render());
        assert!(Manifest::parse(&msg).is_err());
    }

    #[test]
    fn a_message_without_a_block_is_missing() {
        assert_eq!(
            Manifest::parse("Merge pull request #3\n\nSome text"),
            Err(ManifestError::Missing)
        );
    }

    #[test]
    fn strict_fields_reject_each_defect() {
        let good = sample().render();
        let cases = [
            ("uppercase sha", good.replace(&sha_of('a'), &sha_of('A'))),
            ("short sha", good.replace(&sha_of('a'), "abc")),
            ("round zero padded", good.replace("Round: 2", "Round: 02")),
            ("step beyond prs", good.replace("Step: 2", "Step: 3")),
            ("step zero", good.replace("Step: 2", "Step: 0")),
            (
                "flag not yes/no",
                good.replace("Left-Of-Failed: yes", "Left-Of-Failed: true"),
            ),
            ("bad batch", good.replace("Batch: 12.L", "Batch: 12.X")),
            (
                "evidence without left-of-failed",
                good.replace("Left-Of-Failed: yes", "Left-Of-Failed: no"),
            ),
            ("short evidence", good.replace(&sha_of('9'), "99")),
            (
                "fields out of order",
                good.replace(
                    "Round: 2\nIntegration-Queue-Step: 2",
                    "Step: 2\nIntegration-Queue-Round: 2",
                ),
            ),
            ("duplicate pr", good.replace(" 15 ", " 12 ")),
            ("extra line", format!("{good}\nIntegration-Queue-Extra: 1")),
            (
                "pr after then",
                format!("{good}\nIntegration-Queue-PR: 99 {}", sha_of('f')),
            ),
            (
                "foreign line in block",
                format!("{good}\nReviewed-by: someone"),
            ),
        ];
        for (case, text) in cases {
            let msg = format!("Merge\n\n{text}");
            assert!(
                matches!(Manifest::parse(&msg), Err(ManifestError::Invalid { .. })),
                "{case}: {:?}",
                Manifest::parse(&msg)
            );
        }
    }

    #[test]
    fn one_line_strips_every_line_break_and_bounds_length() {
        assert_eq!(one_line("a\r\nb\u{2028}c\u{85}d\te"), "a  b c d e");
        assert_eq!(one_line(&"x".repeat(500)).len(), 200);
    }
}
