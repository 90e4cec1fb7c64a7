//! The PostHog project API key, never shown whole.

use std::fmt;

/// Debug and Display show only the key's prefix, so logs, errors and `--dry-run` output never
/// carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// `None` for an empty or blank key.
    pub fn new(key: &str) -> Option<Self> {
        let key = key.trim();
        (!key.is_empty()).then(|| Self(key.to_owned()))
    }

    /// The key itself, for the request body only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        let prefix: String = self.0.chars().take(4).collect();
        format!("{prefix}***")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows_in_debug_or_display() {
        let key = ApiKey::new("phc_SecretProjectKey123").unwrap();
        assert_eq!(format!("{key}"), "phc_***");
        assert_eq!(format!("{key:?}"), "ApiKey(phc_***)");
        assert!(!format!("{key:?}{key}").contains("Secret"));
        assert!(ApiKey::new("  ").is_none());
    }
}
