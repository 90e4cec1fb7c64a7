//! The `pr-critic:` section's paths and globs are repository-relative: `..`, absolute paths and
//! backslashes are refused with the key (element index included) and the file's line.

use pr_critic::config::PrCriticConfig;

/// The error text for `yaml`, whose `pr-critic` section must not read.
fn refused(yaml: &str) -> String {
    guardians_core::config::parse_section::<PrCriticConfig>(yaml, ".github/guardians.yml")
        .expect_err("a path leaving the repository must be refused")
        .to_string()
}

#[test]
fn pr_critic_template_paths_name_the_element() {
    let text = refused(
        "pr-critic:\n  template-paths:\n    - .github/PULL_REQUEST_TEMPLATE.md\n    - \"../x\"\n",
    );
    assert!(
        text.contains(r#"at `pr-critic.template-paths[1]`: "../x" leaves the repository; write a path relative to the repository root"#),
        "{text}"
    );
    // The file and the line of the list are named too.
    assert!(text.starts_with(".github/guardians.yml:3: "), "{text}");
}

#[test]
fn pr_critic_rule_paths_are_checked_in_every_rule() {
    let cases = [
        (
            "pr-critic:\n  approvals:\n    - paths: [\"/etc/**\"]\n      label: ok\n",
            "pr-critic.approvals[0].paths[0]",
            "absolute path",
        ),
        (
            "pr-critic:\n  allowed-paths:\n    - paths: [\"docs/**\", \"docs/../../**\"]\n",
            "pr-critic.allowed-paths[0].paths[1]",
            "leaves the repository",
        ),
        (
            "pr-critic:\n  sections:\n    - name: API\n      when:\n        paths: [\"api\\\\*.yaml\"]\n",
            "pr-critic.sections[0].when.paths[0]",
            "backslash",
        ),
        (
            "pr-critic:\n  contracts:\n    paths: [\"C:/api/**\"]\n",
            "pr-critic.contracts.paths[0]",
            "absolute path",
        ),
        (
            "pr-critic:\n  tests:\n    test-paths: [\"../tests/**\"]\n",
            "pr-critic.tests.test-paths[0]",
            "leaves the repository",
        ),
        (
            "pr-critic:\n  coverage:\n    report: /tmp/lcov.info\n",
            "pr-critic.coverage.report",
            "absolute path",
        ),
    ];
    for (yaml, key, problem) in cases {
        let text = refused(yaml);
        assert!(text.contains(&format!("at `{key}`")), "{key}: {text}");
        assert!(text.contains(problem), "{key}: {text}");
    }
}
