//! `linguist-generated` from a `.gitattributes` file.
//!
//! Written by hand because no maintained crate parses `.gitattributes` on its own (gix's does,
//! inside a whole git implementation); we need one attribute from one file.

use globset::GlobMatcher;

use super::ignore_rules::gitignore_glob;

/// The files a `.gitattributes` marks as generated.
#[derive(Debug, Clone, Default)]
pub struct GeneratedFiles {
    /// In file order; the last matching line decides.
    rules: Vec<(GlobMatcher, bool)>,
}

impl GeneratedFiles {
    /// Parse the text of a `.gitattributes`. Lines we cannot use (macros, invalid patterns) are
    /// skipped, as git skips them.
    pub fn parse(text: &str) -> GeneratedFiles {
        let rules = text
            .lines()
            .filter_map(|line| {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') || line.starts_with("[attr]") {
                    return None;
                }
                let mut fields = line.split_whitespace();
                let pattern = fields.next()?;
                // git does not allow negative patterns in .gitattributes.
                if pattern.starts_with('!') {
                    return None;
                }
                let setting = fields.filter_map(linguist_generated).next_back()?;
                let matcher = gitignore_glob(pattern).ok()?.compile_matcher();
                Some((matcher, setting))
            })
            .collect();
        GeneratedFiles { rules }
    }

    pub fn is_empty(&self) -> bool {
        !self.rules.iter().any(|(_, generated)| *generated)
    }

    pub fn is_generated(&self, path: &str) -> bool {
        self.rules
            .iter()
            .rev()
            .find(|(matcher, _)| matcher.is_match(path))
            .is_some_and(|(_, generated)| *generated)
    }
}

/// `linguist-generated` / `=true` sets, `-linguist-generated` / `!linguist-generated` / `=false`
/// unsets; other attributes say nothing.
fn linguist_generated(attribute: &str) -> Option<bool> {
    match attribute {
        "linguist-generated" | "linguist-generated=true" => Some(true),
        "-linguist-generated" | "!linguist-generated" | "linguist-generated=false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_unmarks_generated_files() {
        let attrs = GeneratedFiles::parse(
            "# generated code\n\
             *.pb.go linguist-generated=true\n\
             api/client/** linguist-generated\n\
             api/client/hand_written.go -linguist-generated\n\
             *.md text eol=lf\n\
             [attr]binary -diff -merge -text\n",
        );
        assert!(attrs.is_generated("proto/a.pb.go"));
        assert!(attrs.is_generated("api/client/x.go"));
        assert!(!attrs.is_generated("api/client/hand_written.go"));
        assert!(!attrs.is_generated("README.md"));
        assert!(!attrs.is_empty());
    }

    #[test]
    fn a_file_without_the_attribute_marks_nothing() {
        let attrs = GeneratedFiles::parse("* text=auto\n*.png binary\n");
        assert!(attrs.is_empty());
        assert!(!attrs.is_generated("a.png"));
    }
}
