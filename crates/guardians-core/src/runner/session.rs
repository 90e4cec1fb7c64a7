//! One run of a guardian: its context, settings source, token and client.

use std::sync::Arc;

use crate::config::{self, LoadedConfig};
use crate::context::{Context, EnvSource, ProcessEnv};
use crate::github::{ApiError, GitHub};
use crate::toolkit::{AnnotationProps, Toolkit};

use super::CommonArgs;

/// Why a run could not start or finish. `Display` is for the person reading the log.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Context(#[from] crate::context::ContextError),
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Input(#[from] crate::toolkit::InputError),
    #[error(
        "no GitHub token: set the `github-token` input (default `${{{{ github.token }}}}`) or GITHUB_TOKEN; \
         to preview without one, pass --dry-run"
    )]
    MissingToken,
    #[error("{0}")]
    Other(String),
    /// A service other than GitHub (a telemetry sink, a preview URL) or the network failed
    /// after the guardian's bounded retries: exit 3, like GitHub failing.
    #[error("{0}")]
    Unavailable(String),
}

impl From<config::LoadError> for RunError {
    fn from(err: config::LoadError) -> Self {
        match err {
            config::LoadError::Api(e) => RunError::Api(e),
            config::LoadError::Config(e) => RunError::Config(e),
        }
    }
}

/// The run's context, with the client when a token is available.
pub struct Session {
    pub toolkit: Toolkit,
    pub context: Context,
    pub args: CommonArgs,
    pub dry_run: bool,
    token: Option<String>,
    github: Option<GitHub>,
}

impl Session {
    /// Read the context from the process environment and `args`.
    pub fn open(args: CommonArgs, toolkit: Toolkit) -> Result<Session, RunError> {
        Self::open_with_env(args, toolkit, Arc::new(ProcessEnv))
    }

    pub fn open_with_env(
        args: CommonArgs,
        toolkit: Toolkit,
        env: Arc<dyn EnvSource>,
    ) -> Result<Session, RunError> {
        let context = Context::load(env.as_ref(), &args.context_overrides())?;
        let dry_run = args.dry_run || toolkit.input_bool("dry-run")?.unwrap_or(false);
        let token = toolkit
            .input("github-token")
            .or_else(|| env.var("GITHUB_TOKEN").filter(|t| !t.trim().is_empty()))
            .map(|t| t.trim().to_string());
        if let Some(token) = &token {
            toolkit.mask(token);
        }
        let github = match &token {
            Some(token) => Some(
                GitHub::new(&context.api_url, token)?
                    .with_wait_notice(wait_notice(env.clone()))
                    .with_workflow_token(
                        env.var(crate::github::identity::WORKFLOW_TOKEN_ENV)
                            .is_some_and(|workflow| workflow.trim() == token),
                    ),
            ),
            None => None,
        };
        Ok(Session {
            toolkit,
            context,
            args,
            dry_run,
            token,
            github,
        })
    }

    /// The client; a run that must talk to GitHub and has no token stops here with the fix.
    pub fn github(&self) -> Result<&GitHub, RunError> {
        self.github.as_ref().ok_or(RunError::MissingToken)
    }

    /// The client when there is a token (dry runs may go without one).
    pub fn github_if_available(&self) -> Option<&GitHub> {
        self.github.as_ref()
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Settings: `--config FILE` when given, otherwise `.github/guardians.yml` at `base_ref`
    /// through the API, otherwise (offline dry run) the defaults.
    pub async fn load_config(&self, base_ref: &str) -> Result<LoadedConfig, RunError> {
        if let Some(path) = &self.args.config {
            return Ok(config::load_from_file(path)?);
        }
        match &self.github {
            Some(gh) => Ok(config::load_from_ref(gh, &self.context.repository, base_ref).await?),
            None => Ok(LoadedConfig {
                config: config::GuardiansConfig::default(),
                source: config::ConfigSource::Defaults,
            }),
        }
    }

    /// A boolean input that defaults to `default`.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, RunError> {
        Ok(self.toolkit.input_bool(name)?.unwrap_or(default))
    }
}

/// The client says in the step's log when it waits on a rate limit (a minute or more looks like
/// a hung step otherwise). Its own handle on stdout, as the runner's toolkit belongs to the
/// session.
fn wait_notice(env: Arc<dyn EnvSource>) -> crate::github::WaitNotice {
    let log = Toolkit::new(env, Box::new(std::io::stdout()))
        .with_diagnostics(Box::new(std::io::stderr()));
    Arc::new(move |line: &str| log.warning(line, &AnnotationProps::default()))
}
