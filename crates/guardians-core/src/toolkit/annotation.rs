//! Annotations (`::notice`, `::warning`, `::error`) and their plain-text form outside Actions.

use super::escape::{escape_data, escape_property};

/// Where an annotation points, and its title; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationProps {
    pub title: Option<String>,
    /// A path relative to the repository root.
    pub file: Option<String>,
    pub line: Option<u64>,
    pub end_line: Option<u64>,
    pub col: Option<u64>,
    pub end_column: Option<u64>,
}

/// The three annotation levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Notice,
    Warning,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Notice => "notice",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// `::warning title=T,file=F,line=1,endLine=2,col=3,endColumn=4::message`, properties in the
/// order `@actions/core` writes them.
pub(crate) fn annotation_command(level: Level, message: &str, props: &AnnotationProps) -> String {
    let number = |value: Option<u64>| value.map(|n| n.to_string());
    let properties: Vec<String> = [
        ("title", props.title.clone()),
        ("file", props.file.clone()),
        ("line", number(props.line)),
        ("endLine", number(props.end_line)),
        ("col", number(props.col)),
        ("endColumn", number(props.end_column)),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|value| format!("{key}={}", escape_property(&value))))
    .collect();
    let mut command = format!("::{}", level.name());
    if !properties.is_empty() {
        command.push(' ');
        command.push_str(&properties.join(","));
    }
    command.push_str("::");
    command.push_str(&escape_data(message));
    command
}

/// `warning: src/lib.rs:3:5: Title: message`, as compilers print it, for a terminal.
pub(crate) fn annotation_plain(level: Level, message: &str, props: &AnnotationProps) -> String {
    let mut line = format!("{}: ", level.name());
    if let Some(file) = &props.file {
        line.push_str(file);
        if let Some(number) = props.line {
            line.push_str(&format!(":{number}"));
            if let Some(col) = props.col {
                line.push_str(&format!(":{col}"));
            }
        }
        line.push_str(": ");
    }
    if let Some(title) = &props.title {
        line.push_str(title);
        line.push_str(": ");
    }
    line.push_str(message);
    line
}
