//! Which sections the description must have: the template's headings, adjusted and extended by
//! the configuration, each with the rule that checks it and when it is required.

use crate::heading::contains_words;
use crate::instructions::Ask;
use crate::policy::{Condition, Policy};
use crate::rules::Inputs;
use crate::template::{Template, TemplateSection};
use crate::text::{code, code_list, count};

/// The rule that checks a section's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Filled in: not missing, empty, the template's text or a placeholder.
    Generic,
    /// Exactly one Yes/No answer.
    YesNo,
    /// The Yes/No contracts answer, checked against the diff.
    Contracts,
    /// Required when route or handler code changed.
    Endpoints,
    /// Required, with media, when UI code changed.
    Screenshots,
    /// Required when the PR is AI-assisted.
    AgentMetadata,
    /// Every item ticked.
    Checklist,
}

/// When a section is required, before looking at the PR.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Requirement<'a> {
    Always,
    Optional,
    /// The template does not ask it of the author; the reason is shown.
    Excused(&'static str),
    /// The configuration's `when:`.
    When(&'a Condition),
    /// What the section's rule says (e.g. screenshots when UI code changed).
    ByRole,
}

/// A section the description is checked for.
#[derive(Debug, Clone)]
pub(crate) struct SectionSpec<'a> {
    /// The heading as the template (or the configuration) writes it.
    pub heading: String,
    /// Its comparison key (see [`crate::heading::HeadingKey`]).
    pub key: String,
    pub template: Option<&'a TemplateSection>,
    pub role: Role,
    pub requirement: Requirement<'a>,
    pub allow_na: bool,
    /// The template's text is the answer: the section is satisfied when kept as it is.
    pub keep_intact: bool,
    /// Alternatives share a number: one of them must be filled in, the others may be deleted.
    pub choice: Option<usize>,
}

/// Whether a section is required for this PR, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Need {
    Required {
        /// Why, when it depends on the PR ("UI files changed").
        because: Option<String>,
        files: Vec<String>,
    },
    NotRequired {
        because: String,
    },
}

impl SectionSpec<'_> {
    /// The heading as a reader sees it, in quotes (“Scope”), without its Markdown.
    pub(crate) fn quoted(&self) -> String {
        match self.template {
            Some(template) => template.quoted(),
            None => crate::template::quote(&self.heading),
        }
    }

    /// The subject of this section's findings.
    pub(crate) fn subject(&self) -> &str {
        if self.is_lead() {
            "Description"
        } else {
            &self.heading
        }
    }

    /// The text before the template's first heading.
    pub(crate) fn is_lead(&self) -> bool {
        self.template.is_some_and(|template| template.is_lead)
    }

    pub(crate) fn need(&self, inputs: &Inputs<'_>) -> Need {
        match self.requirement {
            Requirement::Always => Need::Required {
                because: None,
                files: Vec::new(),
            },
            Requirement::Optional => Need::NotRequired {
                because: "optional".to_owned(),
            },
            Requirement::Excused(because) => Need::NotRequired {
                because: because.to_owned(),
            },
            Requirement::When(condition) => condition_need(condition, inputs),
            Requirement::ByRole => role_need(self.role, inputs),
        }
    }
}

fn condition_need(condition: &Condition, inputs: &Inputs<'_>) -> Need {
    if let Some(label) = condition
        .labels
        .iter()
        .find(|label| inputs.facts.has_label(label))
    {
        return Need::Required {
            because: Some(format!("the PR has the {} label", code(label))),
            files: Vec::new(),
        };
    }
    let files: Vec<String> = inputs
        .facts
        .changed_files
        .iter()
        .filter(|path| condition.paths.is_match(path))
        .cloned()
        .collect();
    if !files.is_empty() {
        return Need::Required {
            because: Some(format!(
                "{} matching {} changed",
                count(files.len(), "file", "files"),
                code_list(&condition.paths.patterns, 3)
            )),
            files,
        };
    }
    if condition.ai_assisted && inputs.ai.is_assisted() {
        return Need::Required {
            because: Some(format!(
                "the PR is marked AI-assisted by {}",
                inputs.ai.summary()
            )),
            files: Vec::new(),
        };
    }
    Need::NotRequired {
        because: "its condition does not apply to this PR".to_owned(),
    }
}

fn role_need(role: Role, inputs: &Inputs<'_>) -> Need {
    let (files, what) = match role {
        Role::Endpoints => (&inputs.changes.routes, "route or handler"),
        Role::Screenshots => (&inputs.changes.ui, "UI"),
        Role::AgentMetadata => {
            return if inputs.ai.is_assisted() {
                Need::Required {
                    because: Some(format!(
                        "the PR is marked AI-assisted by {}",
                        inputs.ai.summary()
                    )),
                    files: Vec::new(),
                }
            } else {
                Need::NotRequired {
                    because: "the PR is not marked AI-assisted".to_owned(),
                }
            };
        }
        Role::Generic | Role::YesNo | Role::Contracts | Role::Checklist => {
            return Need::Required {
                because: None,
                files: Vec::new(),
            };
        }
    };
    if files.is_empty() {
        Need::NotRequired {
            because: format!("no {what} files changed"),
        }
    } else {
        Need::Required {
            because: Some(format!(
                "{} {} changed",
                count(files.len(), what, what),
                if files.len() == 1 { "file" } else { "files" }
            )),
            files: files.clone(),
        }
    }
}

/// The sections to check, in the template's order, followed by configured sections that the
/// template lacks.
pub(crate) fn resolve<'a>(
    template: Option<&'a Template>,
    policy: &'a Policy,
) -> Vec<SectionSpec<'a>> {
    let mut specs: Vec<SectionSpec<'a>> = Vec::new();
    let mut taken = TakenRoles::default();
    let mut configured_used = vec![false; policy.sections.len()];
    let mut checklists_used = vec![false; policy.checklists.len()];

    if policy.use_template
        && let Some(template) = template
    {
        for section in template
            .sections
            .iter()
            .filter(|s| (!s.key.key.is_empty() || s.is_lead) && !s.is_group)
        {
            let configured = policy
                .sections
                .iter()
                .position(|configured| configured.key == section.key.key);
            if let Some(index) = configured {
                configured_used[index] = true;
            }
            let checklist = policy
                .checklists
                .iter()
                .position(|checklist| checklist.key == section.key.key);
            if let Some(index) = checklist {
                checklists_used[index] = true;
            }
            let role = if checklist.is_some() {
                Role::Checklist
            } else {
                taken.role(&section.key.key, Some(section.asks_yes_no), policy)
            };
            let default_requirement = match (section.ask, role) {
                // "(REQUIRED)" in the template: even a rule's conditional section is required.
                (Ask::Required, _) => Requirement::Always,
                (Ask::NotForAuthor(why), _) => Requirement::Excused(why),
                (_, Role::Endpoints | Role::Screenshots | Role::AgentMetadata) => {
                    Requirement::ByRole
                }
                (Ask::Optional(why), _) => Requirement::Excused(why),
                (Ask::Fill | Ask::KeepIntact, _) => Requirement::Always,
            };
            let configured = configured.map(|index| &policy.sections[index]);
            specs.push(SectionSpec {
                heading: section.heading.clone(),
                key: section.key.key.clone(),
                template: Some(section),
                role,
                requirement: configured.map_or(default_requirement, configured_requirement),
                allow_na: section.accepts_na
                    || configured.is_some_and(|configured| configured.allow_na),
                keep_intact: section.ask == Ask::KeepIntact,
                // A section the configuration names is its own, not one of the alternatives.
                choice: section.choice.filter(|_| configured.is_none()),
            });
        }
    }

    for (index, configured) in policy.sections.iter().enumerate() {
        if configured_used[index] {
            continue;
        }
        let role = taken.role(&configured.key, None, policy);
        specs.push(SectionSpec {
            heading: configured.name.clone(),
            key: configured.key.clone(),
            template: None,
            role,
            requirement: configured_requirement(configured),
            allow_na: configured.allow_na,
            keep_intact: false,
            choice: None,
        });
    }
    for (index, checklist) in policy.checklists.iter().enumerate() {
        if checklists_used[index] {
            continue;
        }
        specs.push(SectionSpec {
            heading: checklist.name.clone(),
            key: checklist.key.clone(),
            template: None,
            role: Role::Checklist,
            requirement: Requirement::Always,
            allow_na: false,
            keep_intact: false,
            choice: None,
        });
    }
    specs
}

fn configured_requirement(configured: &crate::policy::ConfiguredSection) -> Requirement<'_> {
    if configured.optional {
        Requirement::Optional
    } else if let Some(condition) = &configured.when {
        Requirement::When(condition)
    } else {
        Requirement::Always
    }
}

/// Each rule checks one section: the first heading that names it.
#[derive(Default)]
struct TakenRoles {
    contracts: bool,
    endpoints: bool,
    screenshots: bool,
    agent_metadata: bool,
}

impl TakenRoles {
    /// `asks_yes_no` is `None` for a section only the configuration names: naming it under
    /// `contracts.headings` is enough to make it the contracts question.
    fn role(&mut self, key: &str, asks_yes_no: Option<bool>, policy: &Policy) -> Role {
        let names = |headings: &[String]| headings.iter().any(|name| contains_words(key, name));
        if policy.contracts.enabled
            && !self.contracts
            && names(&policy.contracts.headings)
            && asks_yes_no != Some(false)
        {
            self.contracts = true;
            return Role::Contracts;
        }
        if policy.endpoints.enabled && !self.endpoints && names(&policy.endpoints.headings) {
            self.endpoints = true;
            return Role::Endpoints;
        }
        if policy.screenshots.enabled && !self.screenshots && names(&policy.screenshots.headings) {
            self.screenshots = true;
            return Role::Screenshots;
        }
        if policy.agent_metadata.enabled
            && !self.agent_metadata
            && names(&policy.agent_metadata.headings)
        {
            self.agent_metadata = true;
            return Role::AgentMetadata;
        }
        if asks_yes_no == Some(true) {
            Role::YesNo
        } else {
            Role::Generic
        }
    }
}
