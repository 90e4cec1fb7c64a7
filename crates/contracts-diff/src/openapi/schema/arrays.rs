//! Arrays whose positions are described one by one (`prefixItems`, or `items` as a list).

use super::*;

impl<'s> SchemaDiffer<'s> {
    /// `prefixItems` (JSON Schema 2020-12, OpenAPI 3.1): the schema of each leading item.
    /// A position constrained on one side only is compared with the other side's `items`,
    /// which covered it there (found by the containment property test: a `prefixItems` added
    /// was not compared at all).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn compare_prefix_items(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        b_items: &[Part<'s>],
        a_items: &[Part<'s>],
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let bp = prefix_items(b);
        let ap = prefix_items(a);
        for i in 0..bp.len().max(ap.len()) {
            let (before, after) = (bp.get(i), ap.get(i));
            match (before, after) {
                (Some(bs), Some(as_)) => {
                    self.diff_parts(bs.clone(), as_.clone(), dir, depth + 1, out)
                }
                (None, Some(as_)) if !b_items.is_empty() => {
                    self.diff_parts(b_items.to_vec(), as_.clone(), dir, depth + 1, out);
                }
                (Some(bs), None) if !a_items.is_empty() => {
                    self.diff_parts(bs.clone(), a_items.to_vec(), dir, depth + 1, out);
                }
                (None, Some(as_)) => out.push(Change::new(
                    Rule::ConstraintTightened,
                    dir.narrowed(),
                    dir,
                    self.after_loc(as_),
                    format!("item {} must now match a schema (`prefixItems`)", i + 1),
                )),
                (Some(bs), None) => out.push(Change::new(
                    Rule::ConstraintRelaxed,
                    dir.widened(),
                    dir,
                    self.before_loc(bs),
                    format!(
                        "item {} no longer has a schema of its own (`prefixItems`)",
                        i + 1
                    ),
                )),
                (None, None) => {}
            }
        }
    }
}
