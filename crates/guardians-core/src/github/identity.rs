//! Who the token is, so that a sticky comment is only ever one we wrote.
//!
//! A comment carrying our hidden marker could have been pasted by anyone; only comments by the
//! token's own account are ours to update or delete.
//!
//! Installation tokens (`ghs_`) come from the workflow's `GITHUB_TOKEN` (commenting as
//! `github-actions[bot]`) and from GitHub Apps (commenting as `<app-slug>[bot]`); the two cannot
//! be told apart by their form, and `GET /user` refuses both (403). GraphQL's `viewer` answers
//! for every kind of token — the person for a user token, `<app-slug>[bot]` for an App
//! installation, `github-actions[bot]` for `GITHUB_TOKEN` — so one query learns the login.
//!
//! The common case costs no call: each action passes the workflow's token a second time, as
//! [`WORKFLOW_TOKEN_ENV`] (`${{ github.token }}`, which the step cannot otherwise see), and a
//! `github-token` equal to it is `GITHUB_TOKEN`, so `github-actions[bot]`.

use super::{ApiError, GitHub};

/// The variable each action sets to `${{ github.token }}`, to recognise the workflow's token.
pub const WORKFLOW_TOKEN_ENV: &str = "GUARDIANS_WORKFLOW_TOKEN";

/// The login `GITHUB_TOKEN` comments as.
pub const ACTIONS_BOT: &str = "github-actions[bot]";

/// The account whose comments a guardian may edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub login: String,
}

#[derive(serde::Deserialize)]
struct ViewerAnswer {
    data: Option<ViewerData>,
}

#[derive(serde::Deserialize)]
struct ViewerData {
    viewer: Viewer,
}

#[derive(serde::Deserialize)]
struct Viewer {
    login: String,
}

impl Identity {
    /// Resolve the token's login: `configured` (the `comment-author` input) when given, and
    /// `github-actions[bot]` for the workflow's own token, with no call; otherwise one GraphQL
    /// `viewer` query. Where GraphQL is unavailable (refused, or an
    /// Enterprise Server without it), a user token falls back to `GET /user` and an installation
    /// token to `github-actions[bot]`.
    pub async fn resolve(
        gh: &GitHub,
        token: &str,
        configured: Option<&str>,
    ) -> Result<Identity, ApiError> {
        if let Some(login) = configured.filter(|l| !l.trim().is_empty()) {
            return Ok(Identity {
                login: login.trim().to_string(),
            });
        }
        if gh.is_workflow_token() {
            return Ok(Self::actions_bot());
        }
        match gh
            .graphql::<ViewerAnswer>("query { viewer { login } }")
            .await
        {
            Ok(ViewerAnswer {
                data: Some(ViewerData { viewer }),
            }) => {
                return Ok(Identity {
                    login: viewer.login,
                });
            }
            // `{"errors": [...]}` without data: fall back below.
            Ok(_) => {}
            Err(err) if matches!(err.status(), Some(403 | 404)) => {}
            Err(err) => return Err(err),
        }
        if token.starts_with("ghs_") {
            return Ok(Self::actions_bot());
        }
        #[derive(serde::Deserialize)]
        struct Me {
            login: String,
        }
        match gh.get::<Me>("/user").await {
            Ok(me) => Ok(Identity { login: me.login }),
            Err(err) if err.status() == Some(403) => Ok(Self::actions_bot()),
            Err(err) => Err(err),
        }
    }

    pub fn actions_bot() -> Identity {
        Identity {
            login: ACTIONS_BOT.to_string(),
        }
    }

    pub fn is(&self, login: Option<&str>) -> bool {
        login.is_some_and(|l| l.eq_ignore_ascii_case(&self.login))
    }
}
