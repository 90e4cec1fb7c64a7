//! The record of every API request the fake answered, for tests that assert on round trips and writes.

use serde::{Deserialize, Serialize};

/// One request and the status it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub method: String,
    /// The path as sent (percent-encoding kept), e.g. `/repos/o/r/issues/1/labels/size%2FXS`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    pub status: u16,
    /// The token from the `Authorization` header, if one was sent.
    pub token: Option<String>,
    /// The request body as text (empty for GET).
    pub body: String,
    /// Every request header as received, in order, names lower-cased; a header sent twice
    /// appears twice.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl Call {
    /// A request that changes state. A GraphQL `POST /graphql` is a query, not a write.
    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS") && self.path != "/graphql"
    }

    /// The values of request header `name` (any case), in the order sent.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// `"GET /repos/o/r/pulls/1"`: handy in assertions.
    pub fn line(&self) -> String {
        match &self.query {
            Some(q) => format!("{} {}?{} -> {}", self.method, self.path, q, self.status),
            None => format!("{} {} -> {}", self.method, self.path, self.status),
        }
    }
}
