//! The sticky comment's body for each state of the approval gate (inline snapshots).

use std::collections::BTreeSet;

use contracts_diff::Limits;
use contracts_diff::approval::{self, GateInput, Recorded};
use contracts_diff::comment;
use contracts_diff::config::ContractsDiffConfig;
use contracts_diff::plan::{ContractFile, Facts, FileStatus, Plan, Version, plan};

fn spec(ops: &[&str]) -> Version {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for op in ops {
        let (method, path) = op.split_once(' ').expect("method and path");
        text.push_str(&format!(
            "  {path}:\n    {method}:\n      responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    Version {
        content: text.into_bytes(),
        related: Default::default(),
    }
}

fn users_plan(head: &[&str]) -> Plan {
    let facts = Facts {
        contracts: vec![ContractFile {
            path: "api/openapi.yaml".into(),
            status: FileStatus::Modified,
            base: Some(spec(&["get /users", "delete /users/{id}"])),
            head: Some(spec(head)),
        }],
        endpoint_files: Vec::new(),
        ..Facts::default()
    };
    plan(&facts, &ContractsDiffConfig::default(), &Limits::default())
}

/// The comment up to the start of the report itself.
fn head_of(plan: &Plan, label_present: bool, just_added: bool, recorded: &Recorded) -> String {
    let breaking = approval::breaking_changes(plan);
    let gate = approval::decide(&GateInput {
        label: "architect-approved",
        label_present,
        label_just_added: Some(just_added),
        approval_required: plan.approval_required,
        fail_on_met: plan.fail,
        breaking: &breaking,
        recorded,
    });
    let body = comment::body(plan, &gate, "architect-approved", &breaking);
    body[..body.find("## API contract changes").expect("report")].to_owned()
}

#[test]
fn missing_label() {
    let plan = users_plan(&["get /users"]);
    insta::assert_snapshot!(head_of(&plan, false, false, &Recorded::Nothing), @"❌ **Needs `architect-approved` from an architect: 1 breaking change in `api/openapi.yaml`.**");
}

#[test]
fn approved_then_stale() {
    let plan = users_plan(&["get /users"]);
    let approved = head_of(&plan, true, true, &Recorded::Nothing);
    // The fingerprint is pinned on purpose: changing how it is computed would silently
    // withdraw every recorded approval, so it must be a deliberate, visible change.
    insta::assert_snapshot!(approved, @r"
    <!-- contracts-diff:approved c3ae3175bf50c53a -->
    ✅ **Approved with `architect-approved`: it covers 1 breaking change present when it was given.**
    ");
    let set: BTreeSet<String> = approval::breaking_changes(&plan)
        .into_iter()
        .map(|b| b.fingerprint)
        .collect();
    let later = users_plan(&[]);
    insta::assert_snapshot!(head_of(&later, true, false, &Recorded::Approved(set)), @r"
    ❌ **Approval withdrawn: 1 new breaking change appeared after `architect-approved` was given (`api/openapi.yaml`). An architect must review them and add `architect-approved` again.**

    New since the approval:

    | rule | file | where | change |
    |---|---|---|---|
    | `operation-removed` | `api/openapi.yaml` | `/paths/~1users/get` | operation GET /users was removed without prior deprecation |
    ");
}

/// A property name written to break out of our Markdown: a code span closed early, a link, an
/// image, emphasis, HTML, a table cell and one of our markers.
const HOSTILE: &str = "x` [click](https://evil.example) ![i](https://evil.example/i.png) **bold** <img src=x> | <!-- guardians:contracts-diff -->";

fn with_property(name: Option<&str>) -> Version {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /users:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [id]\n                properties:\n                  id: {type: string}\n",
    );
    if let Some(name) = name {
        let quoted = serde_json::to_string(name).expect("a JSON string is a YAML string");
        text.push_str(&format!("                  {quoted}: {{type: string}}\n"));
    }
    Version {
        content: text.into_bytes(),
        related: Default::default(),
    }
}

#[test]
fn a_hostile_property_name_is_shown_as_text_and_nothing_in_it_is_live() {
    use pulldown_cmark::{Event, Options, Parser, Tag};

    let facts = Facts {
        contracts: vec![ContractFile {
            path: "api/openapi.yaml".into(),
            status: FileStatus::Modified,
            base: Some(with_property(Some(HOSTILE))),
            head: Some(with_property(None)),
        }],
        ..Facts::default()
    };
    let plan = plan(&facts, &ContractsDiffConfig::default(), &Limits::default());
    assert!(
        plan.files[0]
            .changes
            .iter()
            .any(|c| c.message.contains("[click]")),
        "the finding names the property: {:?}",
        plan.files[0].changes
    );
    let breaking = approval::breaking_changes(&plan);
    let gate = approval::decide(&GateInput {
        label: "architect-approved",
        label_present: false,
        label_just_added: Some(false),
        approval_required: plan.approval_required,
        fail_on_met: plan.fail,
        breaking: &breaking,
        recorded: &Recorded::Nothing,
    });
    let body = comment::body(&plan, &gate, "architect-approved", &breaking);
    assert!(!body.contains("<!--"), "no marker can form: {body}");

    let mut shown = String::new();
    let mut emphasised = String::new();
    let mut emphasis = 0;
    for event in Parser::new_ext(&body, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a live link: {body}"),
            Event::Html(html) | Event::InlineHtml(html) => assert!(
                ["<details>", "</details>", "<summary>", "</summary>"]
                    .iter()
                    .any(|ours| html.trim_start().starts_with(ours)),
                "HTML from the contract: {html}\n{body}"
            ),
            Event::Start(Tag::Strong | Tag::Emphasis) => emphasis += 1,
            Event::End(pulldown_cmark::TagEnd::Strong | pulldown_cmark::TagEnd::Emphasis) => {
                emphasis -= 1
            }
            Event::Text(text) | Event::Code(text) => {
                shown.push_str(&text);
                if emphasis > 0 {
                    emphasised.push_str(&text);
                }
            }
            _ => {}
        }
    }
    assert!(!emphasised.contains("bold"), "live emphasis: {body}");
    // What a reader sees carries the name's parts as typed.
    for part in ["[click](https://evil.example)", "**bold**", "<img src=x>"] {
        assert!(shown.contains(part), "`{part}` not shown as text: {shown}");
    }
}
