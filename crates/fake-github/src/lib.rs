//! A stateful fake of the GitHub REST API over HTTP, for end-to-end tests, benchmarks and workflow tests.
//!
//! ```no_run
//! use fake_github::{FakeGitHub, FileSeed, PullSeed};
//!
//! let github = FakeGitHub::start();
//! github.state().add_pull("o/r", PullSeed::new(1).file(FileSeed::new("src/lib.rs", 10, 2)));
//! // point the code under test at github.url() with token "ghs_test", then:
//! assert!(github.writes().is_empty());
//! ```

mod api_error;
mod app;
mod call_log;
pub mod cli;
mod fault;
mod gate;
pub mod git;
mod limits;
mod pagination;
mod render;
mod request_context;
mod routes;
mod seed;
mod seed_file;
mod seed_git;
mod server;
mod state;
mod view;

pub use call_log::Call;
pub use fault::{Fault, FaultError, SECONDARY_RATE_LIMIT_MESSAGE};
pub use gate::SUPPORTED_API_VERSIONS;
pub use git::{Change, GitError, GitRepoMut};
pub use limits::SecondaryLimits;
pub use routes::{MAX_COMMENT_CHARS, MAX_PULL_COMMITS, MAX_PULL_FILES};
pub use seed::{
    CommitSeed, FileSeed, GeneratedFiles, JobSeed, PullSeed, RefSeed, RunSeed, fake_sha,
};
pub use seed_file::{CommentSeed, LabelSeed, RepoSeed, SeedDocument, SeedError};
pub use seed_git::{CiSeed, GitCommitSeed, GitPullSeed, GitSeed, ProtectionSeed, StatusSeed};
pub use server::FakeGitHub;
pub use state::{
    DEFAULT_LOGIN, DEFAULT_TOKEN, Deployment, DeploymentStatus, GitRef, IssueComment, Job, Label,
    Permission, Pull, PullCommit, PullFile, PullState, Repo, State, TokenInfo, TokenKind, UserInfo,
    WorkflowRun,
};
pub use view::PullView;
