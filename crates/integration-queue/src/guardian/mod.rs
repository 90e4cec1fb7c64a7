//! integration-queue in the shape every guardian has (guardians-core's runner). Every trigger
//! leads to the same work — re-read the whole queue from GitHub and reconcile each base — so
//! `select` only says whether the trigger is one the queue answers; it never checks out or runs
//! PR code. `gather` reads in three rounds, `plan` is the pure decision of [`crate::plan`],
//! `apply` performs its writes in order with the ref lock.

mod apply;
mod gather;
mod settings;
mod slack;
mod stack;
mod status;

use guardians_core::github::Identity;
use guardians_core::runner::{CommonArgs, Guardian, RunError, Selection, Session};
use guardians_core::toolkit::AnnotationProps;
use jiff::Timestamp;

use crate::plan::{QueuePlan, plan};

pub use apply::{Applied, protection_refusal};
pub use gather::{Gathered, STATUS_CHECK, gather};
pub use settings::{Settings, settings};

/// The command line: the common flags, and `status` to print the queue without writing.
#[derive(Debug, clap::Parser)]
#[command(
    name = "integration-queue",
    version,
    about = "A merge queue with no server: batches labelled PRs onto the base in an integration \
             branch, and fast-forwards the base to exactly the commit that passed CI"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the queue (PRs in order, the batch under test with links to its CI, failed
    /// branches kept) on the terminal and in the step summary; write nothing to GitHub.
    Status {
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// The events the queue answers. Each one leads to a full reconcile; none runs PR code.
pub const TRIGGERS: &[&str] = &[
    "pull_request_target",
    "pull_request",
    "workflow_run",
    "check_suite",
    "check_run",
    "status",
    "workflow_dispatch",
    "schedule",
    "push",
];

pub struct IntegrationQueue;

pub struct Subject {
    settings: Settings,
    status_only: bool,
}

pub struct QueueFacts {
    pub gathered: Gathered,
    pub settings: Settings,
    identity: Identity,
    status_only: bool,
}

/// `status` from the command line, or the action's `command` input (`run` or `status`).
fn status_mode(cli: &Cli, session: &Session) -> Result<bool, RunError> {
    if matches!(cli.command, Some(Command::Status { .. })) {
        return Ok(true);
    }
    match session.toolkit.input("command").as_deref().map(str::trim) {
        None | Some("" | "run") => Ok(false),
        Some("status") => Ok(true),
        Some(other) => Err(RunError::Other(format!(
            "input `command`: `{}` is neither `run` nor `status`",
            guardians_core::toolkit::escape_data(other)
        ))),
    }
}

impl Guardian for IntegrationQueue {
    const NAME: &'static str = "integration-queue";
    type Cli = Cli;
    type Subject = Subject;
    type Facts = QueueFacts;
    type Plan = QueuePlan;

    fn common(cli: &Cli) -> &CommonArgs {
        match &cli.command {
            Some(Command::Status { common }) => common,
            None => &cli.common,
        }
    }

    async fn select(session: &Session, cli: &Cli) -> Result<Selection<Subject>, RunError> {
        let status_only = status_mode(cli, session)?;
        let event = session.context.event_name.as_str();
        if !status_only && !TRIGGERS.contains(&event) {
            return Ok(Selection::NothingToDo(format!(
                "the queue does not answer `{event}`; it runs on {}",
                TRIGGERS.join(", ")
            )));
        }
        // Settings live on the default branch: no PR can change how the queue treats it.
        let config_ref = match session.github_if_available() {
            Some(gh) => {
                #[derive(serde::Deserialize)]
                struct Repo {
                    default_branch: String,
                }
                let repo: Repo = gh
                    .get(&format!("/repos/{}", session.context.repository))
                    .await?;
                repo.default_branch
            }
            None => "main".to_string(),
        };
        let loaded = session.load_config(&config_ref).await?;
        session.toolkit.debug(&format!("config: {}", loaded.source));
        let settings = settings(&loaded.config.section()?, &session.toolkit)?;
        Ok(Selection::Subject(Subject {
            settings,
            status_only,
        }))
    }

    async fn gather(
        session: &Session,
        _cli: &Cli,
        subject: Subject,
    ) -> Result<QueueFacts, RunError> {
        let gh = session.github()?;
        let configured = session.toolkit.input("comment-author");
        let identity = Identity::resolve(
            gh,
            session.token().unwrap_or_default(),
            configured.as_deref(),
        )
        .await?;
        let gathered = gather(
            gh,
            &session.context.repository,
            &subject.settings,
            &identity.login,
            Timestamp::now(),
        )
        .await?;
        for note in &gathered.notes {
            session.toolkit.warning(
                &format!("integration-queue: {note}"),
                &AnnotationProps::default(),
            );
        }
        session.toolkit.info(&format!(
            "integration-queue: read the queue in {} round(s) of concurrent requests",
            gathered.rounds
        ));
        Ok(QueueFacts {
            gathered,
            settings: subject.settings,
            identity,
            status_only: subject.status_only,
        })
    }

    fn plan(facts: &QueueFacts) -> Result<QueuePlan, RunError> {
        Ok(plan(&facts.gathered.state))
    }

    async fn apply(
        session: &Session,
        facts: &QueueFacts,
        plan: &QueuePlan,
    ) -> Result<(), RunError> {
        let toolkit = &session.toolkit;
        if facts.status_only {
            let text = status::render(
                &facts.gathered,
                plan,
                &session.context.server_url,
                &session.context.repository,
            );
            toolkit.untrusted(&text);
            toolkit
                .append_summary(&text)
                .map_err(|e| RunError::Other(format!("could not write the step summary: {e}")))?;
            return Ok(());
        }
        let writer = apply::Writer {
            gh: session.github()?,
            repo: &session.context.repository,
            config: &facts.gathered.state.config,
            identity: facts.identity.clone(),
            landing: facts.settings.landing,
            state: &facts.gathered.state,
        };
        let applied = writer.apply(&plan.writes).await?;
        // With speculative lanes, the next lanes are stacked now rather than a sweep later.
        let stacked = match applied {
            Applied::Done => stack::stack_lanes(session, facts, plan).await?,
            Applied::Stopped(_) => Applied::Done,
        };
        if let Applied::Stopped(why) = &stacked {
            toolkit.notice(
                &format!("integration-queue: {why}"),
                &AnnotationProps::default(),
            );
        }
        if let Applied::Stopped(why) = &applied {
            toolkit.notice(
                &format!("integration-queue: {why}"),
                &AnnotationProps::default(),
            );
        }
        // Outcomes are announced only when every write happened: a stopped run's are redone
        // (and then announced) by the next run.
        if let (Applied::Done, Some(url)) = (&applied, &facts.settings.slack_webhook) {
            let messages = slack::messages(plan, &session.context.repository.to_string());
            if !messages.is_empty()
                && let Err(e) = slack::post(url, &messages).await
            {
                toolkit.warning(
                    &format!(
                        "integration-queue: {e}; the queue's work is done, only the Slack \
                         message is missing"
                    ),
                    &AnnotationProps::default(),
                );
            }
        }
        Ok(())
    }
}
