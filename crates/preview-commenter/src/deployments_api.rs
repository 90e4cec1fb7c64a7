//! Performing a [`crate::deployments::DeploymentPlan`] through the Deployments API.
//!
//! Environments are independent, so their requests go out together; within one environment
//! the order is the API's (create, then `in_progress`, then the outcome).

use futures::stream::{self, StreamExt, TryStreamExt};
use guardians_core::context::RepoName;
use guardians_core::github::pagination::{self, PAGE_CONCURRENCY};
use guardians_core::github::{ApiError, GitHub, path};
use serde::Deserialize;

use crate::deployments::{NewDeployment, StatusUpdate};

#[derive(Debug, Deserialize)]
struct Created {
    id: u64,
}

/// A deployment created by this run, for its later status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedDeployment {
    pub environment: String,
    pub id: u64,
}

/// Creates each deployment and gives it its `in_progress` status. `create` and `started` are
/// paired by position (as `deployments::starting` returns them). The deployments that made it
/// come back even when another failed, so their outcome can still be recorded.
pub(crate) async fn start(
    gh: &GitHub,
    repo: &RepoName,
    create: &[NewDeployment],
    started: &[StatusUpdate],
) -> (Vec<StartedDeployment>, Option<ApiError>) {
    let results = futures::future::join_all(create.iter().zip(started).map(
        |(deployment, status)| async move {
            let created: Created = gh
                .post(&format!("/repos/{repo}/deployments"), deployment)
                .await
                .map_err(|err| (None, err))?;
            let started = StartedDeployment {
                environment: deployment.environment.clone(),
                id: created.id,
            };
            match post_status(gh, repo, created.id, status).await {
                Ok(()) => Ok(started),
                Err(err) => Err((Some(started), err)),
            }
        },
    ))
    .await;
    let mut ok = Vec::new();
    let mut first_error = None;
    for result in results {
        match result {
            Ok(started) => ok.push(started),
            Err((started, err)) => {
                ok.extend(started);
                first_error.get_or_insert(err);
            }
        }
    }
    (ok, first_error)
}

/// Gives each started deployment the status of its environment in `finished`.
pub(crate) async fn finish(
    gh: &GitHub,
    repo: &RepoName,
    started: &[StartedDeployment],
    finished: &[StatusUpdate],
) -> Result<(), ApiError> {
    futures::future::try_join_all(started.iter().filter_map(|deployment| {
        let status = finished
            .iter()
            .find(|s| s.environment == deployment.environment)?;
        Some(post_status(gh, repo, deployment.id, status))
    }))
    .await
    .map(drop)
}

/// Marks every deployment of each status's environment with that status (`inactive` on
/// close); returns how many deployments were marked.
pub(crate) async fn deactivate(
    gh: &GitHub,
    repo: &RepoName,
    statuses: &[StatusUpdate],
) -> Result<usize, ApiError> {
    #[derive(Deserialize)]
    struct Listed {
        id: u64,
    }
    let listed = futures::future::try_join_all(statuses.iter().map(|status| async move {
        let path = format!(
            "/repos/{repo}/deployments?environment={}",
            path::query_value(&status.environment)
        );
        let deployments: Vec<Listed> = pagination::fetch_all(gh, &path).await?;
        Ok::<_, ApiError>(deployments.into_iter().map(move |d| (d.id, status)))
    }))
    .await?;
    let targets: Vec<(u64, &StatusUpdate)> = listed.into_iter().flatten().collect();
    let count = targets.len();
    stream::iter(targets)
        .map(|(id, status)| post_status(gh, repo, id, status))
        .buffer_unordered(PAGE_CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(count)
}

async fn post_status(
    gh: &GitHub,
    repo: &RepoName,
    id: u64,
    status: &StatusUpdate,
) -> Result<(), ApiError> {
    gh.post::<_, serde_json::Value>(&format!("/repos/{repo}/deployments/{id}/statuses"), status)
        .await
        .map(drop)
}
