//! `{placeholder}` templates of URLs, deployment names and test commands.
//!
//! Templates are parsed against the placeholders their field allows, so a typo such as
//! `{numbr}` is a config error naming the field instead of a URL with braces in it.

use thiserror::Error;

/// A parsed template: literal text and placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Placeholder(String),
}

/// A piece of a parsed template: literal text (braces unescaped) or a placeholder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("unknown placeholder `{{{name}}}`; the placeholders here are {allowed}")]
    UnknownPlaceholder { name: String, allowed: String },
    #[error("`{{` at byte {at} is never closed; write `{{{{` for a literal brace")]
    Unclosed { at: usize },
    #[error("`}}` at byte {at} closes nothing; write `}}}}` for a literal brace")]
    Unopened { at: usize },
}

impl Template {
    /// Parses `text`, accepting only the placeholders in `allowed`.
    pub(crate) fn parse(text: &str, allowed: &[&str]) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err(TemplateError::Unopened { at }),
                '{' => {
                    let rest = &text[at + 1..];
                    let end = rest.find('}').ok_or(TemplateError::Unclosed { at })?;
                    let name = &rest[..end];
                    if !allowed.contains(&name) {
                        return Err(TemplateError::UnknownPlaceholder {
                            name: name.to_owned(),
                            allowed: allowed
                                .iter()
                                .map(|a| format!("`{{{a}}}`"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Placeholder(name.to_owned()));
                    // Skip the placeholder's name and its closing brace.
                    while chars.next_if(|&(i, _)| i <= at + 1 + end).is_some() {}
                }
                _ => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self { parts })
    }

    /// The template's pieces in order, for renderers that treat a value by where it lands
    /// (see `url_template`).
    pub(crate) fn segments(&self) -> impl Iterator<Item = Segment<'_>> {
        self.parts.iter().map(|part| match part {
            Part::Literal(text) => Segment::Literal(text),
            Part::Placeholder(name) => Segment::Placeholder(name),
        })
    }

    /// Fills the placeholders; `value` is asked only for names the template was parsed with.
    pub(crate) fn render(&self, mut value: impl FnMut(&str) -> String) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Placeholder(name) => out.push_str(&value(name)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWED: &[&str] = &["number", "sha"];

    fn fill(template: &str) -> Result<String, TemplateError> {
        let parsed = Template::parse(template, ALLOWED)?;
        Ok(parsed.render(|name| match name {
            "number" => "42".to_owned(),
            _ => "abc".to_owned(),
        }))
    }

    #[test]
    fn fills_placeholders_and_keeps_literal_text() {
        assert_eq!(
            fill("https://myapp-pr-{number}.pages.dev/{sha}/x").as_deref(),
            Ok("https://myapp-pr-42.pages.dev/abc/x")
        );
        assert_eq!(fill("{number}{number}").as_deref(), Ok("4242"));
        assert_eq!(fill("").as_deref(), Ok(""));
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(fill("a{{b}}c {{{number}}}").as_deref(), Ok("a{b}c {42}"));
    }

    #[test]
    fn unknown_placeholder_names_itself_and_the_choices() {
        let err = fill("https://pr-{numbr}.dev").expect_err("typo");
        assert_eq!(
            err.to_string(),
            "unknown placeholder `{numbr}`; the placeholders here are `{number}`, `{sha}`"
        );
    }

    #[test]
    fn unbalanced_braces_are_errors() {
        assert_eq!(fill("x{number"), Err(TemplateError::Unclosed { at: 1 }));
        assert_eq!(fill("x}"), Err(TemplateError::Unopened { at: 1 }));
        assert!(fill("é{").is_err());
    }
}
