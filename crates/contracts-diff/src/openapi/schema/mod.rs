//! Semantic comparison of two JSON Schemas (as used by OpenAPI 3.0/3.1 and JSON Schema
//! drafts 4 to 2020-12), judged by the direction the data flows.
//!
//! A schema is first flattened into its *parts*: the object as written, the targets of its
//! `$ref`s and the members of its `allOf`, which all constrain the value together. Keywords
//! are then combined over the parts (bounds take the tightest, enums intersect, properties
//! and `required` unite), so `allOf` splits, `$ref` siblings (3.1) and inline copies of a
//! component compare equal when they mean the same.
//!
//! This file holds the comparison itself: the memo (each pair of locations compared once
//! per direction), the work budget, recursion and the worklist past `DEFER_DEPTH`, and the
//! dispatch over keyword families, each in its own file: `types`, `values` (`enum`, `const`,
//! `format`), `bounds` (bounds, counts, `pattern` decided by `pattern`), `objects`, `arrays`,
//! `unions` and `annotations`. `tests/containment_property.rs` checks the verdicts against a
//! JSON Schema validator; `tests/rules.rs` pins each family in each direction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::change::{Change, Direction, Severity};
use crate::limits::Limits;
use crate::resolve::{Node, RefError, Spec, push_token};
use crate::rules::Rule;

mod annotations;
mod arrays;
mod bounds;
mod objects;
mod pattern;
mod types;
mod unions;
mod values;

use self::annotations::*;
use self::bounds::*;
use self::types::*;
use self::unions::*;
use self::values::*;

/// One side of the comparison: the spec and whether `$ref` siblings apply (OpenAPI 3.1 and
/// JSON Schema 2019-09+) or are ignored (OpenAPI 3.0, older drafts).
#[derive(Debug, Clone, Copy)]
pub struct Side<'s> {
    pub spec: &'s Spec,
    pub ref_siblings_apply: bool,
    /// OpenAPI 3.0 `nullable`: a schema without it does not accept `null`.
    pub null_needs_opt_in: bool,
}

/// A schema object as written at one location.
#[derive(Debug, Clone)]
pub struct Part<'s> {
    pub value: &'s Value,
    pub file: &'s str,
    pub pointer: String,
    /// The `$ref` object this value was reached through, when its `description` and
    /// `summary` override the target's (OpenAPI 3.1 reference objects).
    pub site: Option<&'s Value>,
    /// This part's `oneOf`/`anyOf` was already split into alternatives (each alternative is
    /// this part plus one member), so flattening must not split it again.
    pub distributed: bool,
}

impl<'s> Part<'s> {
    pub fn new(node: Node<'s>, pointer: String) -> Self {
        Part {
            value: node.value,
            file: node.file,
            pointer,
            site: None,
            distributed: false,
        }
    }

    fn get(&self, key: &str) -> Option<&'s Value> {
        self.value.get(key)
    }

    fn child(&self, key: &str) -> Option<Part<'s>> {
        self.value.get(key).map(|value| Part {
            value,
            file: self.file,
            pointer: push_token(&self.pointer, key),
            site: None,
            distributed: false,
        })
    }

    fn child2(&self, key: &str, name: &str) -> Option<Part<'s>> {
        self.value
            .get(key)
            .and_then(|m| m.get(name))
            .map(|value| Part {
                value,
                file: self.file,
                pointer: push_token(&push_token(&self.pointer, key), name),
                site: None,
                distributed: false,
            })
    }

    fn index(&self, key: &str, i: usize) -> Option<Part<'s>> {
        self.value
            .get(key)
            .and_then(|m| m.get(i))
            .map(|value| Part {
                value,
                file: self.file,
                pointer: push_token(&push_token(&self.pointer, key), &i.to_string()),
                site: None,
                distributed: false,
            })
    }
}

/// Bookkeeping shared by one document-pair comparison: limits, work budget, memo, cycle
/// guard.
///
/// Every comparison is made once per (resolved locations on both sides, direction): shared
/// components reached through many `$ref`s, `allOf`s and union members are not compared
/// again, and their findings are kept once, in the memo; a parent refers to the memoised
/// comparison instead of copying its findings. Findings are copied out only when a
/// top-level comparison is collected, each reachable comparison once. All of that is work
/// counted against `Limits::max_comparisons`; when it runs out the comparison stops and
/// says where (`too_complex`), which is reported as a breaking finding.
pub struct SchemaDiffer<'s> {
    pub before: Side<'s>,
    pub after: Side<'s>,
    limits: Limits,
    work: usize,
    /// Where the nesting limit cut the comparison short, when the schemas differ below.
    pub incomplete: Option<String>,
    /// Set when the work budget ran out: where the comparison stood.
    pub too_complex: Option<String>,
    in_progress: HashSet<MemoKey>,
    /// Comparisons made, to their findings; `None` when they found nothing.
    memo: HashMap<MemoKey, Option<usize>>,
    nodes: Vec<Vec<Entry>>,
    /// Worst severity and number of findings under a memoised comparison, once read.
    summaries: HashMap<usize, (Option<Severity>, usize)>,
    /// Comparisons reached deeper than `DEFER_DEPTH`, made after the one under way (see
    /// `diff`), with the node their findings go to.
    deferred: Vec<(Vec<Part<'s>>, Vec<Part<'s>>, Direction, usize)>,
    /// Rewritten patterns this comparison may still decide exactly (see `pattern`).
    patterns_left: usize,
    /// How many alternative pairings are being tried (their findings are read at once to
    /// choose the best, so nothing under them is deferred). A trial that reaches a
    /// comparison queued earlier reads it as finding nothing yet: that can only steer which
    /// pairing is reported, never hide what the reported pairing finds (its link to the
    /// queued comparison is collected once that is made).
    trials: usize,
}

/// Real specifications chain their components deeply: Stripe's expandable fields lead from
/// one component to the next for hundreds of distinct pairs, each compared once. Recursing
/// along that chain would hit `max_schema_depth` (which guards the stack against schemas
/// nested inline) and report half a specification as not analysed. Past this depth a
/// comparison is queued instead, and made from a fresh stack once the current one is done;
/// the memo links every path to the same findings.
const DEFER_DEPTH: usize = 16;

/// What identifies a comparison: the resolved locations compared on each side (a `$ref`
/// stands for its target), the direction, and whether it is the top of a schema (broken
/// references are reported there even when both versions have them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum MemoKey {
    One(usize, usize, Direction, bool),
    Many(Box<[usize]>, Box<[usize]>, Direction, bool),
}

/// One finding of a comparison, or a reference to a memoised comparison's findings.
/// Boxed: references far outnumber findings, and should cost two words, not a `Change`.
#[derive(Debug)]
enum Entry {
    Change(Box<Change>),
    Node(usize),
}

/// The findings of one comparison, in the order they were made.
#[derive(Debug, Default)]
pub struct Found {
    entries: Vec<Entry>,
}

impl Found {
    fn push(&mut self, change: Change) {
        self.entries.push(Entry::Change(Box::new(change)));
    }
}

/// A flattened schema: every part that constrains the value, in priority order.
struct Flat<'s> {
    parts: Vec<Part<'s>>,
    /// Parts that said nothing but a union already split (see `is_split_union`): no
    /// constraint of their own, carried into every alternative of a union split below so
    /// that they stay split there too.
    split: Vec<Part<'s>>,
    broken: Vec<(String, String, RefError)>,
    side: Side<'s>,
}

impl<'s> SchemaDiffer<'s> {
    pub fn new(before: Side<'s>, after: Side<'s>, limits: Limits) -> Self {
        SchemaDiffer {
            before,
            after,
            limits,
            work: 0,
            incomplete: None,
            too_complex: None,
            in_progress: HashSet::new(),
            memo: HashMap::new(),
            nodes: Vec::new(),
            summaries: HashMap::new(),
            deferred: Vec::new(),
            patterns_left: pattern::DECISIONS,
            trials: 0,
        }
    }

    /// Units of work spent so far: comparisons started and findings collected.
    pub fn work(&self) -> usize {
        self.work
    }

    /// Compares the schema at `b` (base) with the one at `a` (head) for data flowing `dir`.
    pub fn diff(&mut self, b: Part<'s>, a: Part<'s>, dir: Direction) -> Vec<Change> {
        let mut found = Found::default();
        self.diff_parts(vec![b], vec![a], dir, 0, &mut found);
        while let Some((b, a, dir, node)) = self.deferred.pop() {
            // Once the budget is spent the comparison reports `too_complex` (which gates);
            // what is still queued would only add findings to a verdict already given.
            if self.too_complex.is_some() {
                self.deferred.clear();
                break;
            }
            let key = self.key(&b, &a, dir, false);
            self.in_progress.insert(key.clone());
            let mut local = Found::default();
            self.compare_pair(b, a, dir, 1, &mut local);
            self.in_progress.remove(&key);
            self.nodes[node] = local.entries;
        }
        self.collect(found)
    }

    /// Counts `units` of work; false (and `too_complex` set to `at`) once the budget is spent.
    fn spend(&mut self, units: usize, at: impl FnOnce(&Self) -> String) -> bool {
        if self.too_complex.is_some() {
            return false;
        }
        self.work = self.work.saturating_add(units);
        if self.work <= self.limits.max_comparisons {
            return true;
        }
        if self.too_complex.is_none() {
            self.too_complex = Some(at(self));
        }
        false
    }

    /// The findings of a top-level comparison: its own, then those of every comparison it
    /// reached, each memoised comparison once.
    fn collect(&mut self, found: Found) -> Vec<Change> {
        let mut out = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        // Depth-first in the order the findings were made: (node or root, next entry).
        let mut stack: Vec<(Option<usize>, usize)> = vec![(None, 0)];
        let mut steps = 0;
        while let Some((node, i)) = stack.pop() {
            let entries = match node {
                None => &found.entries,
                Some(n) => &self.nodes[n],
            };
            let Some(entry) = entries.get(i) else {
                continue;
            };
            stack.push((node, i + 1));
            steps += 1;
            match entry {
                Entry::Change(change) => out.push(Change::clone(change)),
                Entry::Node(n) => {
                    if seen.insert(*n) {
                        stack.push((Some(*n), 0));
                    }
                }
            }
        }
        let at = out.first().map(|c: &Change| c.pointer.clone());
        self.spend(steps, |_| at.unwrap_or_default());
        out
    }

    fn key(&self, b: &[Part<'s>], a: &[Part<'s>], dir: Direction, top: bool) -> MemoKey {
        // Borrowed, not cloned: this runs once per comparison, and a part owns its pointer.
        let b: Vec<&Part<'s>> = b.iter().filter(|p| !is_split_union(p)).collect();
        let a: Vec<&Part<'s>> = a.iter().filter(|p| !is_split_union(p)).collect();
        match (b.as_slice(), a.as_slice()) {
            ([pb], [pa]) => MemoKey::One(
                self.resolved(pb, self.before),
                self.resolved(pa, self.after),
                dir,
                top,
            ),
            _ => MemoKey::Many(
                b.iter().map(|p| self.resolved(p, self.before)).collect(),
                a.iter().map(|p| self.resolved(p, self.after)).collect(),
                dir,
                top,
            ),
        }
    }

    /// The location a part stands for: a pure `$ref`'s target, otherwise the part itself.
    fn resolved(&self, part: &Part<'s>, side: Side<'s>) -> usize {
        let value = part.value;
        let target = value.as_object().and_then(|map| {
            let reference = map.get("$ref")?.as_str()?;
            if side.ref_siblings_apply && map.len() > 1 {
                return None;
            }
            let (node, _) = side.spec.follow(part.file, reference).ok()?;
            Some(node.value)
        });
        let address = target.unwrap_or(value) as *const Value as usize;
        // A part whose union was split stands for less than the part itself: its own key.
        // (Addresses never reach the top bit.)
        address | (usize::from(part.distributed) << (usize::BITS - 1))
    }

    fn diff_parts(
        &mut self,
        b: Vec<Part<'s>>,
        a: Vec<Part<'s>>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let where_ = |d: &Self| {
            a.first()
                .map(|p| d.after.spec.display(p.file, &p.pointer))
                .or_else(|| b.first().map(|p| d.before.spec.display(p.file, &p.pointer)))
                .unwrap_or_default()
        };
        if depth > self.limits.max_schema_depth {
            // Too deep to compare here; but when everything below reads the same on both
            // sides (references followed), nothing is hidden and there is nothing to say.
            if self.incomplete.is_none() && !self.same_below(&b, &a) {
                self.incomplete = Some(where_(self));
            }
            return;
        }
        if !self.spend(1, where_) {
            return;
        }
        let key = self.key(&b, &a, dir, depth == 0);
        if let Some(&found) = self.memo.get(&key) {
            if let Some(node) = found {
                out.entries.push(Entry::Node(node));
            }
            return;
        }
        // A cycle: the comparison under way reports what differs on this path.
        if self.in_progress.contains(&key) {
            return;
        }
        if depth >= DEFER_DEPTH && self.trials == 0 {
            self.nodes.push(Vec::new());
            let node = self.nodes.len() - 1;
            self.memo.insert(key, Some(node));
            self.deferred.push((b, a, dir, node));
            out.entries.push(Entry::Node(node));
            return;
        }
        self.in_progress.insert(key.clone());
        let mut local = Found::default();
        self.compare_pair(b, a, dir, depth, &mut local);
        self.in_progress.remove(&key);
        let node = (!local.entries.is_empty()).then(|| {
            self.nodes.push(local.entries);
            self.nodes.len() - 1
        });
        self.memo.insert(key, node);
        if let Some(node) = node {
            out.entries.push(Entry::Node(node));
        }
    }

    /// The comparison itself, without the memo and the depth rules around it.
    fn compare_pair(
        &mut self,
        b: Vec<Part<'s>>,
        a: Vec<Part<'s>>,
        dir: Direction,
        depth: usize,
        local: &mut Found,
    ) {
        // Identical text and no references: nothing can differ.
        let identical = b.len() == 1
            && a.len() == 1
            && b[0].value == a[0].value
            && !contains_ref(b[0].value, 4);
        if !identical {
            let fb = self.flatten(self.before, b);
            let fa = self.flatten(self.after, a);
            self.compare(&fb, &fa, dir, depth, local);
        }
    }

    /// Whether the schemas at `b` and `a` read the same all the way down, references
    /// followed on each side (iteratively: this runs where recursion stopped). Unsure (work
    /// budget spent, a `$ref` on one side only) is false.
    fn same_below(&mut self, b: &[Part<'s>], a: &[Part<'s>]) -> bool {
        if b.len() != a.len() {
            return false;
        }
        let mut stack: Vec<(&'s Value, &'s str, &'s Value, &'s str)> = b
            .iter()
            .zip(a)
            .map(|(x, y)| (x.value, x.file, y.value, y.file))
            .collect();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut steps = 0usize;
        let mut same = true;
        while let Some((vb, fb, va, fa)) = stack.pop() {
            steps += 1;
            if steps > self.limits.max_comparisons / 4 {
                same = false;
                break;
            }
            if !seen.insert((vb as *const Value as usize, va as *const Value as usize)) {
                continue;
            }
            match (vb, va) {
                (Value::Object(mb), Value::Object(ma)) => {
                    if mb.len() != ma.len() || mb.keys().any(|k| !ma.contains_key(k)) {
                        same = false;
                        break;
                    }
                    for (key, cb) in mb {
                        let ca = &ma[key];
                        if key == "$ref"
                            && let (Some(rb), Some(ra)) = (cb.as_str(), ca.as_str())
                        {
                            match (
                                self.before.spec.follow(fb, rb),
                                self.after.spec.follow(fa, ra),
                            ) {
                                (Ok((nb, _)), Ok((na, _))) => {
                                    stack.push((nb.value, nb.file, na.value, na.file));
                                }
                                // Unresolved on both sides: compared as text.
                                (Err(_), Err(_)) if rb == ra => {}
                                _ => {
                                    same = false;
                                    break;
                                }
                            }
                        } else {
                            stack.push((cb, fb, ca, fa));
                        }
                    }
                    if !same {
                        break;
                    }
                }
                (Value::Array(xb), Value::Array(xa)) => {
                    if xb.len() != xa.len() {
                        same = false;
                        break;
                    }
                    stack.extend(xb.iter().zip(xa).map(|(x, y)| (x, fb, y, fa)));
                }
                _ if vb == va => {}
                _ => {
                    same = false;
                    break;
                }
            }
        }
        self.spend(steps, |_| String::new()) && same
    }

    fn flatten(&self, side: Side<'s>, start: Vec<Part<'s>>) -> Flat<'s> {
        let mut flat = Flat {
            parts: Vec::new(),
            split: Vec::new(),
            broken: Vec::new(),
            side,
        };
        let mut seen: HashSet<usize> = HashSet::new();
        // A union already split into this alternative stays split: the `allOf` or `$ref`
        // that led to it would bring it back unsplit, and splitting it again would reach the
        // same alternative and stop at the cycle, reporting nothing.
        let mut queue: std::collections::VecDeque<Part<'s>> = std::collections::VecDeque::new();
        // Likewise a split part with constraints of its own: reached again unsplit (through a
        // `$ref` with siblings, followed before the split copy is dequeued), the split copy
        // is the one kept.
        let split_here: HashSet<usize> = start
            .iter()
            .filter(|part| part.distributed)
            .map(|part| part.value as *const Value as usize)
            .collect();
        for part in start {
            if is_split_union(&part) {
                seen.insert(part.value as *const Value as usize);
                flat.split.push(part);
            } else {
                queue.push_back(part);
            }
        }
        while let Some(part) = queue.pop_front() {
            let address = part.value as *const Value as usize;
            if !part.distributed && split_here.contains(&address) {
                continue;
            }
            if flat.parts.len() >= 64 || !seen.insert(address) {
                continue;
            }
            let Some(map) = part.value.as_object() else {
                // `true`/`false` schemas (JSON Schema 6+): `false` accepts nothing.
                if part.value == &Value::Bool(false) {
                    flat.parts.push(part);
                }
                continue;
            };
            let reference = map.get("$ref").and_then(Value::as_str);
            if let Some(reference) = reference {
                match side.spec.follow(part.file, reference) {
                    Ok((node, pointer)) => {
                        let target = Part::new(node, pointer);
                        if side.ref_siblings_apply && map.len() > 1 {
                            push_members(&part, &mut queue);
                            flat.parts.push(part);
                        }
                        queue.push_front(target);
                    }
                    Err(e) => {
                        let at = side.spec.display(part.file, &part.pointer);
                        flat.broken.push((reference.to_owned(), at, e));
                        if side.ref_siblings_apply {
                            push_members(&part, &mut queue);
                            flat.parts.push(part);
                        }
                    }
                }
                continue;
            }
            push_members(&part, &mut queue);
            flat.parts.push(part);
        }
        flat
    }

    fn compare(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let before_refs: BTreeSet<&str> = b.broken.iter().map(|(r, _, _)| r.as_str()).collect();
        for (reference, pointer, error) in &a.broken {
            if !before_refs.contains(reference.as_str()) || depth == 0 {
                out.push(Change::new(
                    Rule::UnresolvedReference,
                    Severity::PotentiallyBreaking,
                    dir,
                    pointer.clone(),
                    format!(
                        "`$ref: {reference}` was not followed: {}; it is compared as text only",
                        error.describe()
                    ),
                ));
            }
        }

        let b_union = union_members(b);
        let a_union = union_members(a);
        if b_union.is_some() || a_union.is_some() {
            let kind = a_union
                .as_ref()
                .or(b_union.as_ref())
                .map_or("oneOf", |u| u.kind);
            let bm = self.without_empty(self.before, alternatives(b, b_union));
            let am = self.without_empty(self.after, alternatives(a, a_union));
            self.compare_alternatives(bm, am, kind, a, dir, depth, out);
            compare_docs(b, a, dir, out);
            return;
        }

        let start = out.entries.len();
        compare_types(b, a, dir, out);
        compare_enum(b, a, dir, out);
        compare_format(b, a, dir, out);
        compare_bounds(b, a, dir, out);
        for (min_key, max_key) in [
            ("minLength", "maxLength"),
            ("minItems", "maxItems"),
            ("minProperties", "maxProperties"),
        ] {
            compare_counts(b, a, min_key, max_key, dir, out);
        }
        compare_patterns(b, a, dir, &mut self.patterns_left, out);
        compare_value_sets(b, a, "multipleOf", dir, out);
        // Keywords compared as whole values: one added narrows, one removed widens, one
        // changed is judged breaking both ways (not compared inside; found unjudged by the
        // containment property test).
        for key in [
            "not",
            "patternProperties",
            "propertyNames",
            "dependentRequired",
            "unevaluatedProperties",
            "contains",
        ] {
            compare_value_sets(b, a, key, dir, out);
        }
        compare_contains_counts(b, a, dir, out);
        compare_flag(b, a, "uniqueItems", dir, out);
        self.compare_properties(b, a, dir, depth, out);
        self.compare_additional(b, a, dir, depth, out);
        let bi = collect_children(b, "items");
        let ai = collect_children(a, "items");
        self.compare_prefix_items(b, a, &bi, &ai, dir, depth, out);
        if !bi.is_empty() && !ai.is_empty() {
            self.diff_parts(bi, ai, dir, depth + 1, out);
        }
        compare_discriminator(b, a, dir, out);
        compare_xml(b, a, out, dir);
        compare_default(b, a, dir, out);
        compare_deprecated(b, a, dir, out);
        compare_docs(b, a, dir, out);
        // Judged on the whole schema: when every value an enum allows on the side that must
        // be contained is accepted by the other side, no keyword change can break anyone
        // (a `maxLength` dropped next to a new `enum` in a response only narrows).
        let contained = match dir {
            Direction::Request => values_accepted(b, a),
            Direction::Response => values_accepted(a, b),
            Direction::Both | Direction::None => false,
        };
        if contained {
            for entry in &mut out.entries[start..] {
                if let Entry::Change(change) = entry
                    && is_value_set_rule(change.rule)
                    && change.severity > Severity::NonBreaking
                {
                    change.severity = Severity::NonBreaking;
                    change.message.push_str(
                        "; every value the enum allows is still accepted, so this does not break clients",
                    );
                }
            }
        }
    }

    /// The worst severity among the findings of `found` (and the comparisons it refers
    /// to), and how many there are (a comparison reached twice counts twice: this only ranks
    /// candidate pairings). Each memoised comparison is summed up once.
    fn worst_in(&mut self, found: &Found) -> (Option<Severity>, usize) {
        let mut worst = None;
        let mut count: usize = 0;
        for entry in &found.entries {
            let (w, c) = match entry {
                Entry::Change(change) => (Some(change.severity), 1),
                Entry::Node(n) => self.node_summary(*n),
            };
            worst = worst.max(w);
            count = count.saturating_add(c);
        }
        (worst, count)
    }

    fn node_summary(&mut self, node: usize) -> (Option<Severity>, usize) {
        if let Some(&summary) = self.summaries.get(&node) {
            return summary;
        }
        // A memoised comparison only refers to comparisons finished before it: no cycles.
        let children: Vec<usize> = self.nodes[node]
            .iter()
            .filter_map(|e| match e {
                Entry::Node(n) => Some(*n),
                Entry::Change(_) => None,
            })
            .collect();
        let mut worst = None;
        let mut count: usize = 0;
        for entry in &self.nodes[node] {
            if let Entry::Change(change) = entry {
                worst = worst.max(Some(change.severity));
                count += 1;
            }
        }
        for child in children {
            let (w, c) = self.node_summary(child);
            worst = worst.max(w);
            count = count.saturating_add(c);
        }
        self.spend(self.nodes[node].len(), |_| String::new());
        self.summaries.insert(node, (worst, count));
        (worst, count)
    }

    fn before_loc(&self, parts: &[Part<'s>]) -> String {
        parts.first().map_or_else(String::new, |p| {
            self.before.spec.display(p.file, &p.pointer)
        })
    }

    fn after_loc(&self, parts: &[Part<'s>]) -> String {
        parts
            .first()
            .map_or_else(String::new, |p| self.after.spec.display(p.file, &p.pointer))
    }
}

fn contains_ref(value: &Value, depth: usize) -> bool {
    if depth == 0 {
        return true;
    }
    match value {
        Value::Object(map) => {
            map.contains_key("$ref") || map.values().any(|v| contains_ref(v, depth - 1))
        }
        Value::Array(items) => items.iter().any(|v| contains_ref(v, depth - 1)),
        _ => false,
    }
}

fn push_members<'s>(part: &Part<'s>, queue: &mut std::collections::VecDeque<Part<'s>>) {
    if let Some(Value::Array(members)) = part.get("allOf") {
        for i in 0..members.len() {
            if let Some(member) = part.index("allOf", i) {
                queue.push_back(member);
            }
        }
    }
}

fn loc_first(f: &Flat<'_>) -> String {
    f.parts
        .first()
        .map_or_else(String::new, |p| f.side.spec.display(p.file, &p.pointer))
}

/// Location of `key` in the first part that has it.
fn loc_of(f: &Flat<'_>, key: &str) -> Option<String> {
    f.parts
        .iter()
        .find(|p| p.get(key).is_some())
        .map(|p| f.side.spec.display(p.file, &push_token(&p.pointer, key)))
}

fn first<'s>(f: &Flat<'s>, key: &str) -> Option<&'s Value> {
    f.parts.iter().find_map(|p| p.get(key))
}

fn any_true(parts: &[Part<'_>], key: &str) -> bool {
    parts.iter().any(|p| p.get(key) == Some(&Value::Bool(true)))
}

/// The parts that constrain each leading item (`prefixItems`), by position.
fn prefix_items<'s>(f: &Flat<'s>) -> Vec<Vec<Part<'s>>> {
    let mut out: Vec<Vec<Part<'s>>> = Vec::new();
    for part in &f.parts {
        let Some(Value::Array(items)) = part.get("prefixItems") else {
            continue;
        };
        for i in 0..items.len() {
            if let Some(child) = part.index("prefixItems", i) {
                if out.len() <= i {
                    out.resize_with(i + 1, Vec::new);
                }
                out[i].push(child);
            }
        }
    }
    out
}

fn collect_children<'s>(f: &Flat<'s>, key: &str) -> Vec<Part<'s>> {
    f.parts
        .iter()
        .filter(|p| p.get(key).is_some_and(|v| v.is_object() || v.is_boolean()))
        .filter_map(|p| p.child(key))
        .collect()
}

/// Short one-line JSON of a value for messages.
pub fn compact(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}…`")
    } else {
        text
    }
}
