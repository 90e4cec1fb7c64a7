//! One focused case per way real templates ask their questions (issue 15), through `plan`.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use guardians_core::runner::Plan as _;

use pr_critic::facts::{Facts, SourceFile};
use pr_critic::finding::{Finding, Status};
use pr_critic::plan::{Plan, plan};
use pr_critic::policy::Policy;

fn check(template: &str, body: &str) -> Plan {
    let facts = Facts {
        body: Some(body.to_owned()),
        template: Some(SourceFile {
            path: ".github/pull_request_template.md".to_owned(),
            text: template.to_owned(),
        }),
        ..Facts::default()
    };
    plan(&facts, &Policy::default())
}

fn finding<'a>(plan: &'a Plan, subject: &str) -> &'a Finding {
    plan.findings
        .iter()
        .find(|f| f.subject == subject)
        .unwrap_or_else(|| panic!("no finding for {subject}:\n{}", plan.markdown()))
}

#[test]
fn bold_questions_are_sections() {
    let template = "**What does this PR do?**\n\n<!-- describe -->\n\n**How was it tested?**\n";
    let untouched = check(template, template);
    assert!(!untouched.verdict.passed, "{}", untouched.markdown());
    assert_eq!(
        finding(&untouched, "What does this PR do?").status,
        Status::Error
    );
    let filled = check(
        template,
        "**What does this PR do?**\nAdds retries.\n\n**How was it tested?** unit tests\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn field_lines_are_answered_on_their_line() {
    let template = "Description:\n\nIssue:\n";
    assert!(!check(template, template).verdict.passed);
    let filled = check(
        template,
        "Description: adds retries to the client.\nIssue: #12\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn question_answer_tables_need_their_prompts_replaced() {
    let template = "| Q | A\n|---|---\n| Bug fix? | yes/no\n| License | MIT\n";
    let untouched = check(template, template);
    assert_eq!(finding(&untouched, "Bug fix?").status, Status::Error);
    // A default value kept as it is answers its row.
    assert_eq!(finding(&untouched, "License").status, Status::Passed);
    let filled = check(
        template,
        "| Q | A\n|---|---\n| Bug fix? | yes\n| License | MIT\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn numbered_questions_are_sections() {
    let template = "1. What problem does this solve?\n2. How did you test it?\n";
    assert!(!check(template, template).verdict.passed);
    let filled = check(
        template,
        "1. What problem does this solve?\nThe cache never expired.\n2. How did you test it?\nA unit test.\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn a_bare_checklist_needs_its_boxes_ticked() {
    let template = "- [ ] closes #xxxx\n- [ ] tests added / passed\n";
    assert!(!check(template, template).verdict.passed);
    let lazy = check(template, "Small fix.\n");
    assert!(!lazy.verdict.passed, "{}", lazy.markdown());
    let half = check(template, "- [x] closes #12\n- [ ] tests added / passed\n");
    assert!(
        !half.verdict.passed,
        "an unticked box of the template: {}",
        half.markdown()
    );
    let filled = check(template, "- [x] closes #12\n- [x] tests added / passed\n");
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn the_lead_paragraph_must_be_replaced() {
    let template = "*Replace this paragraph with a description of what this PR is changing.*\n\n## Checklist\n- [ ] I signed the CLA\n";
    let kept = check(
        template,
        "*Replace this paragraph with a description of what this PR is changing.*\n\n## Checklist\n- [x] I signed the CLA\n",
    );
    let lead = finding(&kept, "Description");
    assert_eq!(lead.status, Status::Error, "{}", kept.markdown());
    assert!(!lead.fix.as_deref().unwrap_or("").contains('#'));
    let filled = check(
        template,
        "Makes the slider announce its value.\n\n## Checklist\n- [x] I signed the CLA\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn front_matter_bom_and_crlf_are_not_sections() {
    let template = "\u{feff}---\r\nname: PR\r\nabout: Propose a change\r\n---\r\n## Summary\r\n<!-- what -->\r\n";
    let filled = check(template, "## Summary\r\nAdds retries.\r\n");
    assert!(filled.verdict.passed, "{}", filled.markdown());
    assert!(filled.findings.iter().all(|f| !f.subject.contains("name")));
    assert!(!check(template, template).verdict.passed);
}

#[test]
fn a_comment_over_sub_headings_does_not_make_the_parent_a_section_of_its_own() {
    let template =
        "## Screenshots\n<!-- one per platform -->\n### Web\n<!-- web -->\n### iOS\n<!-- ios -->\n";
    let filled = check(
        template,
        "## Screenshots\n### Web\nweb.png attached\n### iOS\nios.png attached\n",
    );
    assert!(filled.verdict.passed, "{}", filled.markdown());
}

#[test]
fn following_the_templates_instructions_passes() {
    let template = "## Summary\n<!-- what -->\n\n## Breaking change\n<!-- Remove this section if this PR is NOT a breaking change. -->\n\n## Release notes\n<!-- Leave blank if no user-facing change. -->\n\n## Other information\n\n## Checklist for maintainers\n- [ ] Labels set\n\n## Canary\n<!-- This section is updated by the release bot. -->\n";
    let filled = check(template, "## Summary\nAdds retries.\n");
    assert!(filled.verdict.passed, "{}", filled.markdown());
    // The report never asks to re-add what the template said may be deleted.
    assert!(
        !filled
            .markdown()
            .contains("Add a section headed “Breaking change”")
    );
    assert!(!check(template, template).verdict.passed);
}

#[test]
fn pick_one_and_delete_the_rest() {
    let template = "## Type\n<!-- Pick one below and delete the rest -->\n### Bug fix\n<!-- what broke -->\n### Feature\n<!-- what it adds -->\n";
    let filled = check(template, "## Type\n### Feature\nAdds an export button.\n");
    assert!(filled.verdict.passed, "{}", filled.markdown());
    assert!(!check(template, template).verdict.passed);
    assert!(!check(template, "## Type\n").verdict.passed);
}

#[test]
fn legal_text_is_satisfied_when_kept() {
    let template = "## Summary\n\n## License\nBy submitting this pull request, I confirm that my contribution is made under the terms of the Apache-2.0 license.\n";
    let body = "## Summary\nAdds retries.\n\n## License\nBy submitting this pull request, I confirm that my contribution is made under the terms of the Apache-2.0 license.\n";
    assert!(check(template, body).verdict.passed);
    let removed = check(template, "## Summary\nAdds retries.\n");
    assert_eq!(finding(&removed, "License").status, Status::Error);
}

#[test]
fn required_marks_a_disclosure_required() {
    let template = "## Summary\n\n## AI Assistance Disclosure (REQUIRED)\n<!-- select exactly one -->\n- [ ] No AI tools were used\n- [ ] If AI tools were used, I disclosed which\n";
    let plan = check(template, "## Summary\nAdds retries.\n");
    assert_eq!(
        finding(&plan, "AI Assistance Disclosure (REQUIRED)").status,
        Status::Error,
        "{}",
        plan.markdown()
    );
}

#[test]
fn nothing_answers_are_placeholders_only_where_required() {
    let template = "## Summary\n\n## Notes\n";
    let plan = check(template, "## Summary\nN/A\n\n## Notes\nN/A\n");
    assert_eq!(finding(&plan, "Summary").status, Status::Error);
    assert_eq!(finding(&plan, "Notes").status, Status::NotApplicable);
    for nothing in ["None.", "n/a", "-"] {
        let plan = check(template, &format!("## Summary\n{nothing}\n"));
        assert_eq!(finding(&plan, "Summary").status, Status::Error, "{nothing}");
    }
    // The template may say otherwise for a section.
    let plan = check(
        "## Ticket\n<!-- or write \"N/A\" if trivial -->\n",
        "## Ticket\nN/A\n",
    );
    assert!(plan.verdict.passed, "{}", plan.markdown());
}

#[test]
fn a_template_of_optional_sections_still_needs_the_authors_words() {
    let template = "## Notes\n\n## Other information\n";
    let plan = check(template, "## Notes\nN/A\n");
    assert_eq!(finding(&plan, "Description").status, Status::Error);
    assert!(
        check(template, "## Notes\nRefactors the parser.\n")
            .verdict
            .passed
    );
}

#[test]
fn yes_and_no_inside_a_code_block_is_no_answer() {
    let template = "## Breaking change?\n- [ ] Yes\n- [ ] No\n";
    let plan = check(
        template,
        "## Breaking change?\n```\n- [x] Yes\n- [x] No\nYes / No\n```\n",
    );
    assert!(!plan.verdict.passed, "{}", plan.markdown());
}

#[test]
fn a_conditional_box_of_a_bare_checklist_may_stay_unticked() {
    let template = "<!-- Please ensure you've done all of these things (if applicable). -->\n\n- [ ] I've added tests.\n- [ ] (If changing the API or CLI) I've documented the changes.\n";
    let plan = check(
        template,
        "Fixes quoting in JSX attributes.\n\n- [x] I've added tests.\n- [ ] (If changing the API or CLI) I've documented the changes.\n",
    );
    assert!(plan.verdict.passed, "{}", plan.markdown());
    assert!(!check(template, template).verdict.passed);
}

#[test]
fn bold_instructions_are_not_questions() {
    let template = "**Before submitting a pull request,** please make sure the following is done:\n\n1. Run the tests.\n2. Format your code.\n\n**Learn more about contributing:** https://example.com/contributing\n";
    assert!(!check(template, template).verdict.passed);
    let plan = check(
        template,
        "Fixes the hydration warning for `<select>` with a default value.\n",
    );
    assert!(plan.verdict.passed, "{}", plan.markdown());
}

#[test]
fn pseudo_heading_descriptions_never_leak_into_the_report() {
    let template = "| Q | A\n|---|---\n| Bug fix? | yes/no\n| Tickets | Fix #...\n\n**What does this PR do?**\n\nIssue:\n\n1. How was it tested?\n";
    let hostile_row = "| Bug fix? | SECRET-MARKER ::error::x |\n";
    let body = format!(
        "| Q | A\n|---|---\n{}**What does this PR do?** SECRET-MARKER\nIssue: SECRET-MARKER\n1. How was it tested? SECRET-MARKER\n**SECRET-MARKER?**\n",
        hostile_row.repeat(2_000)
    );
    let plan = check(template, &body);
    assert!(
        !plan.markdown().contains("SECRET-MARKER"),
        "{}",
        plan.markdown()
    );
    assert!(plan.markdown().lines().all(|line| !line.starts_with("::")));
}
