//! The pure decision for a pull request: the contract diff, then the approval gate on it —
//! both here, so that nothing is decided after `plan` (apply and the renderers only read it).

use guardians_core::github::Identity;
use guardians_core::github::models::IssueComment;

use crate::approval::{self, BreakingChange, Gate, GateInput};
use crate::config::ContractsDiffConfig;
use crate::limits::Limits;
use crate::plan::{self, Facts, Plan};

/// Everything read about the pull request.
#[derive(Debug, Clone)]
pub struct PrFacts {
    pub number: u64,
    /// The `contracts-diff:` section of the base branch's config, with inputs and flags applied.
    pub config: ContractsDiffConfig,
    pub limits: Limits,
    /// Both versions of each changed contract, the endpoint files, what could not be read or
    /// listed.
    pub diff: Facts,
    /// How the contents were found, for the report (a capped listing completed, ...).
    pub notes: Vec<String>,
    /// Whether the approval label is on the PR now.
    pub label_present: bool,
    /// `Some(true)` on the `labeled` event naming the approval label, `Some(false)` on any
    /// other pull-request event, None when the trigger is unknown (`workflow_run`).
    pub label_just_added: Option<bool>,
    /// Whose comment is ours, and our sticky comments as found: the approval record is read
    /// from them, and `apply` updates them.
    pub identity: Identity,
    pub comments: Vec<IssueComment>,
}

/// What to do about the pull request, and why.
#[derive(Debug, Clone)]
pub struct PrPlan {
    pub number: u64,
    pub diff: Plan,
    pub breaking: Vec<BreakingChange>,
    pub gate: Gate,
    pub label: String,
    pub notes: Vec<String>,
    /// Write the sticky comment: there is something to report, or a comment of ours to bring
    /// up to date (a PR without contract changes and without our comment gets none).
    pub write_comment: bool,
}

impl PrPlan {
    /// The approval label to take off the PR, when the approval went stale.
    pub fn remove_label(&self) -> Option<&str> {
        self.gate.remove_label.then_some(self.label.as_str())
    }
}

/// Decides the diff and the gate.
pub(crate) fn plan(facts: &PrFacts) -> PrPlan {
    let diff = plan::plan(&facts.diff, &facts.config, &facts.limits);
    let breaking = approval::breaking_changes(&diff);
    let label = facts.config.approval_label.clone();
    let recorded = approval::read_recorded_from(&facts.comments, &facts.identity);
    let gate = approval::decide(&GateInput {
        label: &label,
        label_present: facts.label_present,
        label_just_added: facts.label_just_added,
        approval_required: diff.approval_required,
        fail_on_met: diff.fail,
        breaking: &breaking,
        recorded: &recorded,
    });
    let write_comment = !diff.files.is_empty() || !facts.comments.is_empty();
    PrPlan {
        number: facts.number,
        diff,
        breaking,
        gate,
        label,
        notes: facts.notes.clone(),
        write_comment,
    }
}
