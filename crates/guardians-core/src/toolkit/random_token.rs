//! Unguessable tokens for heredoc delimiters and `stop-commands`.

use std::fmt::Write;

use rand::RngCore;

/// 128 random bits as lowercase hex in UUID layout (`8-4-4-4-12`). Text written by a pull
/// request's author cannot contain it except by chance (2^-128), so it cannot close a heredoc
/// or resume workflow commands early.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let mut token = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            token.push('-');
        }
        // Writing into a String cannot fail.
        let _ = write!(token, "{byte:02x}");
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_uuid_layout_and_differ() {
        let first = random_token();
        assert_eq!(first.len(), 36);
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(first.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_ne!(first, random_token());
    }
}
