//! Who the token is, so that a sticky comment is only ever one we wrote.
//!
//! A comment carrying our hidden marker could have been pasted by anyone; only comments by the
//! token's own account are ours to update or delete.

use super::{ApiError, GitHub};

/// The login `GITHUB_TOKEN` comments as.
pub const ACTIONS_BOT: &str = "github-actions[bot]";

/// The account whose comments a guardian may edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub login: String,
}

impl Identity {
    /// Resolve the token's login. Installation tokens (`ghs_`: `GITHUB_TOKEN` and GitHub Apps)
    /// cannot call `GET /user`, so their login is `configured` (the `comment-author` input) or
    /// `github-actions[bot]` without a call. Other tokens ask `GET /user`; a refusal there falls
    /// back the same way.
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
