//! Reading a `$GITHUB_OUTPUT` file back as the runner does: for tests of a guardian's outputs
//! and for tools that chain steps.

use std::collections::HashMap;

/// The outputs in a `$GITHUB_OUTPUT` file: `name<<DELIMITER` heredocs (the value is every line
/// up to the one that is exactly the delimiter) and `name=value` lines. Later entries win, as
/// on the runner.
pub fn read_output_file(text: &str) -> HashMap<String, String> {
    let mut outputs = HashMap::new();
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines
                .by_ref()
                .take_while(|next| *next != delimiter)
                .collect();
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredocs_and_plain_lines() {
        let text =
            "size<<ghadelimiter_1\nM\nghadelimiter_1\nnote<<d\nline one\nline two\nd\nplain=yes\n";
        let outputs = read_output_file(text);
        assert_eq!(outputs["size"], "M");
        assert_eq!(outputs["note"], "line one\nline two");
        assert_eq!(outputs["plain"], "yes");
        assert_eq!(outputs.len(), 3);
    }
}
