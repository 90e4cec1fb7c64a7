//! The escaping the Actions runner undoes when it reads a workflow command.

/// Escapes a command's data (the text after the last `::`) so that it stays one line and
/// cannot start another command: `%` → `%25`, CR → `%0D`, LF → `%0A`.
pub fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Escapes a command's property value: as [`escape_data`], and also `:` → `%3A` and
/// `,` → `%2C`, which separate properties and end the property list.
pub fn escape_property(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' => escaped.push_str("%3A"),
            ',' => escaped.push_str("%2C"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_data("%0A::error::pwned"), "%250A::error::pwned");
        assert_eq!(escape_data("plain ünïcode"), "plain ünïcode");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_property("src/main.rs"), "src/main.rs");
    }
}
