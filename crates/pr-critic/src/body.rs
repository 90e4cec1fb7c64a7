//! The PR description, parsed into sections. It is untrusted: it is read, never repeated.

use crate::cues::{self, Cues};
use crate::heading::{body_matches_template, contains_words};
use crate::markdown::{Document, Section};

/// GitHub stores at most 65,536 characters of a PR body; longer input (from a file on the command
/// line) is cut there, with a note in the report.
pub const MAX_BODY_CHARS: usize = 65_536;

/// How much of the description was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyExtent {
    /// The PR has no description at all (`"body": null`).
    Null,
    /// All of it was read.
    Complete { chars: usize },
    /// Only the first `kept` of `chars` characters were read.
    Truncated { chars: usize, kept: usize },
}

/// A parsed PR description.
#[derive(Debug, Clone)]
pub struct Body {
    pub document: Document,
    pub extent: BodyExtent,
}

impl Body {
    pub fn parse(text: Option<&str>) -> Self {
        Self::parse_with(text, &Cues::default())
    }

    /// Parses the description of a template whose questions are pseudo-headings: the lines that
    /// ask them are read as headings (see [`crate::cues`]).
    pub fn parse_with(text: Option<&str>, template_cues: &Cues) -> Self {
        let Some(text) = text else {
            return Self {
                document: Document::default(),
                extent: BodyExtent::Null,
            };
        };
        let (kept, truncated) = truncate_chars(text, MAX_BODY_CHARS);
        let extent = if truncated {
            BodyExtent::Truncated {
                chars: text.chars().count(),
                kept: MAX_BODY_CHARS,
            }
        } else {
            BodyExtent::Complete {
                chars: kept.chars().count(),
            }
        };
        Self {
            document: Document::parse(&cues::body(kept, template_cues)),
            extent,
        }
    }

    /// The description's sections whose heading names the template heading `template_key`, in
    /// order (an author may repeat a heading). A section runs until the next heading of the same
    /// or a higher level, or the next heading that `is_section` recognises as a section of its own:
    /// sub-headings the author added stay part of their section.
    pub fn sections_for(
        &self,
        template_key: &str,
        is_section: &dyn Fn(&str) -> bool,
    ) -> Vec<Section<'_>> {
        self.document
            .headings()
            .filter(|(_, heading)| body_matches_template(&heading.key.key, template_key))
            .map(|(index, _)| {
                self.document
                    .section(index, |heading| is_section(&heading.key.key))
            })
            .collect()
    }

    /// The first section whose heading contains one of `names` (keys) as whole words.
    pub fn section_named(
        &self,
        names: &[String],
        is_section: &dyn Fn(&str) -> bool,
    ) -> Option<Section<'_>> {
        self.document
            .headings()
            .find(|(_, heading)| {
                names
                    .iter()
                    .any(|name| contains_words(&heading.key.key, name))
            })
            .map(|(index, _)| {
                self.document
                    .section(index, |heading| is_section(&heading.key.key))
            })
    }
}

/// The first `max_chars` characters of `text`, and whether anything was cut.
pub fn truncate_chars(text: &str, max_chars: usize) -> (&str, bool) {
    if text.len() <= max_chars {
        return (text, false);
    }
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => (&text[..cut], true),
        None => (text, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_body_has_no_sections() {
        let body = Body::parse(None);
        assert_eq!(body.extent, BodyExtent::Null);
        assert!(body.sections_for("scope", &|_| false).is_empty());
    }

    #[test]
    fn a_long_body_is_cut_at_the_limit_on_a_char_boundary() {
        let text = "é".repeat(MAX_BODY_CHARS + 10);
        let body = Body::parse(Some(&text));
        assert_eq!(
            body.extent,
            BodyExtent::Truncated {
                chars: MAX_BODY_CHARS + 10,
                kept: MAX_BODY_CHARS
            }
        );
    }

    #[test]
    fn a_body_at_the_limit_is_read_whole() {
        let text = "a".repeat(MAX_BODY_CHARS);
        let body = Body::parse(Some(&text));
        assert_eq!(
            body.extent,
            BodyExtent::Complete {
                chars: MAX_BODY_CHARS
            }
        );
    }

    #[test]
    fn sections_are_found_by_template_heading() {
        let body = Body::parse(Some("## ✅ scope\nx\n## Contracts touched: No\n"));
        assert_eq!(body.sections_for("scope", &|_| false).len(), 1);
        assert_eq!(body.sections_for("contracts touched", &|_| false).len(), 1);
        assert!(
            body.section_named(&["contracts".to_owned()], &|_| false)
                .is_some()
        );
    }

    #[test]
    fn an_authors_sub_headings_stay_in_their_section() {
        let body = Body::parse(Some(
            "# Scope\n### Backend\nx\n### Frontend\ny\n# Risk\nz\n",
        ));
        let scope = body.sections_for("scope", &|key| key == "risk")[0];
        assert_eq!(scope.lines().collect::<Vec<_>>(), vec!["x", "y"]);
        let summary = Body::parse(Some("Summary\n=======\ntext\n### Tests\nunit\n"));
        let known = |key: &str| key == "summary" || key == "tests";
        let section = summary.sections_for("summary", &known)[0];
        assert_eq!(section.lines().collect::<Vec<_>>(), vec!["text"]);
    }
}
