//! `{branch_slug}`: a branch name made fit for one DNS label.

/// Longest DNS label (RFC 1035).
const MAX_LABEL: usize = 63;

/// Used when nothing of the branch name survives, so URLs never get an empty label.
const EMPTY_FALLBACK: &str = "branch";

/// Lower-cases the branch, turns every run of characters other than ASCII letters and digits
/// (slashes, dots, underscores, non-ASCII letters...) into one `-`, trims dashes at both ends,
/// and cuts the result to 63 characters (trimming a dash the cut exposes). A branch with no
/// ASCII letter or digit becomes `branch`.
///
/// Hosting providers each slug branches their own way; this rule is documented so a deploy step
/// can reproduce it, and an environment URL can use `{branch}` or `{number}` instead.
pub(crate) fn branch_slug(branch: &str) -> String {
    let mut slug = String::with_capacity(branch.len().min(MAX_LABEL));
    let mut pending_dash = false;
    for c in branch.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
            if slug.len() >= MAX_LABEL {
                break;
            }
        } else {
            pending_dash = true;
        }
    }
    slug.truncate(MAX_LABEL);
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() {
        EMPTY_FALLBACK.to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::branch_slug;

    #[test]
    fn slashes_dots_and_underscores_become_single_dashes() {
        assert_eq!(
            branch_slug("feature/Login_Page.v2"),
            "feature-login-page-v2"
        );
        assert_eq!(branch_slug("a//b__c"), "a-b-c");
        assert_eq!(
            branch_slug("dependabot/npm_and_yarn/lodash-4.17.21"),
            "dependabot-npm-and-yarn-lodash-4-17-21"
        );
    }

    #[test]
    fn leading_and_trailing_separators_are_trimmed() {
        assert_eq!(branch_slug("--fix-"), "fix");
        assert_eq!(branch_slug("/release/1.0/"), "release-1-0");
        assert_eq!(branch_slug("_-_x_-_"), "x");
    }

    #[test]
    fn unicode_letters_are_separators_not_kept() {
        assert_eq!(branch_slug("fix/ÜBER-straße"), "fix-ber-stra-e");
        assert_eq!(branch_slug("日本語/テスト-1"), "1");
        assert_eq!(branch_slug("emoji🚀launch"), "emoji-launch");
    }

    #[test]
    fn empty_or_all_separator_branch_falls_back() {
        assert_eq!(branch_slug(""), "branch");
        assert_eq!(branch_slug("///"), "branch");
        assert_eq!(branch_slug("日本語"), "branch");
    }

    #[test]
    fn capped_at_63_characters_without_a_trailing_dash() {
        let long = "a".repeat(100);
        assert_eq!(branch_slug(&long), "a".repeat(63));

        // The cut lands right after a separator: the exposed dash goes too.
        let branch = format!("{}/{}", "b".repeat(62), "c".repeat(10));
        let slug = branch_slug(&branch);
        assert_eq!(slug, "b".repeat(62));

        let branch = format!("{}/{}", "d".repeat(61), "e".repeat(10));
        assert_eq!(branch_slug(&branch), format!("{}-e", "d".repeat(61)));
    }

    #[test]
    fn every_slug_is_a_valid_dns_label() {
        for branch in [
            "",
            "-",
            "A",
            "x/y",
            "ÄÖÜ",
            "a\u{0}b",
            "a b\tc\n",
            &"z-".repeat(80),
        ] {
            let slug = branch_slug(branch);
            assert!(
                !slug.is_empty() && slug.len() <= 63,
                "{branch:?} -> {slug:?}"
            );
            assert!(
                !slug.starts_with('-') && !slug.ends_with('-'),
                "{branch:?} -> {slug:?}"
            );
            assert!(
                slug.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{branch:?} -> {slug:?}"
            );
        }
    }
}
