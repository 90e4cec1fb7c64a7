//! A plain HTTP client for talking to the fake, as the real client code would.

#![allow(dead_code)]

use reqwest::{Client, Method, Response};
use serde_json::Value;

pub(crate) fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .build()
        .expect("a plain HTTP client builds")
}

pub(crate) struct Api {
    pub base: String,
    pub token: Option<String>,
    pub client: Client,
}

impl Api {
    pub(crate) fn new(base: &str) -> Api {
        Api {
            base: base.to_owned(),
            token: Some("ghs_test".to_owned()),
            client: client(),
        }
    }

    pub(crate) fn with_token(base: &str, token: Option<&str>) -> Api {
        Api {
            base: base.to_owned(),
            token: token.map(str::to_owned),
            client: client(),
        }
    }

    pub(crate) async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{}", self.base, path)
        };
        let mut request = self
            .client
            .request(method, url)
            .header("accept", "application/vnd.github+json");
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the fake answers")
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }

    pub(crate) async fn json(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let response = self.send(method, path, body).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON body")
        };
        (status, value)
    }
}

/// The URL with `rel` in a `Link` header, if present.
pub(crate) fn link(response: &Response, rel: &str) -> Option<String> {
    let header = response.headers().get("link")?.to_str().ok()?;
    header.split(", ").find_map(|part| {
        let (url, rest) = part.split_once(">; ")?;
        (rest == format!("rel=\"{rel}\"")).then(|| url.trim_start_matches('<').to_owned())
    })
}

pub(crate) fn rels(response: &Response) -> Vec<String> {
    response
        .headers()
        .get("link")
        .and_then(|h| h.to_str().ok())
        .map(|h| {
            h.split(", ")
                .filter_map(|p| p.split_once("; rel=\""))
                .map(|(_, r)| r.trim_end_matches('"').to_owned())
                .collect()
        })
        .unwrap_or_default()
}
