//! `GET /user`, GraphQL's `viewer`, and `GET /repos/{owner}/{name}`.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};

use super::{find_repo, ok};
use crate::api_error::{ApiError, Reply};
use crate::app::App;
use crate::render;
use crate::request_context::RequestContext;
use crate::state::TokenKind;

/// Installation tokens cannot read `/user` on GitHub; user tokens get their account.
pub(super) async fn get_user(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
) -> Reply {
    if ctx.kind == TokenKind::Bot {
        return Err(ApiError::NotAccessible);
    }
    let state = app.state();
    Ok(ok(render::user(&state, &ctx.base_url, &ctx.login)))
}

pub(super) async fn get_repo(
    State(app): State<App>,
    Extension(ctx): Extension<RequestContext>,
    Path((owner, name)): Path<(String, String)>,
) -> Reply {
    let state = app.state();
    let repo = find_repo(&state, &owner, &name)?;
    Ok(ok(render::repository(&state, &ctx.base_url, repo)))
}

/// `POST /graphql`, for the one query the guardians send: `viewer { login }`, which GitHub
/// answers for every kind of token (an App installation's is `<app-slug>[bot]`). Any other query
/// gets GraphQL's error shape (HTTP 200 with `errors`), as GitHub answers queries it cannot run.
pub(super) async fn graphql(Extension(ctx): Extension<RequestContext>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    struct Query {
        query: String,
    }
    let query: Query = super::json_body(&body)?;
    let compact: String = query.query.split_whitespace().collect();
    if compact == "query{viewer{login}}" || compact == "{viewer{login}}" {
        return Ok(ok(
            serde_json::json!({"data": {"viewer": {"login": ctx.login}}}),
        ));
    }
    Ok(ok(serde_json::json!({
        "errors": [{
            "message": "The fake GitHub answers only `query { viewer { login } }`.",
        }],
    })))
}
