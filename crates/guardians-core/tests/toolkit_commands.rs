//! The exact bytes each toolkit call writes, in Actions and in a terminal.

use std::collections::HashMap;
use std::sync::Arc;

use guardians_core::toolkit::{AnnotationProps, SharedBuffer, Toolkit};

fn toolkit(pairs: &[(&str, &str)]) -> (Toolkit, SharedBuffer) {
    let env: HashMap<String, String> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    let out = SharedBuffer::new();
    (Toolkit::new(Arc::new(env), Box::new(out.clone())), out)
}

fn in_actions() -> (Toolkit, SharedBuffer) {
    toolkit(&[("GITHUB_ACTIONS", "true")])
}

fn in_terminal() -> (Toolkit, SharedBuffer) {
    toolkit(&[])
}

fn all_props() -> AnnotationProps {
    AnnotationProps {
        title: Some("Size: XL, split it".into()),
        file: Some("src/a,b.rs".into()),
        line: Some(3),
        end_line: Some(4),
        col: Some(5),
        end_column: Some(6),
    }
}

#[test]
fn annotations_in_actions_are_commands_with_escaped_properties_and_data() {
    let (toolkit, out) = in_actions();
    toolkit.notice("plain", &AnnotationProps::default());
    toolkit.warning("100% of lines\r\nchanged", &all_props());
    toolkit.error(
        "bad",
        &AnnotationProps {
            file: Some("x.rs".into()),
            line: Some(1),
            ..AnnotationProps::default()
        },
    );
    assert_eq!(
        out.contents(),
        "::notice::plain\n\
         ::warning title=Size%3A XL%2C split it,file=src/a%2Cb.rs,line=3,endLine=4,col=5,endColumn=6::100%25 of lines%0D%0Achanged\n\
         ::error file=x.rs,line=1::bad\n"
    );
}

#[test]
fn annotations_in_a_terminal_read_like_compiler_messages() {
    let (toolkit, out) = in_terminal();
    toolkit.notice("plain", &AnnotationProps::default());
    toolkit.warning("too big", &all_props());
    toolkit.error(
        "no column",
        &AnnotationProps {
            file: Some("x.rs".into()),
            line: Some(1),
            ..AnnotationProps::default()
        },
    );
    assert_eq!(
        out.contents(),
        "notice: plain\n\
         warning: src/a,b.rs:3:5: Size: XL, split it: too big\n\
         error: x.rs:1: no column\n"
    );
}

/// On a terminal the report stays alone on stdout (`| jq` works) and diagnostics go to the
/// second stream (stderr in the process); in Actions they must stay workflow commands on stdout.
#[test]
fn with_diagnostics_annotations_leave_stdout_only_outside_actions() {
    for (env, annotation_on_stdout) in [(vec![], false), (vec![("GITHUB_ACTIONS", "true")], true)] {
        let (toolkit, out) = toolkit(&env);
        let diagnostics = SharedBuffer::new();
        let toolkit = toolkit.with_diagnostics(Box::new(diagnostics.clone()));
        toolkit.untrusted("the report");
        toolkit.error("it broke", &AnnotationProps::default());
        let stdout = out.contents();
        assert!(stdout.contains("the report"), "{stdout}");
        if annotation_on_stdout {
            assert!(stdout.contains("::error::it broke"), "{stdout}");
            assert_eq!(diagnostics.contents(), "");
        } else {
            assert_eq!(stdout, "the report\n");
            assert_eq!(diagnostics.contents(), "error: it broke\n");
        }
    }
}

#[test]
fn info_is_printed_as_is() {
    let (toolkit, out) = in_actions();
    toolkit.info("Labeled #2 size/M (42 lines)");
    assert_eq!(out.contents(), "Labeled #2 size/M (42 lines)\n");
}

#[test]
fn debug_is_a_command_in_actions_and_opt_in_in_a_terminal() {
    let (toolkit, out) = in_actions();
    toolkit.debug("fetched 3 pages\nof files");
    assert_eq!(out.contents(), "::debug::fetched 3 pages%0Aof files\n");

    let (toolkit, out) = in_terminal();
    toolkit.debug("hidden");
    assert_eq!(out.contents(), "");

    let (toolkit, out) = toolkit_with_runner_debug();
    toolkit.debug("shown");
    assert_eq!(out.contents(), "debug: shown\n");
}

fn toolkit_with_runner_debug() -> (Toolkit, SharedBuffer) {
    toolkit(&[("RUNNER_DEBUG", "1")])
}

#[test]
fn mask_registers_each_non_blank_line() {
    let (toolkit, out) = in_actions();
    toolkit.mask("first\r\nsecond%\n\n   \nthird");
    assert_eq!(
        out.contents(),
        "::add-mask::first\n::add-mask::second%25\n::add-mask::third\n"
    );

    let (toolkit, out) = in_terminal();
    toolkit.mask("secret");
    assert_eq!(
        out.contents(),
        "",
        "nothing to mask outside Actions, and never echo a secret"
    );
}

#[test]
fn group_ends_when_its_guard_drops() {
    let (toolkit, out) = in_actions();
    {
        let _group = toolkit.group("Files: a\nb");
        toolkit.info("inside");
    }
    toolkit.info("after");
    assert_eq!(
        out.contents(),
        "::group::Files: a%0Ab\ninside\n::endgroup::\nafter\n"
    );

    let (toolkit, out) = in_terminal();
    {
        let _group = toolkit.group("Files");
        toolkit.info("inside");
    }
    assert_eq!(out.contents(), "== Files ==\ninside\n");
}

#[test]
fn outputs_outside_actions_are_name_value_lines() {
    let (toolkit, out) = in_terminal();
    toolkit.set_output("size", "M").unwrap();
    toolkit.set_output("report", "line 1\nline 2\\n\r").unwrap();
    assert_eq!(out.contents(), "size=M\nreport=line 1\\nline 2\\\\n\\r\n");
}

#[test]
fn summary_outside_actions_is_skipped() {
    let (toolkit, out) = in_terminal();
    toolkit.append_summary("# Report").unwrap();
    assert_eq!(out.contents(), "");
}

#[test]
fn in_actions_only_for_the_exact_value_true() {
    assert!(in_actions().0.in_actions());
    assert!(!in_terminal().0.in_actions());
    assert!(!toolkit(&[("GITHUB_ACTIONS", "TRUE")]).0.in_actions());
}

#[test]
fn toolkit_can_be_shared_across_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Toolkit>();
    assert_send_sync::<guardians_core::context::Context>();
}
