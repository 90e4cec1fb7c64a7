//! The approval gate, tied to what was approved.
//!
//! Each breaking change gets a fingerprint that survives unrelated edits (line numbers are not
//! part of it). When the approval label is on the PR and the gate passes, the fingerprints of
//! the breaking changes present are recorded in hidden metadata of the sticky comment. A later
//! run that finds a breaking change outside that set removes the label and asks again.

use std::collections::BTreeSet;

use guardians_core::github::Identity;
use guardians_core::github::comment_metadata::{self, Found};
use guardians_core::github::models::IssueComment;
use sha2::{Digest, Sha256};

use crate::change::{Change, Severity};
use crate::comment::COMMENT_KEY;
use crate::plan::Plan;
use crate::rules::Rule;

/// Hex digits kept of a fingerprint: 64 bits, so accidental collisions among a PR's changes
/// are not a concern, and a comment can hold thousands of them.
const FINGERPRINT_HEX: usize = 16;
/// Most fingerprints listed in a comment (about 34,000 characters); a larger approved set is
/// recorded as one digest of the whole set so the comment stays under GitHub's limit.
const MAX_LISTED: usize = 2_000;
/// Most fingerprints read back from a comment; more means the metadata is not ours.
const MAX_RECORDED: usize = 5_000;
/// How a set recorded as a digest is written: `set:<64 hex digits>`.
const DIGEST_PREFIX: &str = "set:";
/// The tag of the hidden metadata line that carries the approved set (see core's
/// `comment_metadata`: one line, right after the sticky marker, read only there).
pub const METADATA_TAG: &str = "contracts-diff:approved";

/// A breaking change with its fingerprint and the file it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakingChange {
    pub fingerprint: String,
    pub file: String,
    pub change: Change,
}

/// The stable identity of a change: rule, file, location and message. The message is part
/// of it because two findings at one location can differ (a second enum value removed from
/// the same enum is a new decision for the architect); line numbers never are.
pub fn fingerprint(file: &str, change: &Change) -> String {
    let mut hasher = Sha256::new();
    for part in [change.rule.id(), file, &change.pointer, &change.message] {
        hasher.update(part.as_bytes());
        // A separator no part contains, so ("ab", "c") and ("a", "bc") differ.
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(FINGERPRINT_HEX);
    for byte in digest.iter().take(FINGERPRINT_HEX / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// The identity of a contract that could not be read or compared: its path and a digest of
/// its contents, not the parser's message, so an approval holds exactly while the contents
/// stay the same.
pub fn unreadable_fingerprint(file: &str, content_digest: &str) -> String {
    let change = Change::new(
        Rule::ContractUnreadable,
        Severity::Breaking,
        crate::change::Direction::None,
        "",
        content_digest,
    );
    fingerprint(file, &change)
}

/// Every breaking change of the plan, in report order.
pub fn breaking_changes(plan: &Plan) -> Vec<BreakingChange> {
    plan.files
        .iter()
        .flat_map(|file| {
            file.changes
                .iter()
                .filter(|c| c.severity == Severity::Breaking)
                .map(|c| BreakingChange {
                    fingerprint: match (&file.unreadable_digest, c.rule) {
                        (Some(digest), Rule::ContractUnreadable | Rule::ChangesUnlisted) => {
                            unreadable_fingerprint(&file.path, digest)
                        }
                        _ => fingerprint(&file.path, c),
                    },
                    file: file.path.clone(),
                    change: c.clone(),
                })
        })
        .collect()
}

/// What the sticky comment says was approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// No approval recorded: the label, if present, was added since the last run.
    Nothing,
    /// The fingerprints approved while the label was on the PR (possibly none).
    Approved(BTreeSet<String>),
    /// A very large approved set, recorded as the digest of the whole set: it approves exactly
    /// that set and nothing else.
    ApprovedDigest(String),
}

/// The digest of a whole set of fingerprints (sorted, so order never matters).
pub fn set_digest(set: &BTreeSet<String>) -> String {
    let mut hasher = Sha256::new();
    for fingerprint in set {
        hasher.update(fingerprint.as_bytes());
        hasher.update([b',']);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads the approved set from a body of our comment, only at the fixed place core reserves
/// for hidden metadata. Metadata that is malformed or oversized counts as an approval of
/// nothing, so a damaged comment can only ask for approval again, never grant it; a
/// metadata-looking line anywhere else (say, a context line of an embedded text diff) is text.
pub fn read_recorded(body: &str) -> Recorded {
    recorded_from(comment_metadata::read(body, COMMENT_KEY, METADATA_TAG))
}

fn recorded_from(found: Found<'_>) -> Recorded {
    match found {
        Found::Absent => Recorded::Nothing,
        Found::Malformed => Recorded::Approved(BTreeSet::new()),
        Found::Payload(payload) => {
            parse_payload(payload).unwrap_or(Recorded::Approved(BTreeSet::new()))
        }
    }
}

/// What our sticky comments (oldest first, as core's `StickyComment::find` returns them) say
/// was approved. Only comments by `identity` with our marker first are read. When more than
/// one comment qualifies and they disagree — a duplicate from a racing run that wrote a
/// different set, or someone else's comment made to look like ours — nothing is approved: which
/// one is ours cannot be told, so an architect is asked again.
pub fn read_recorded_from(comments: &[IssueComment], identity: &Identity) -> Recorded {
    let mut records = comments
        .iter()
        .filter(|c| comment_metadata::is_ours(c, identity, COMMENT_KEY))
        .map(|c| {
            recorded_from(comment_metadata::read_comment(
                c,
                identity,
                COMMENT_KEY,
                METADATA_TAG,
            ))
        });
    let Some(first) = records.next() else {
        return Recorded::Nothing;
    };
    if records.all(|r| r == first) {
        first
    } else {
        Recorded::Approved(BTreeSet::new())
    }
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn parse_payload(inner: &str) -> Option<Recorded> {
    if let Some(digest) = inner.trim().strip_prefix(DIGEST_PREFIX) {
        return (digest.len() == 64 && is_lower_hex(digest))
            .then(|| Recorded::ApprovedDigest(digest.to_owned()));
    }
    let mut set = BTreeSet::new();
    for item in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let valid = item.len() == FINGERPRINT_HEX && is_lower_hex(item);
        if !valid || set.len() >= MAX_RECORDED {
            return None;
        }
        set.insert(item.to_owned());
    }
    // An empty list is written as `-`.
    if set.is_empty() && inner.trim() != "-" {
        return None;
    }
    Some(Recorded::Approved(set))
}

/// The hidden metadata line for an approved set: the first line of the comment body, which
/// core puts right after the marker.
pub fn metadata_line(approved: &BTreeSet<String>) -> String {
    let list = if approved.is_empty() {
        "-".to_owned()
    } else if approved.len() > MAX_LISTED {
        format!("{DIGEST_PREFIX}{}", set_digest(approved))
    } else {
        approved.iter().cloned().collect::<Vec<_>>().join(",")
    };
    comment_metadata::line(METADATA_TAG, &list)
}

/// Facts the gate is decided from.
#[derive(Debug, Clone)]
pub struct GateInput<'a> {
    pub label: &'a str,
    pub label_present: bool,
    /// Whether this run is the label being added: `Some(true)` for a `labeled` event naming
    /// it, `Some(false)` for any other pull-request event, None when the trigger is unknown
    /// (`workflow_run`).
    pub label_just_added: Option<bool>,
    /// `require-approval-on` is met by the changes.
    pub approval_required: bool,
    /// `fail-on` is met by the changes.
    pub fail_on_met: bool,
    pub breaking: &'a [BreakingChange],
    pub recorded: &'a Recorded,
}

/// The gate's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    pub status: GateStatus,
    /// The set to record in the comment; None records nothing (no valid approval).
    pub record: Option<BTreeSet<String>>,
    /// Whether to take the approval label off the PR.
    pub remove_label: bool,
    /// Whether the check fails.
    pub fail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateStatus {
    /// Nothing needs approval and `fail-on` is not met.
    NotNeeded,
    /// The label is present and covers every breaking change.
    Approved { breaking: usize },
    /// The label is missing.
    Missing,
    /// The label was present but breaking changes appeared after it was given.
    Stale { new: Vec<BreakingChange> },
}

/// Decides the gate. The label approves what is present when it is added; later runs hold
/// it to that set.
pub fn decide(input: &GateInput<'_>) -> Gate {
    let current: BTreeSet<String> = input
        .breaking
        .iter()
        .map(|b| b.fingerprint.clone())
        .collect();
    let needs_approval = input.approval_required || input.fail_on_met;
    if !input.label_present {
        return Gate {
            status: if needs_approval {
                GateStatus::Missing
            } else {
                GateStatus::NotNeeded
            },
            record: None,
            remove_label: false,
            fail: needs_approval,
        };
    }
    let approved = match (input.label_just_added, input.recorded) {
        // The architect acts now: the label approves what is there.
        (Some(true), _) => current.clone(),
        (_, Recorded::Approved(set)) => set.clone(),
        // Only the very set the digest was made of is approved; which changes are new cannot
        // be told, so all of them are named.
        (_, Recorded::ApprovedDigest(digest)) if *digest == set_digest(&current) => current.clone(),
        (_, Recorded::ApprovedDigest(_)) => BTreeSet::new(),
        // A label seen without a record and not being added now (it was on the PR before
        // these changes, or its approval could not be recorded) approves nothing.
        (Some(false), Recorded::Nothing) => BTreeSet::new(),
        // Under `workflow_run` the triggering action is unknown: the first sighting counts.
        (None, Recorded::Nothing) => current.clone(),
    };
    let mut seen = BTreeSet::new();
    let new: Vec<BreakingChange> = input
        .breaking
        .iter()
        .filter(|b| !approved.contains(&b.fingerprint) && seen.insert(b.fingerprint.clone()))
        .cloned()
        .collect();
    if !new.is_empty() {
        return Gate {
            status: GateStatus::Stale { new },
            record: None,
            remove_label: true,
            fail: true,
        };
    }
    Gate {
        status: GateStatus::Approved {
            breaking: current.len(),
        },
        // Keep what was approved: a change reverted and brought back was approved once.
        record: Some(approved),
        remove_label: false,
        fail: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Direction;

    fn change(pointer: &str, message: &str) -> Change {
        Change::new(
            Rule::OperationRemoved,
            Severity::Breaking,
            Direction::None,
            pointer,
            message,
        )
    }

    fn breaking(pointer: &str) -> BreakingChange {
        let change = change(pointer, "gone");
        BreakingChange {
            fingerprint: fingerprint("api/openapi.yaml", &change),
            file: "api/openapi.yaml".into(),
            change,
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_separate_parts() {
        let mut a = change("/paths/~1a", "gone");
        let b = a.clone();
        a.line = Some(10);
        assert_eq!(fingerprint("f", &a), fingerprint("f", &b));
        assert_ne!(fingerprint("f", &a), fingerprint("g", &a));
        assert_ne!(
            fingerprint("f", &change("/a", "bc")),
            fingerprint("f", &change("/ab", "c"))
        );
        assert_eq!(fingerprint("f", &a).len(), FINGERPRINT_HEX);
    }

    #[test]
    fn metadata_round_trips_and_garbage_approves_nothing() {
        let set: BTreeSet<String> = [breaking("/a").fingerprint, breaking("/b").fingerprint]
            .into_iter()
            .collect();
        let body = format!("{}\n## x\ntext", metadata_line(&set));
        assert_eq!(read_recorded(&body), Recorded::Approved(set.clone()));
        assert_eq!(
            read_recorded(&metadata_line(&BTreeSet::new())),
            Recorded::Approved(BTreeSet::new())
        );
        assert_eq!(read_recorded("no metadata here"), Recorded::Nothing);
        for hostile in [
            "<!-- contracts-diff:approved <script> -->",
            "<!-- contracts-diff:approved 0123456789abcdef,XYZ -->",
            "<!-- contracts-diff:approved 0123456789abcdef",
            "<!-- contracts-diff:approved  -->",
            "<!-- contracts-diff:approved 0123456789ABCDEF -->",
        ] {
            assert_eq!(
                read_recorded(hostile),
                Recorded::Approved(BTreeSet::new()),
                "{hostile}"
            );
        }
        let many: BTreeSet<String> = (0..MAX_LISTED + 1).map(|i| format!("{i:016x}")).collect();
        let line = metadata_line(&many);
        assert!(line.len() < 120, "a large set is recorded as a digest");
        assert_eq!(
            read_recorded(&line),
            Recorded::ApprovedDigest(set_digest(&many))
        );
    }

    fn ours(id: u64, author: &str, body: &str) -> IssueComment {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "user": {"login": author},
            "body": format!("<!-- guardians:contracts-diff -->\n{body}"),
        }))
        .unwrap()
    }

    #[test]
    fn only_the_fixed_place_of_our_own_comment_is_read() {
        let set: BTreeSet<String> = [breaking("/a").fingerprint].into_iter().collect();
        let forged = metadata_line(&set);
        // Context and added lines of the text diff we embed are report text, not metadata.
        let in_diff =
            format!("## API contract changes\n```diff\n {forged}\n+{forged}\n```\n{forged}");
        assert_eq!(read_recorded(&in_diff), Recorded::Nothing);
        let me = Identity::actions_bot();
        assert_eq!(
            read_recorded_from(&[ours(1, "github-actions[bot]", &in_diff)], &me),
            Recorded::Nothing
        );
        assert_eq!(
            read_recorded_from(&[ours(1, "github-actions[bot]", &forged)], &me),
            Recorded::Approved(set.clone())
        );
        assert_eq!(
            read_recorded_from(&[ours(1, "mallory", &forged)], &me),
            Recorded::Nothing
        );
        // Two of "our" comments that disagree: nothing is approved.
        let empty = metadata_line(&BTreeSet::new());
        assert_eq!(
            read_recorded_from(
                &[
                    ours(1, "github-actions[bot]", &forged),
                    ours(2, "github-actions[bot]", &empty)
                ],
                &me
            ),
            Recorded::Approved(BTreeSet::new())
        );
        assert_eq!(
            read_recorded_from(
                &[
                    ours(1, "github-actions[bot]", &forged),
                    ours(2, "github-actions[bot]", &forged)
                ],
                &me
            ),
            Recorded::Approved(set)
        );
    }

    fn input<'a>(
        label_present: bool,
        breaking: &'a [BreakingChange],
        recorded: &'a Recorded,
    ) -> GateInput<'a> {
        GateInput {
            label: "architect-approved",
            label_present,
            label_just_added: Some(false),
            approval_required: !breaking.is_empty(),
            fail_on_met: !breaking.is_empty(),
            breaking,
            recorded,
        }
    }

    #[test]
    fn label_missing_fails_when_breaking() {
        let changes = [breaking("/a")];
        let gate = decide(&input(false, &changes, &Recorded::Nothing));
        assert_eq!(gate.status, GateStatus::Missing);
        assert!(gate.fail && !gate.remove_label && gate.record.is_none());
        let gate = decide(&input(false, &[], &Recorded::Nothing));
        assert_eq!(gate.status, GateStatus::NotNeeded);
        assert!(!gate.fail);
    }

    #[test]
    fn added_label_approves_what_is_present_and_later_additions_are_stale() {
        let first = [breaking("/a")];
        let gate = decide(&GateInput {
            label_just_added: Some(true),
            ..input(true, &first, &Recorded::Nothing)
        });
        assert_eq!(gate.status, GateStatus::Approved { breaking: 1 });
        let recorded = Recorded::Approved(gate.record.clone().unwrap());
        assert!(!decide(&input(true, &first, &recorded)).fail);
        let later = [breaking("/a"), breaking("/b")];
        let gate = decide(&input(true, &later, &recorded));
        assert!(gate.fail && gate.remove_label && gate.record.is_none());
        let GateStatus::Stale { new } = gate.status else {
            panic!("expected stale approval");
        };
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].change.pointer, "/b");
    }

    #[test]
    fn a_label_present_before_the_changes_approves_nothing_unless_the_trigger_is_unknown() {
        let changes = [breaking("/a")];
        let gate = decide(&input(true, &changes, &Recorded::Nothing));
        assert!(gate.fail && gate.remove_label);
        assert!(!decide(&input(true, &[], &Recorded::Nothing)).fail);
        let gate = decide(&GateInput {
            label_just_added: None,
            ..input(true, &changes, &Recorded::Nothing)
        });
        assert_eq!(gate.status, GateStatus::Approved { breaking: 1 });
    }

    #[test]
    fn a_digest_approves_exactly_its_set() {
        let one = [breaking("/a")];
        let set: BTreeSet<String> = one.iter().map(|b| b.fingerprint.clone()).collect();
        let recorded = Recorded::ApprovedDigest(set_digest(&set));
        assert!(!decide(&input(true, &one, &recorded)).fail);
        let two = [breaking("/a"), breaking("/b")];
        let gate = decide(&input(true, &two, &recorded));
        assert!(gate.fail && gate.remove_label);
        let GateStatus::Stale { new } = gate.status else {
            panic!("expected stale approval");
        };
        assert_eq!(
            new.len(),
            2,
            "which change is new cannot be told from a digest"
        );
    }

    #[test]
    fn damaged_metadata_with_label_asks_again() {
        let changes = [breaking("/a")];
        let gate = decide(&input(
            true,
            &changes,
            &read_recorded("<!-- contracts-diff:approved zz -->"),
        ));
        assert!(gate.fail && gate.remove_label);
    }
}
