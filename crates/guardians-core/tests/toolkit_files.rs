//! Step outputs and the step summary, written to the runner's files.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use guardians_core::toolkit::{MAX_SUMMARY_BYTES, SharedBuffer, Toolkit, ToolkitError};

fn toolkit_with(pairs: &[(&str, &Path)]) -> (Toolkit, SharedBuffer) {
    let mut env: HashMap<String, String> =
        HashMap::from([("GITHUB_ACTIONS".to_string(), "true".to_string())]);
    for (key, path) in pairs {
        env.insert(key.to_string(), path.display().to_string());
    }
    let out = SharedBuffer::new();
    (Toolkit::new(Arc::new(env), Box::new(out.clone())), out)
}

/// Reads a `$GITHUB_OUTPUT` file the way the runner does: `name<<DELIMITER`, then lines up to
/// the line that is exactly the delimiter.
fn runner_reads_outputs(text: &str) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let (name, delimiter) = line.split_once("<<").expect("heredoc header");
        let mut value = Vec::new();
        loop {
            let next = lines.next().expect("heredoc is closed");
            if next == delimiter {
                break;
            }
            value.push(next);
        }
        outputs.push((name.to_string(), value.join("\n")));
    }
    outputs
}

#[test]
fn outputs_are_heredocs_with_a_fresh_random_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("output");
    let (toolkit, out) = toolkit_with(&[("GITHUB_OUTPUT", &path)]);
    toolkit.set_output("size", "M").unwrap();
    toolkit
        .set_output("labels", "size/M\nneeds-review")
        .unwrap();
    assert_eq!(out.contents(), "", "outputs go to the file, not the log");

    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    let first = lines[0].strip_prefix("size<<").unwrap();
    assert!(first.starts_with("ghadelimiter_"), "{first}");
    assert_eq!(first.len(), "ghadelimiter_".len() + 36);
    assert_eq!(
        text,
        format!(
            "size<<{first}\nM\n{first}\n{}\nsize/M\nneeds-review\n{}\n",
            lines[3], lines[6]
        )
    );
    let second = lines[3].strip_prefix("labels<<").unwrap();
    assert_ne!(first, second);
    assert_eq!(
        runner_reads_outputs(&text),
        [
            ("size".to_string(), "M".to_string()),
            ("labels".to_string(), "size/M\nneeds-review".to_string())
        ]
    );
}

#[test]
fn a_hostile_value_cannot_close_the_heredoc_or_set_other_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("output");
    let (toolkit, _) = toolkit_with(&[("GITHUB_OUTPUT", &path)]);
    let hostile = "x\nEOF\nghadelimiter_\nverdict<<EOF\npass\nEOF";
    toolkit.set_output("title", hostile).unwrap();
    toolkit.set_output("verdict", "fail").unwrap();
    let outputs = runner_reads_outputs(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        outputs,
        [
            ("title".to_string(), hostile.to_string()),
            ("verdict".to_string(), "fail".to_string())
        ]
    );
}

#[test]
fn empty_and_multi_line_output_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("output");
    let (toolkit, _) = toolkit_with(&[("GITHUB_OUTPUT", &path)]);
    for name in ["", "a\nb", "a\r"] {
        let error = toolkit.set_output(name, "v").unwrap_err();
        assert!(
            matches!(error, ToolkitError::InvalidOutputName { .. }),
            "{name:?}"
        );
    }
    insta::assert_snapshot!(toolkit.set_output("a\nb", "v").unwrap_err(), @r#"output name "a\nb" is not usable: an output name is one non-empty line, like `size`"#);
    assert!(!path.exists(), "nothing written");
}

#[test]
fn in_actions_without_an_output_file_is_an_error() {
    let (toolkit, out) = toolkit_with(&[]);
    let error = toolkit.set_output("size", "M").unwrap_err();
    insta::assert_snapshot!(error, @"GITHUB_OUTPUT is not set although GITHUB_ACTIONS is true: step outputs need Actions runner 2.297.0 or newer");
    assert_eq!(out.contents(), "");
}

#[test]
fn an_unwritable_output_file_names_the_variable_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let (toolkit, _) = toolkit_with(&[("GITHUB_OUTPUT", dir.path())]);
    let error = toolkit.set_output("size", "M").unwrap_err().to_string();
    let error = error.replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!(error, @"cannot write to $GITHUB_OUTPUT (<dir>): Is a directory (os error 21)");
}

#[test]
fn summary_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.md");
    let (toolkit, out) = toolkit_with(&[("GITHUB_STEP_SUMMARY", &path)]);
    toolkit.append_summary("# Size\n").unwrap();
    toolkit.append_summary("| files | 3 |\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# Size\n| files | 3 |\n"
    );
    assert_eq!(out.contents(), "");
}

#[test]
fn summary_stays_under_one_mib_with_a_visible_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.md");
    std::fs::write(&path, "# Earlier step\n").unwrap();
    let (toolkit, _) = toolkit_with(&[("GITHUB_STEP_SUMMARY", &path)]);
    let row = "| `src/file.rs` | +1 | -1 |\n";
    toolkit.append_summary(&row.repeat(60_000)).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.len() as u64 <= MAX_SUMMARY_BYTES,
        "{}",
        written.len()
    );
    assert!(
        written.len() as u64 > MAX_SUMMARY_BYTES - 1024,
        "nearly all the room is used"
    );
    assert!(written.starts_with("# Earlier step\n| `src/file.rs`"));
    assert!(written.ends_with(
        "| `src/file.rs` | +1 | -1 |\n\n> [!NOTE]\n> The rest of this summary was cut: GitHub shows at most 1 MiB of a step's summary.\n"
    ));

    // Once full, more summary is dropped rather than growing the file past the limit.
    toolkit.append_summary("# Later step\n").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}
