//! `GET /user` and `GET /repos/{owner}/{name}`.

use axum::Extension;
use axum::extract::{Path, State};

use super::{find_repo, ok};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::render;
use crate::request_context::RequestContext;
use crate::state::TokenKind;

/// Installation tokens cannot read `/user` on GitHub; user tokens get their account.
pub async fn get_user(State(app): State<App>, Extension(ctx): Extension<RequestContext>) -> Reply {
    if ctx.kind == TokenKind::Bot {
        return Err(ApiError::NotAccessible);
    }
    let state = app.state();
    Ok(ok(render::user(&state, &ctx.base_url, &ctx.login)))
}

pub async fn get_repo(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    Ok(ok(render::repository(&state, &ctx.base_url, repo)))
}
