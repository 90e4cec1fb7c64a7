//! Text from a pull request must not be able to run workflow commands. These tests feed the
//! toolkit's output to a model of the runner's command parser and check which commands it
//! would execute.

use std::collections::HashMap;
use std::sync::Arc;

use guardians_core::toolkit::{AnnotationProps, SharedBuffer, Toolkit};

fn in_actions() -> (Toolkit, SharedBuffer) {
    let env: HashMap<String, String> =
        HashMap::from([("GITHUB_ACTIONS".to_string(), "true".to_string())]);
    let out = SharedBuffer::new();
    (Toolkit::new(Arc::new(env), Box::new(out.clone())), out)
}

/// The commands the runner would execute from this log, in order, as (name, data) pairs:
/// a line is a command when it starts with `::` (after leading whitespace); between
/// `::stop-commands::TOKEN` and `::TOKEN::` none is.
fn executed_commands(log: &str) -> Vec<(String, String)> {
    let mut executed = Vec::new();
    let mut stopped_until: Option<String> = None;
    for line in log.split('\n') {
        let line = line.trim();
        if let Some(token) = &stopped_until {
            if line == format!("::{token}::") {
                stopped_until = None;
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("::") else {
            continue;
        };
        let Some((head, data)) = rest.split_once("::") else {
            continue;
        };
        let name = head.split(' ').next().unwrap_or_default().to_string();
        if name == "stop-commands" {
            stopped_until = Some(data.to_string());
        }
        executed.push((name, data.to_string()));
    }
    executed
}

const HOSTILE_TITLES: &[&str] = &[
    "::add-mask::x",
    "::stop-commands::abc\n::abc::\n::error::pwned",
    "%0A::error::pwned",
    "fix\r\n::error::pwned\r\n",
    "  ::set-output name=x::y",
    "::endgroup::",
];

#[test]
fn hostile_text_printed_as_untrusted_runs_nothing() {
    for title in HOSTILE_TITLES {
        let (toolkit, out) = in_actions();
        toolkit.untrusted(title);
        let log = out.contents();
        let executed = executed_commands(&log);
        assert_eq!(
            executed.len(),
            1,
            "{title:?} ran commands: {executed:?}\n{log}"
        );
        assert_eq!(executed[0].0, "stop-commands");
        assert!(
            log.contains(title.trim_end_matches('\n')),
            "the text itself is shown"
        );
    }
}

#[test]
fn untrusted_block_has_the_exact_shape() {
    let (toolkit, out) = in_actions();
    toolkit.untrusted("Title: ::add-mask::x\n");
    let log = out.contents();
    let token = log
        .strip_prefix("::stop-commands::")
        .and_then(|rest| rest.split('\n').next())
        .unwrap();
    assert_eq!(
        log,
        format!("::stop-commands::{token}\nTitle: ::add-mask::x\n::{token}::\n")
    );
    assert_eq!(token.len(), 36);
}

#[test]
fn a_block_cannot_be_ended_by_a_token_seen_earlier() {
    let (toolkit, out) = in_actions();
    toolkit.untrusted("first");
    let first_token = executed_commands(&out.contents())[0].1.clone();
    // An attacker who saw an earlier run's log tries that token.
    toolkit.untrusted(&format!("::{first_token}::\n::error::pwned\n::add-mask::x"));
    let executed = executed_commands(&out.contents());
    let names: Vec<&str> = executed.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["stop-commands", "stop-commands"]);
    assert_ne!(executed[0].1, executed[1].1, "each block has its own token");
}

#[test]
fn hostile_text_in_annotations_debug_and_groups_stays_data() {
    for title in HOSTILE_TITLES {
        let (toolkit, out) = in_actions();
        let props = AnnotationProps {
            title: Some((*title).to_string()),
            file: Some((*title).to_string()),
            ..AnnotationProps::default()
        };
        toolkit.warning(title, &props);
        toolkit.debug(title);
        drop(toolkit.group(title));
        let log = out.contents();
        let names: Vec<String> = executed_commands(&log)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(
            names,
            ["warning", "debug", "group", "endgroup"],
            "{title:?}:\n{log}"
        );
        assert_eq!(log.matches('\n').count(), 4, "one line each:\n{log}");
    }
}

#[test]
fn percent_encoded_newline_is_shown_literally_not_decoded_into_a_command() {
    let (toolkit, out) = in_actions();
    toolkit.error("%0A::error::pwned", &AnnotationProps::default());
    // The runner decodes %25 back to %, leaving the text `%0A::error::pwned` on one line.
    assert_eq!(out.contents(), "::error::%250A::error::pwned\n");
}

#[test]
fn crlf_in_an_annotation_stays_on_one_line() {
    let (toolkit, out) = in_actions();
    toolkit.notice("a\r\n::error::x", &AnnotationProps::default());
    assert_eq!(out.contents(), "::notice::a%0D%0A::error::x\n");
}

#[test]
fn outside_actions_untrusted_text_is_printed_as_is() {
    let out = SharedBuffer::new();
    let toolkit = Toolkit::new(
        Arc::new(HashMap::<String, String>::new()),
        Box::new(out.clone()),
    );
    toolkit.untrusted("::add-mask::x\n");
    toolkit.untrusted("");
    assert_eq!(out.contents(), "::add-mask::x\n");
}
