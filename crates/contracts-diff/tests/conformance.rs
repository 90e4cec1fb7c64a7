//! Runs the engine over the OpenAPI conformance suite (`fixtures/contracts-suite`, or
//! `$CONTRACTS_SUITE`) and writes the verdict agreement and every disagreement to
//! `conformance/openapi-report.md`. A missing suite is a failure, not a skip.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use contracts_diff::resolve::Spec;
use contracts_diff::{Change, Limits, Rule, Severity, openapi};

/// Agreement must not drop below this (we reach the rate written in the report). Lowered from
/// 98.5% when response union additions became potentially breaking on purpose (issue 13 item 3):
/// the four `add-*-of*` response cases the reference calls breaking; then to 97.5% when numeric
/// widths and rewritten patterns came to be judged by the values they accept (three cases the
/// reference calls breaking whatever the direction).
const FLOOR: f64 = 0.975;

/// The suite ships in the repository (`fixtures/contracts-suite`, Apache-2.0, with its LICENSE
/// and NOTICE), so a fresh clone runs it; `CONTRACTS_SUITE` points at another copy. A missing
/// suite fails the test: a conformance run that silently passes on no data measures nothing.
fn suite_dir() -> PathBuf {
    let dir = match std::env::var("CONTRACTS_SUITE") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/contracts-suite"),
    };
    assert!(
        dir.join("openapi/expectations.json").is_file(),
        "the contracts conformance suite is missing at {} (restore fixtures/contracts-suite or set CONTRACTS_SUITE)",
        dir.display()
    );
    dir
}

fn verdict(changes: &[Change]) -> &'static str {
    match changes.iter().map(|c| c.severity).max() {
        Some(Severity::Breaking) => "breaking",
        Some(Severity::PotentiallyBreaking) => "potentially-breaking",
        _ => "non-breaking",
    }
}

/// Where our judgement differs from the reference on purpose, by the rule that decided it.
fn deliberate(change: &Change) -> Option<&'static str> {
    match (change.rule, change.direction, change.severity) {
        (
            Rule::PropertyRemoved,
            contracts_diff::Direction::Response,
            Severity::PotentiallyBreaking,
        ) => Some(
            "an optional response property was removed: a correct client tolerates its absence, but clients \
             that read it silently lose data, so we flag it as potentially breaking (like oasdiff) rather \
             than non-breaking",
        ),
        (
            Rule::UnionMemberAdded,
            contracts_diff::Direction::Response,
            Severity::PotentiallyBreaking,
        ) => Some(
            "a response `oneOf`/`anyOf` gained an alternative: every value clients handled still arrives \
             as before, but a client switching over the alternatives may not handle the new one, so like \
             a new response enum value it is potentially breaking (`contracts-diff.severity` can make it breaking)",
        ),
        (
            Rule::FormatChanged | Rule::FormatAdded | Rule::FormatRemoved,
            _,
            Severity::NonBreaking,
        ) if change.message.contains("values") => Some(
            "numeric widths are judged by the values they hold (`int32` ⊂ `int64`, `float` ⊂ `double`, \
             and `int64`/`double` are the range JSON parsers already use): `float` becoming `double` in a \
             request accepts every value it did, so it breaks no client (the reference calls every format \
             change breaking)",
        ),
        (
            Rule::ConstraintTightened | Rule::ConstraintRelaxed | Rule::ConstraintChanged,
            _,
            Severity::NonBreaking,
        ) if change.message.contains("strings") => Some(
            "a rewritten `pattern` is judged by the strings each accepts (decided exactly on the two \
             automata): a response pattern that accepts only strings the old one accepted sends clients \
             nothing new (the reference calls every pattern change breaking)",
        ),
        (Rule::SecurityRequirementRemoved, _, _) => Some(
            "an authentication requirement was dropped: clients that keep sending credentials keep working, \
             so for clients this is non-breaking (the reference calls it breaking); we still report it for \
             security review",
        ),
        (Rule::TypeWidened | Rule::TypeNarrowed, _, _)
            if change.message.contains("nothing validates") =>
        {
            Some(
                "one side's schema accepts no value at all (an `allOf` of contradictory types); we judge types \
             as sets of accepted values, so leaving or entering the empty set follows the usual \
             request/response rule (the reference switched this case off)",
            )
        }
        _ => None,
    }
}

fn load(dir: &Path, rel: &str) -> Spec {
    let path = dir.join(rel);
    let bytes = std::fs::read(&path).expect("suite file readable");
    let base = path.parent().expect("file has a parent").to_path_buf();
    let mut fetch = |p: &str| std::fs::read(base.join(p)).ok();
    let name = path
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    Spec::load(&name, &bytes, &mut fetch, &Limits::default()).expect("suite documents parse")
}

#[test]
fn openapi_suite_verdict_agreement() {
    let dir = suite_dir();
    let dir = dir.join("openapi");
    let text = std::fs::read_to_string(dir.join("expectations.json")).expect("expectations.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("expectations parse");
    let mut agree = 0usize;
    let mut active_total = 0usize;
    let mut active_agree = 0usize;
    let mut rows = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let expected = case["verdict"].as_str().expect("verdict");
        let active = case["status"] == "active";
        let strip = |p: &str| p.trim_start_matches("openapi/").to_owned();
        let before = load(&dir, &strip(case["before"].as_str().expect("before")));
        let after = load(&dir, &strip(case["after"].as_str().expect("after")));
        let result = openapi::diff(&before, &after, &Limits::default());
        let ours = verdict(&result.changes);
        if active {
            active_total += 1;
        }
        if ours == expected {
            agree += 1;
            if active {
                active_agree += 1;
            }
            continue;
        }
        let deciding: Vec<&Change> = result
            .changes
            .iter()
            .filter(|c| c.severity == result.changes[0].severity)
            .collect();
        let why = deciding.iter().find_map(|c| deliberate(c));
        let rules: Vec<String> = deciding
            .iter()
            .map(|c| format!("`{}` {}", c.rule, c.message))
            .collect();
        rows.push(format!(
            "| `{id}` | {} | {expected} | {ours} | {} | {} |",
            if active { "active" } else { "skipped upstream" },
            if rules.is_empty() {
                "no change found".to_owned()
            } else {
                rules.join("; ").replace('|', "\\|")
            },
            why.unwrap_or("not intended: a gap in our rules"),
        ));
    }
    let rate = agree as f64 / cases.len() as f64;
    let active_rate = active_agree as f64 / active_total.max(1) as f64;
    let mut report = String::new();
    writeln!(report, "# OpenAPI conformance: verdict agreement\n").unwrap();
    writeln!(report, "Generated by `cargo test -p contracts-diff --test conformance` over the contracts-suite OpenAPI cases.\n").unwrap();
    writeln!(
        report,
        "- all cases: **{agree} / {} = {:.1}%**",
        cases.len(),
        rate * 100.0
    )
    .unwrap();
    writeln!(
        report,
        "- active cases: **{active_agree} / {active_total} = {:.1}%**",
        active_rate * 100.0
    )
    .unwrap();
    writeln!(
        report,
        "- floor enforced by the test: {:.1}% of all cases\n",
        FLOOR * 100.0
    )
    .unwrap();
    writeln!(report, "## Disagreements ({})\n", rows.len()).unwrap();
    writeln!(
        report,
        "| case | status | expected | ours | our deciding findings | why |"
    )
    .unwrap();
    writeln!(report, "|---|---|---|---|---|---|").unwrap();
    for row in &rows {
        writeln!(report, "{row}").unwrap();
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/openapi-report.md");
    std::fs::write(&out, report).expect("write report");
    println!(
        "agreement {:.1}% ({agree}/{}), active {:.1}%",
        rate * 100.0,
        cases.len(),
        active_rate * 100.0
    );
    assert!(
        rate >= FLOOR,
        "agreement {:.1}% fell below the floor; see {}",
        rate * 100.0,
        out.display()
    );
}

/// The GraphQL structural diff against the suite's verdicts (floor just under what we reach).
const GRAPHQL_FLOOR: f64 = GRAPHQL_ACHIEVED - 0.005;
const GRAPHQL_ACHIEVED: f64 = 0.926;

#[test]
fn graphql_suite_verdict_agreement() {
    let dir = suite_dir();
    let text = std::fs::read_to_string(dir.join("graphql/expectations.json"))
        .expect("graphql expectations");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("expectations parse");
    let mut agree = 0usize;
    let mut rows = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let expected = case["verdict"].as_str().expect("verdict");
        let read = |key: &str| {
            std::fs::read_to_string(dir.join(case[key].as_str().expect("path"))).expect("sdl file")
        };
        let changes =
            contracts_diff::graphql::diff("schema.graphql", &read("before"), &read("after"));
        let ours = verdict(&changes);
        if ours == expected {
            agree += 1;
        } else {
            let found: Vec<String> = changes
                .iter()
                .map(|c| format!("`{}` {}", c.rule, c.message))
                .collect();
            rows.push(format!(
                "| `{id}` | {expected} | {ours} | {} | {} |",
                if found.is_empty() {
                    "no change found".to_owned()
                } else {
                    found.join("; ").replace('|', "\\|")
                },
                graphql_why(&changes),
            ));
        }
    }
    let rate = agree as f64 / cases.len() as f64;
    let mut report = String::new();
    writeln!(
        report,
        "# GraphQL conformance: verdict agreement of the structural diff\n"
    )
    .unwrap();
    writeln!(report, "Generated by `cargo test -p contracts-diff --test conformance`. GraphQL files get a text diff plus a structural diff (types reachable from root operations, fields, arguments, defaults, enum values, union members, executable directives).\n").unwrap();
    writeln!(
        report,
        "- all cases: **{agree} / {} = {:.1}%**\n",
        cases.len(),
        rate * 100.0
    )
    .unwrap();
    writeln!(report, "## Disagreements ({})\n", rows.len()).unwrap();
    writeln!(report, "| case | expected | ours | our findings | why |").unwrap();
    writeln!(report, "|---|---|---|---|---|").unwrap();
    for row in &rows {
        writeln!(report, "{row}").unwrap();
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/graphql-report.md");
    std::fs::write(&out, report).expect("write report");
    println!(
        "graphql agreement {:.1}% ({agree}/{})",
        rate * 100.0,
        cases.len()
    );
    assert!(
        rate >= GRAPHQL_FLOOR,
        "graphql agreement {:.1}% fell below the floor",
        rate * 100.0
    );
}

/// Why our GraphQL verdict differs, by the rule that decided it.
fn graphql_why(changes: &[Change]) -> &'static str {
    let worst = changes.iter().map(|c| c.severity).max();
    let decided: Vec<Rule> = changes
        .iter()
        .filter(|c| Some(c.severity) == worst)
        .map(|c| c.rule)
        .collect();
    if decided.contains(&Rule::EnumValueAdded) {
        "on purpose, as in our OpenAPI rules: a new value of an output enum is potentially breaking \
         (clients with exhaustive switches), not breaking"
    } else if decided.contains(&Rule::UnionMemberAdded) {
        "on purpose, as in our OpenAPI rules: a new member of an output union is potentially breaking \
         (clients switching over `__typename`), not breaking, like a new output enum value"
    } else if decided.contains(&Rule::DefaultChanged)
        || changes.iter().any(|c| c.rule == Rule::DefaultChanged)
    {
        "on purpose, as in our OpenAPI rules: a changed or removed default changes behaviour only for \
         clients that omit the argument (potentially breaking), and adding a default breaks nobody; \
         the reference judges by argument nullability and ignores directive defaults"
    } else if changes.is_empty() {
        "not intended: a gap in our GraphQL rules"
    } else {
        "not intended: our rules judge this change differently"
    }
}
