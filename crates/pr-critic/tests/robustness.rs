//! Arbitrary Markdown-ish descriptions and templates, from a fixed-seed generator: `plan` never
//! panics, and the report never repeats the description. (A deterministic stand-in for fuzzing
//! that runs with `cargo test`.)

use guardians_core::runner::Plan as _;
use pr_critic::config::PrCriticConfig;
use pr_critic::facts::{Facts, SourceFile};
use pr_critic::plan::plan;
use pr_critic::policy::Policy;

/// xorshift64*: small, deterministic, good enough to shuffle fragments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FRAGMENTS: &[&str] = &[
    "## Scope\n",
    "# ",
    "### 🧪 Tests added (with coverage)\n",
    "Contracts touched: No\n",
    "## Contracts touched (Yes/No)\n",
    "- [x] Yes\n",
    "- [ ] No\n",
    "- [X] ~~No~~\n",
    "<!--",
    "-->",
    "```\n",
    "~~~\n",
    "    indented code\n",
    "> quote ",
    "\r\n",
    "\n",
    "\n\n",
    "* ",
    "1. ",
    "  - ",
    "| a | b |\n|---|---|\n",
    "![img](https://example.com/x.png)",
    "<img src=x>",
    "[link](",
    ")",
    "https://github.com/user-attachments/assets/1",
    "TODO",
    "N/A",
    "Fixes #12 ",
    "WEB-1 ",
    "Setext\n===\n",
    "---\n",
    "<details>",
    "</details>",
    "é",
    "🤖 Generated with Claude ",
    "\u{0}",
    "\u{202e}",
    "::error::",
    "%0A",
    "*",
    "_",
    "`",
    "\\",
    "&amp;",
    "<",
    ">",
    "[",
    "]",
    "UNIQUE-BODY-MARKER ",
];

fn random_text(rng: &mut Rng, parts: usize) -> String {
    (0..parts).map(|_| rng.pick(FRAGMENTS)).collect()
}

#[test]
fn arbitrary_input_never_panics_or_leaks_into_the_report() {
    let policy = Policy::compile(&PrCriticConfig::default()).expect("defaults compile");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..400 {
        let body_parts = 1 + (rng.next() % 200) as usize;
        let body = random_text(&mut rng, body_parts);
        let template = {
            let template_parts = (rng.next() % 60) as usize;
            random_text(&mut rng, template_parts)
        }
        .replace("UNIQUE-BODY-MARKER ", "");
        let facts = Facts {
            body: (round % 17 != 0).then_some(body),
            template: (round % 5 != 0).then(|| SourceFile {
                path: "t.md".to_owned(),
                text: template,
            }),
            changed_files: vec![
                "packages/contracts/a.yaml".to_owned(),
                "src/routes/x.ts".to_owned(),
                "web/Button.tsx".to_owned(),
            ],
            changed_files_unknown: false,
            labels: vec!["ai-assisted".to_owned()],
            commit_messages: Vec::new(),
            coverage: None,
        };
        let plan = plan(&facts, &policy);
        assert!(
            !plan.markdown().contains("UNIQUE-BODY-MARKER"),
            "round {round}: the description leaked into\n{}",
            plan.markdown()
        );
        assert!(
            plan.markdown().lines().all(|line| !line.starts_with("::")),
            "round {round}: a line starts a workflow command:\n{}",
            plan.markdown()
        );
        assert_eq!(
            plan.verdict.errors,
            plan.findings
                .iter()
                .filter(|f| f.status == pr_critic::finding::Status::Error)
                .count()
        );
    }
}
