//! size-labeler in the shape every guardian has (guardians-core's runner): `select` picks the
//! pull request through core's one target selection, `gather` reads the PR, its files, the
//! config and labels, `plan` sizes it and decides the labels, comment and verdict, `apply`
//! converges the labels and then the comment. `--git BASE...HEAD` needs no run context and
//! runs through `Guardian::local`.

use std::collections::BTreeMap;

use guardians_core::change_size::{FileListing, IgnoreRules, Totals};
use guardians_core::config::{self, ConfigSource, GuardiansConfig, LoadedConfig};
use guardians_core::event::PullRequest;
use guardians_core::github::Identity;
use guardians_core::runner::{
    self, CommonArgs, Exit, Guardian, RunError, Selection, Session, Target, Triggers,
};
use guardians_core::toolkit::{AnnotationProps, Toolkit};

use crate::apply::{self, ApplyError};
use crate::cli::Cli;
use crate::comment::COMMENT_KEY;
use crate::facts::Facts;
use crate::plan::{self, Plan};
use crate::settings::Settings;
use crate::{gather, inputs, local, report};

pub struct SizeLabeler;

/// The `pull_request` actions that can change a PR's size or labels.
pub(crate) const TRIGGER_ACTIONS: &[&str] = &[
    "opened",
    "reopened",
    "synchronize",
    "edited",
    "ready_for_review",
];

/// Pull requests by their actions; any other event (the fork-safe `workflow_run` split) when
/// `pr-number` / `--pr` names the PR — and a fork's run only for the PR whose head it built.
pub(crate) const TRIGGERS: Triggers = Triggers {
    guardian: "size-labeler",
    pull_request_actions: TRIGGER_ACTIONS,
    workflow_run: false,
    deployment_status: false,
    any_event_with_pr_number: true,
};

/// What `plan` decides from, and what `apply` needs besides the plan.
pub struct RunFacts {
    facts: Facts,
    settings: Settings,
    rules: IgnoreRules,
    /// Who we comment as; `None` when no size comment is configured (then it is never asked).
    identity: Option<Identity>,
    config_source: ConfigSource,
    dry_run: bool,
}

/// The plan with the step's outputs, as `--json` prints it.
#[derive(Debug, serde::Serialize)]
pub struct Decision {
    #[serde(flatten)]
    plan: Plan,
    outputs: BTreeMap<&'static str, String>,
    #[serde(skip)]
    dry_run: bool,
}

impl Decision {
    pub(crate) fn new(plan: Plan, dry_run: bool) -> Decision {
        Decision {
            outputs: report::outputs(&plan).into_iter().collect(),
            plan,
            dry_run,
        }
    }
}

impl runner::Plan for Decision {
    fn failed(&self) -> bool {
        self.plan.fail
    }

    fn markdown(&self) -> String {
        report::markdown(&self.plan, self.dry_run)
    }

    fn outputs(&self) -> Vec<(&'static str, String)> {
        report::outputs(&self.plan)
    }

    /// The verdict, said where the author looks (dry runs too); the exit code follows from
    /// `failed`.
    fn annotate(&self, toolkit: &Toolkit) {
        if self.plan.fail {
            toolkit.error(
                &format!(
                    "This pull request is {} ({} lines), at or above `fail-on-size`. Split it, or raise `fail-on-size`.",
                    self.plan.bucket.label, self.plan.measurement.lines
                ),
                &AnnotationProps {
                    title: Some("Pull request too large".into()),
                    ..Default::default()
                },
            );
        }
    }
}

impl Guardian for SizeLabeler {
    const NAME: &'static str = "size-labeler";
    type Cli = Cli;
    type Subject = Target;
    type Facts = RunFacts;
    type Plan = Decision;

    fn common(cli: &Cli) -> &CommonArgs {
        &cli.common
    }

    fn local(cli: &Cli, toolkit: &Toolkit) -> Option<Result<Exit, RunError>> {
        let range = cli.git.as_deref()?;
        Some(local::run(cli, range, toolkit))
    }

    async fn select(session: &Session, _cli: &Cli) -> Result<Selection<Target>, RunError> {
        runner::select_pull_request(session, &TRIGGERS).await
    }

    async fn gather(session: &Session, _cli: &Cli, subject: Target) -> Result<RunFacts, RunError> {
        let inputs = inputs::read(&session.toolkit)?;
        let Some(gh) = session.github_if_available() else {
            if !session.dry_run {
                return Err(RunError::MissingToken);
            }
            return offline(session, &subject.pull_request, &inputs);
        };
        // With a local config the decision to list files can be made before any request.
        let (local_config, files_needed) = match &session.args.config {
            Some(path) => {
                let local = config::load_from_file(path)?;
                let settings = resolve(&local.config, &inputs)?;
                let needs_files = !inputs::ignore_rules(&settings, None)?.ignores_nothing()
                    || settings.size.ignore_generated;
                (Some(local), Some(needs_files))
            }
            None => (None, None),
        };
        let fresh = subject.read_now.then_some(&subject.pull_request);
        let gathered = gather::gather(
            session,
            gh,
            &subject.pull_request,
            fresh,
            local_config,
            files_needed,
        )
        .await?;
        let settings = resolve(&gathered.config.config, &inputs)?;
        let rules = inputs::ignore_rules(&settings, gathered.gitattributes.as_deref())?;
        let mut facts = gathered.facts;
        if rules.ignores_nothing() {
            facts.files = FileListing::NotNeeded;
        }
        // Who we comment as matters only when a size comment is configured; then our comments
        // are read too (one more round trip, after the config says so), by core's one lookup.
        let identity = match settings.comment_on {
            Some(_) => {
                let (identity, ours) = session
                    .sticky_comments(facts.number, COMMENT_KEY, None)
                    .await?;
                facts.sticky_comments = Some(ours);
                Some(identity)
            }
            None => None,
        };
        Ok(RunFacts {
            facts,
            settings,
            rules,
            identity,
            config_source: gathered.config.source,
            dry_run: session.dry_run,
        })
    }

    fn plan(facts: &RunFacts) -> Result<Decision, RunError> {
        let plan = plan::plan(&facts.facts, &facts.settings, &facts.rules);
        Ok(Decision::new(plan, facts.dry_run))
    }

    async fn apply(
        session: &Session,
        facts: &RunFacts,
        decision: &Decision,
    ) -> Result<(), RunError> {
        let gh = session.github()?;
        let plan = &decision.plan;
        let toolkit = &session.toolkit;
        toolkit.info(&format!(
            "size: {} ({} lines; config: {})",
            plan.bucket.label, plan.measurement.lines, facts.config_source
        ));
        let existing = facts.facts.sticky_comments.clone().unwrap_or_default();
        let outcome = apply::apply(
            plan,
            gh,
            &session.context.repository,
            facts.identity.as_ref(),
            &existing,
            facts.facts.known_labels.as_ref(),
        )
        .await
        .map_err(|err| match err {
            ApplyError::Api(err) => RunError::Api(err),
            // Half-applied labels after the second pass: say what is left and exit 3, so a
            // re-run (once GitHub recovers) repairs them. No comment claims the size meanwhile.
            ApplyError::Labels(err) => {
                RunError::Unavailable(format!("size labels not updated: {err}"))
            }
        })?;
        if outcome.labels_added.is_empty() && outcome.labels_removed.is_empty() {
            toolkit.info("labels already right; nothing written");
        }
        Ok(())
    }
}

fn resolve(
    config: &GuardiansConfig,
    inputs: &crate::settings::InputOverrides,
) -> Result<Settings, RunError> {
    Settings::resolve(&config.section()?, inputs).map_err(|e| RunError::Other(e.to_string()))
}

/// No token and `--dry-run`: size from the payload's totals, settings from `--config` or the
/// defaults.
fn offline(
    session: &Session,
    pr: &PullRequest,
    inputs: &crate::settings::InputOverrides,
) -> Result<RunFacts, RunError> {
    let loaded = match &session.args.config {
        Some(path) => config::load_from_file(path)?,
        None => LoadedConfig {
            config: GuardiansConfig::default(),
            source: ConfigSource::Defaults,
        },
    };
    let settings = resolve(&loaded.config, inputs)?;
    let rules = inputs::ignore_rules(&settings, None)?;
    let facts = Facts {
        number: pr.number,
        head_sha: pr.head.sha.clone(),
        totals: Totals {
            additions: pr.additions.unwrap_or(0),
            deletions: pr.deletions.unwrap_or(0),
            changed_files: pr.changed_files.unwrap_or(0),
        },
        files: FileListing::Unavailable,
        current_labels: pr.labels.iter().map(|l| l.name.clone()).collect(),
        sticky_comments: None,
        known_labels: None,
    };
    Ok(RunFacts {
        facts,
        settings,
        rules,
        identity: None,
        config_source: loaded.source,
        dry_run: true,
    })
}
