//! Named checklist sections: every `- [ ]` item must be ticked. Items inside HTML comments or
//! struck through do not count.

use crate::finding::{Finding, RuleId};
use crate::rules::Inputs;
use crate::rules::fill::{Fill, assess, problem};
use crate::sections::SectionSpec;
use crate::text::{code, count, plain};

/// Unticked items are named only when their text is the template's (trusted); the author's own
/// items are counted, never quoted.
const MAX_ITEMS_NAMED: usize = 5;

pub(crate) fn check(inputs: &Inputs<'_>, spec: &SectionSpec<'_>) -> Finding {
    let assessed = assess(inputs, spec);
    let Some(section) = assessed.section else {
        let (what, fix) = problem(Fill::Missing, spec);
        return Finding::error(RuleId::Checklist, &spec.heading, format!("{what}."), fix);
    };
    let items: Vec<_> = section.tasks().filter(|task| !task.struck).collect();
    let heading = spec.quoted();
    if items.is_empty() {
        let template_items = spec.template.map_or(0, |template| template.tasks.len());
        if template_items == 0 {
            return Finding::not_applicable(
                RuleId::Checklist,
                &spec.heading,
                "no checklist items.",
            );
        }
        return Finding::error(
            RuleId::Checklist,
            &spec.heading,
            "no checklist items left; the template's were removed.",
            format!("Restore the template's checklist under {heading} and tick every item."),
        );
    }
    let unticked: Vec<_> = items.iter().filter(|task| !task.checked).collect();
    if unticked.is_empty() {
        return Finding::passed(
            RuleId::Checklist,
            &spec.heading,
            format!("all {} ticked.", count(items.len(), "item", "items")),
        );
    }
    let template_texts: Vec<&str> = spec
        .template
        .map(|template| {
            template
                .tasks
                .iter()
                .map(|task| task.text.as_str())
                .collect()
        })
        .unwrap_or_default();
    let named: Vec<String> = unticked
        .iter()
        .filter(|task| template_texts.contains(&task.text.as_str()))
        .take(MAX_ITEMS_NAMED)
        .map(|task| format!("“{}”", plain(&task.text)))
        .collect();
    let others = unticked.len() - named.len();
    let mut listing = named.join(", ");
    if others > 0 {
        if !listing.is_empty() {
            listing.push_str(" and ");
        }
        listing.push_str(&count(others, "other item", "other items"));
    }
    Finding::error(
        RuleId::Checklist,
        &spec.heading,
        format!(
            "{} of {} not ticked: {listing}.",
            unticked.len(),
            count(items.len(), "item", "items"),
        ),
        format!(
            "Tick every item under {heading} once it is done ({}); strike through (`~~item~~`) an item that does not apply.",
            code("- [x]")
        ),
    )
}
