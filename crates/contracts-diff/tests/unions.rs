//! Unions as users write them (issue 13, item 2): a schema that becomes (or stops being) a
//! `oneOf`/`anyOf` is compared with the alternatives as sets, in the direction the data
//! flows — requests: every old value accepted by some new alternative; responses: every new
//! value accepted by some old one — and narrowing is judged on the whole schema.

use contracts_diff::resolve::Spec;
use contracts_diff::{Limits, Severity, openapi};

fn spec(text: &str) -> Spec {
    let mut none = |_: &str| None;
    Spec::load(
        "openapi.yaml",
        text.as_bytes(),
        &mut none,
        &Limits::default(),
    )
    .expect("test document parses")
}

/// (rule id, severity) of every change between two documents.
fn diff(before: &str, after: &str) -> Vec<(String, Severity)> {
    openapi::diff(&spec(before), &spec(after), &Limits::default())
        .changes
        .iter()
        .map(|c| (c.rule.id().to_owned(), c.severity))
        .collect()
}

/// A 3.1 document whose only operation takes `schema` as the request body (`request`) or
/// returns it (response); `schema` is flow-style YAML.
fn doc(schema: &str, request: bool) -> String {
    let body = if request {
        format!(
            "      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses:\n        '204': {{description: ok}}\n"
        )
    } else {
        format!(
            "      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    };
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    post:\n{body}"
    )
}

fn request(before: &str, after: &str) -> Vec<(String, Severity)> {
    diff(&doc(before, true), &doc(after, true))
}

fn response(before: &str, after: &str) -> Vec<(String, Severity)> {
    diff(&doc(before, false), &doc(after, false))
}

fn worst(changes: &[(String, Severity)]) -> Option<Severity> {
    changes.iter().map(|(_, s)| *s).max()
}

fn assert_not_breaking(changes: &[(String, Severity)]) {
    assert!(
        worst(changes) < Some(Severity::Breaking),
        "expected nothing breaking, got {changes:?}"
    );
}

fn assert_breaking(changes: &[(String, Severity)], rule: &str) {
    assert!(
        changes
            .iter()
            .any(|(r, s)| r == rule && *s == Severity::Breaking),
        "expected breaking `{rule}`, got {changes:?}"
    );
}

const TWO_PROPS: &str = "type: object, properties: {email: {type: string}, phone: {type: string}}";

#[test]
fn required_moved_into_one_of_branches_is_not_breaking_for_requests() {
    // Both were required; now either one is.
    let before = format!("{{{TWO_PROPS}, required: [email, phone]}}");
    let after = format!("{{{TWO_PROPS}, oneOf: [{{required: [email]}}, {{required: [phone]}}]}}");
    let found = request(&before, &after);
    assert_not_breaking(&found);
    assert!(
        !found.iter().any(|(r, _)| r == "property-removed"),
        "{found:?}"
    );
}

#[test]
fn required_moved_into_one_of_branches_is_breaking_for_responses() {
    // Clients relied on both arriving; now only one is guaranteed.
    let before = format!("{{{TWO_PROPS}, required: [email, phone]}}");
    let after = format!("{{{TWO_PROPS}, oneOf: [{{required: [email]}}, {{required: [phone]}}]}}");
    assert_breaking(&response(&before, &after), "property-became-optional");
}

#[test]
fn enum_becoming_one_of_enums_keeping_every_value_is_not_breaking() {
    let before = "{type: string, enum: [red, green, blue]}";
    let after = "{oneOf: [{type: string, enum: [red, green]}, {type: string, enum: [blue]}]}";
    assert_not_breaking(&request(before, after));
    assert_not_breaking(&response(before, after));
}

#[test]
fn enum_becoming_one_of_enums_losing_a_value_is_breaking_for_requests() {
    let before = "{type: string, enum: [red, green, blue]}";
    let after = "{oneOf: [{type: string, enum: [red]}, {type: string, enum: [blue]}]}";
    assert_eq!(worst(&request(before, after)), Some(Severity::Breaking));
}

#[test]
fn integer_becoming_any_of_now_or_integer_is_not_breaking_for_requests() {
    let before = "{type: integer}";
    let after = "{anyOf: [{enum: [now]}, {type: integer}]}";
    let found = request(before, after);
    assert_not_breaking(&found);
    assert!(!found.iter().any(|(r, _)| r == "type-changed"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(r, s)| r == "union-member-added" && *s == Severity::NonBreaking),
        "{found:?}"
    );
}

#[test]
fn integer_becoming_any_of_now_or_integer_widens_responses() {
    // Clients parsing an integer may now get the string `now`.
    let found = response(
        "{type: integer}",
        "{anyOf: [{enum: [now]}, {type: integer}]}",
    );
    assert!(
        worst(&found) >= Some(Severity::PotentiallyBreaking),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(r, _)| r == "union-member-added"),
        "{found:?}"
    );
}

#[test]
fn union_collapsing_to_one_alternative_is_judged_by_direction() {
    let before = "{oneOf: [{type: string}, {type: integer}]}";
    let after = "{type: string}";
    assert_breaking(&request(before, after), "union-member-removed");
    assert_not_breaking(&response(before, after));
}

#[test]
fn reordered_union_members_are_not_changes() {
    let before = "{oneOf: [{type: string, maxLength: 3}, {type: integer, minimum: 1}]}";
    let after = "{oneOf: [{type: integer, minimum: 1}, {type: string, maxLength: 3}]}";
    assert!(request(before, after).is_empty());
    assert!(response(before, after).is_empty());
}

#[test]
fn changed_member_is_reported_against_its_best_match() {
    let before = "{oneOf: [{type: string, maxLength: 3}, {type: integer, minimum: 1}]}";
    let after = "{oneOf: [{type: integer, minimum: 5}, {type: string, maxLength: 3}]}";
    let found = request(before, after);
    assert_eq!(
        found,
        vec![("constraint-tightened".to_owned(), Severity::Breaking)]
    );
}

#[test]
fn max_length_removed_next_to_a_new_enum_narrows_for_requests() {
    let before = "{type: string, maxLength: 10}";
    let after = "{type: string, enum: [small, large]}";
    assert_breaking(&request(before, after), "enum-added");
}

#[test]
fn max_length_removed_next_to_a_new_enum_is_not_breaking_for_responses() {
    // Every value the server may now send (`small`, `large`) fitted the old schema.
    let before = "{type: string, maxLength: 10}";
    let after = "{type: string, enum: [small, large]}";
    let found = response(before, after);
    assert_not_breaking(&found);
    // ... but a value that did not fit the old bound widens.
    let found = response(before, "{type: string, enum: [small, extra-extra-large]}");
    assert_breaking(&found, "constraint-relaxed");
}

#[test]
fn an_all_of_over_a_union_keeps_only_the_alternatives_its_other_members_allow() {
    // Only integers are ever accepted: the string alternative is emptied by `type: integer`.
    let old = "{allOf: [{oneOf: [{type: string}, {type: integer}]}, {type: integer}]}";
    // A response now sending strings sends what old clients never accepted.
    assert_breaking(&response(old, "{type: string}"), "type-changed");
    // A request now taking only strings refuses every integer old clients send.
    assert_breaking(&request(old, "{type: string}"), "type-changed");
    // Integers only, either way: no alternative was lost, so nothing is reported at all.
    assert_eq!(response(old, "{type: integer}"), vec![]);
    assert_eq!(request("{type: integer}", old), vec![]);
}

#[test]
fn a_bound_next_to_nested_unions_still_applies_to_every_alternative() {
    let old = "{type: integer, minimum: -2, maximum: 1}";
    // The same integers or `a`, in unions nested two deep, now from -1 only.
    let new = "{allOf: [{anyOf: [{anyOf: [{type: integer, minimum: -2, maximum: 1}, {enum: [a]}]}, {enum: [a]}]}, {minimum: -1}]}";
    // Old clients still send -2: the request narrowed.
    assert_breaking(&request(old, new), "constraint-tightened");
}

/// A 3.1 response whose schema is `$ref: Pet` with a description beside it, and `Pet` as
/// given (flow-style YAML).
fn response_via_described_ref(pet: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Pet', description: the pet}}\ncomponents:\n  schemas:\n    Pet: {pet}\n"
    )
}

#[test]
fn a_union_reached_through_a_ref_with_siblings_reports_its_new_alternative() {
    let before = "{type: object, properties: {name: {type: string}}}";
    // A bare string may now come back too.
    let after = "{type: [object, string], oneOf: [{type: object, properties: {name: {type: string}}}, {type: string}]}";
    let changes = diff(
        &response_via_described_ref(before),
        &response_via_described_ref(after),
    );
    assert!(
        changes.contains(&("union-member-added".into(), Severity::PotentiallyBreaking)),
        "expected a potentially breaking union-member-added, got {changes:?}"
    );
}
