//! What the gate learned about a request before its handler runs: who is calling and the URL they used.

use crate::state::TokenKind;

/// Attached to every authenticated API request as an extension.
#[derive(Debug, Clone)]
pub(crate) struct RequestContext {
    pub login: String,
    pub kind: TokenKind,
    /// `http://HOST` as the client addressed us, for absolute URLs in bodies and `Link` headers.
    pub base_url: String,
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl RequestContext {
    /// The last value of query parameter `name`.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
