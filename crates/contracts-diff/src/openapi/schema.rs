//! Semantic comparison of two JSON Schemas (as used by OpenAPI 3.0/3.1 and JSON Schema
//! drafts 4 to 2020-12), judged by the direction the data flows.
//!
//! A schema is first flattened into its *parts*: the object as written, the targets of its
//! `$ref`s and the members of its `allOf`, which all constrain the value together. Keywords
//! are then combined over the parts (bounds take the tightest, enums intersect, properties
//! and `required` unite), so `allOf` splits, `$ref` siblings (3.1) and inline copies of a
//! component compare equal when they mean the same.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::change::{Change, Direction, Severity};
use crate::limits::Limits;
use crate::resolve::{Node, RefError, Spec, push_token};
use crate::rules::Rule;

use super::pattern;

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

const STRING: u8 = 1;
const NUMBER: u8 = 2;
const INTEGER: u8 = 4;
const BOOLEAN: u8 = 8;
const ARRAY: u8 = 16;
const OBJECT: u8 = 32;
const NULL: u8 = 64;
const ALL_BUT_NULL: u8 = STRING | NUMBER | INTEGER | BOOLEAN | ARRAY | OBJECT;

fn type_bit(name: &str) -> u8 {
    match name {
        "string" => STRING,
        "number" => NUMBER | INTEGER,
        "integer" => INTEGER,
        "boolean" => BOOLEAN,
        "array" => ARRAY,
        "object" => OBJECT,
        "null" => NULL,
        _ => 0,
    }
}

fn describe_types(mask: u8) -> String {
    let mask = mask & !NULL;
    if mask == ALL_BUT_NULL {
        return "any type".to_owned();
    }
    if mask == 0 {
        return "no type (nothing validates)".to_owned();
    }
    let mut names = Vec::new();
    for (bit, name) in [
        (STRING, "string"),
        (NUMBER, "number"),
        (BOOLEAN, "boolean"),
        (ARRAY, "array"),
        (OBJECT, "object"),
    ] {
        if mask & bit != 0 {
            names.push(name);
        }
    }
    if mask & INTEGER != 0 && mask & NUMBER == 0 {
        names.push("integer");
    }
    names.join(" | ")
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
        let keep = |p: &&Part<'s>| !is_split_union(p);
        let b: Vec<Part<'s>> = b.iter().filter(keep).cloned().collect();
        let a: Vec<Part<'s>> = a.iter().filter(keep).cloned().collect();
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

    /// Compares two unions as sets of alternatives (a plain schema is a union of one).
    /// Each alternative that must be contained — the old ones for requests (old ⊆ new), the
    /// new ones for responses (new ⊆ old) — is paired with the alternative on the other side
    /// that contains it best; only that pairing's findings are reported. An alternative
    /// whose enum values are each accepted by some alternative on the other side is
    /// contained by the union even when no single alternative contains it.
    #[allow(clippy::too_many_arguments)]
    fn compare_alternatives(
        &mut self,
        before: Vec<Vec<Part<'s>>>,
        after: Vec<Vec<Part<'s>>>,
        kind: &str,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        // Pairing looks at every member against every other: that is work too.
        let pairing = before.len().saturating_mul(after.len());
        let at = |d: &Self| {
            a.parts
                .first()
                .map(|p| d.after.spec.display(p.file, &push_token(&p.pointer, kind)))
                .unwrap_or_default()
        };
        if !self.spend(pairing, at) {
            return;
        }
        // The side whose every alternative must be contained in the other side's union.
        let old_covered = dir != Direction::Response;
        let (covered, other) = if old_covered {
            (&before, &after)
        } else {
            (&after, &before)
        };
        let mut other_used = vec![false; other.len()];
        // Per covered alternative: its findings, its worst severity and their number,
        // whether it was exact.
        let mut results: Vec<(Found, Option<Severity>, usize, bool)> = Vec::new();
        for (i, member) in covered.iter().enumerate() {
            let pair = |this: &mut Self, j: usize, found: &mut Found| {
                let (b, a) = if old_covered {
                    (member.clone(), other[j].clone())
                } else {
                    (other[j].clone(), member.clone())
                };
                this.diff_parts(b, a, dir, depth + 1, found);
            };
            if let Some(j) = (0..other.len()).find(|&j| same_member(member, &other[j])) {
                let mut found = Found::default();
                pair(self, j, &mut found);
                other_used[j] = true;
                results.push((found, None, 0, true));
                continue;
            }
            // Try every alternative; keep the best (least severe, fewest findings, nearest).
            let mut best: Option<(Found, Option<Severity>, usize, usize)> = None;
            for j in 0..other.len() {
                let mut found = Found::default();
                self.trials += 1;
                pair(self, j, &mut found);
                self.trials -= 1;
                let (worst, count) = self.worst_in(&found);
                let better = best.as_ref().is_none_or(|(_, w, c, bj)| {
                    (worst, count, j.abs_diff(i)) < (*w, *c, bj.abs_diff(i))
                });
                if better {
                    best = Some((found, worst, count, j));
                }
                if self.too_complex.is_some() {
                    break;
                }
            }
            let Some((found, worst, count, j)) = best else {
                results.push((Found::default(), Some(Severity::Breaking), 0, false));
                continue;
            };
            if worst > Some(Severity::PotentiallyBreaking) {
                let accepting = self.cover_by_values(member, other, old_covered);
                if !accepting.is_empty() {
                    for j in accepting {
                        other_used[j] = true;
                    }
                    results.push((Found::default(), None, 0, false));
                    continue;
                }
            }
            other_used[j] = true;
            results.push((found, worst, count, false));
        }
        // More alternatives on the covered side than on the other: the ones matching worst
        // (by severity, then number of findings) are new (response) or removed (request)
        // alternatives, not changed ones.
        let excess = covered.len().saturating_sub(other.len());
        let mut order: Vec<usize> = (0..results.len())
            .filter(|&i| !results[i].3 && results[i].1 > Some(Severity::NonBreaking))
            .collect();
        order.sort_by_key(|&i| std::cmp::Reverse((results[i].1, results[i].2, i)));
        let unmatched: Vec<usize> = order.into_iter().take(excess).collect();
        let where_after = a
            .parts
            .first()
            .map(|p| a.side.spec.display(p.file, &push_token(&p.pointer, kind)));
        for (i, (found, ..)) in results.into_iter().enumerate() {
            if !unmatched.contains(&i) {
                out.entries.extend(found.entries);
                continue;
            }
            if old_covered {
                self.member_removed(&covered[i], kind, dir, out);
            } else {
                self.member_added(&covered[i], kind, dir, where_after.as_deref(), out);
            }
        }
        for (j, used) in other_used.iter().enumerate() {
            if *used {
                continue;
            }
            if old_covered {
                self.member_added(&other[j], kind, dir, where_after.as_deref(), out);
            } else {
                self.member_removed(&other[j], kind, dir, out);
            }
        }
    }

    /// The alternatives that accept some value. One whose parts allow no type together
    /// (`allOf: [oneOf: [string, integer], integer]` has no string alternative) drops out:
    /// paired with anything it would read as a change, and its pairing could hide the real
    /// one. When every alternative is empty the schema accepts nothing and is left as written.
    fn without_empty(&self, side: Side<'s>, alts: Vec<Vec<Part<'s>>>) -> Vec<Vec<Part<'s>>> {
        if alts.len() < 2 {
            return alts;
        }
        let kept: Vec<Vec<Part<'s>>> = alts
            .iter()
            .filter(|alt| types(&self.flatten(side, alt.to_vec())) != 0)
            .cloned()
            .collect();
        if kept.is_empty() { alts } else { kept }
    }

    /// The alternatives of `other` that together accept every enum value of `member`, or
    /// none when some value is not surely accepted (or `member` has no enum).
    fn cover_by_values(
        &self,
        member: &[Part<'s>],
        other: &[Vec<Part<'s>>],
        old_covered: bool,
    ) -> Vec<usize> {
        let (member_side, other_side) = if old_covered {
            (self.before, self.after)
        } else {
            (self.after, self.before)
        };
        let flat = self.flatten(member_side, member.to_vec());
        let Some(values) = enum_values(&flat) else {
            return Vec::new();
        };
        let others: Vec<Flat<'s>> = other
            .iter()
            .map(|parts| self.flatten(other_side, parts.clone()))
            .collect();
        let mut accepting = Vec::new();
        for value in values {
            match others.iter().position(|o| accepts(o, value)) {
                Some(j) => accepting.push(j),
                None => return Vec::new(),
            }
        }
        accepting.sort_unstable();
        accepting.dedup();
        accepting
    }

    fn member_added(
        &self,
        member: &[Part<'s>],
        kind: &str,
        dir: Direction,
        where_after: Option<&str>,
        out: &mut Found,
    ) {
        let at = member.last().map_or_else(
            || where_after.unwrap_or_default().to_owned(),
            |p| self.after.spec.display(p.file, &p.pointer),
        );
        // Like a new enum value: a client switching over the response's alternatives may not
        // handle the new one, but every value it handled still arrives as before.
        let severity = if dir == Direction::Response {
            Severity::PotentiallyBreaking
        } else {
            dir.widened()
        };
        out.push(Change::new(
            Rule::UnionMemberAdded,
            severity,
            dir,
            at,
            format!("`{kind}` gained an alternative{}", describe_member(member)),
        ));
    }

    fn member_removed(&self, member: &[Part<'s>], kind: &str, dir: Direction, out: &mut Found) {
        let at = member.last().map_or_else(String::new, |p| {
            self.before.spec.display(p.file, &p.pointer)
        });
        out.push(Change::new(
            Rule::UnionMemberRemoved,
            dir.narrowed(),
            dir,
            at,
            format!("`{kind}` lost an alternative{}", describe_member(member)),
        ));
    }

    fn compare_properties(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let bp = properties(b);
        let ap = properties(a);
        let br = required(b);
        let ar = required(a);
        if bp.is_empty() && ap.is_empty() && br.is_empty() && ar.is_empty() {
            return;
        }
        // An old schema that allowed no other properties (`additionalProperties` or
        // `unevaluatedProperties: false`) made its readers reject any new one: a property
        // added there widens what is sent (breaking in responses).
        let old_closed = matches!(additional(b), Additional::Forbidden)
            || b.parts
                .iter()
                .any(|p| p.get("unevaluatedProperties") == Some(&Value::Bool(false)));
        let names: BTreeSet<&str> = bp
            .keys()
            .chain(ap.keys())
            .copied()
            // Required names without a schema of their own count too: requiring one narrows
            // what is accepted as much as requiring a described property.
            .chain(br.iter().chain(ar.iter()).copied())
            .collect();
        for name in names {
            let bparts = bp.get(name);
            let aparts = ap.get(name);
            let b_ro = bparts.is_some_and(|p| any_true(p, "readOnly"));
            let a_ro = aparts.is_some_and(|p| any_true(p, "readOnly"));
            let b_wo = bparts.is_some_and(|p| any_true(p, "writeOnly"));
            let a_wo = aparts.is_some_and(|p| any_true(p, "writeOnly"));
            // Read-only properties are not sent in requests, write-only ones not in responses.
            let invisible = match dir {
                Direction::Request => b_ro && a_ro,
                Direction::Response => b_wo && a_wo,
                _ => false,
            };
            if invisible {
                continue;
            }
            let was_required = br.contains(name);
            let is_required = ar.contains(name);
            match (bparts, aparts) {
                (Some(bparts), Some(aparts)) => {
                    let at = self.after_loc(aparts);
                    if b_ro != a_ro {
                        let severity = if a_ro && dir == Direction::Request {
                            Severity::Breaking
                        } else {
                            Severity::NonBreaking
                        };
                        out.push(Change::new(
                            Rule::ReadOnlyChanged,
                            severity,
                            dir,
                            format!("{at}/readOnly"),
                            if a_ro {
                                format!("property `{name}` became read-only; clients can no longer send it")
                            } else {
                                format!("property `{name}` is no longer read-only")
                            },
                        ));
                    }
                    if b_wo != a_wo {
                        out.push(Change::new(
                            Rule::WriteOnlyChanged,
                            Severity::NonBreaking,
                            dir,
                            format!("{at}/writeOnly"),
                            if a_wo {
                                format!(
                                    "property `{name}` became write-only; it is no longer returned"
                                )
                            } else {
                                format!("property `{name}` is no longer write-only")
                            },
                        ));
                    }
                    if !was_required && is_required {
                        let has_default = aparts.iter().any(|p| p.get("default").is_some());
                        let severity = if matches!(dir, Direction::Request | Direction::Both)
                            && !has_default
                        {
                            Severity::Breaking
                        } else {
                            Severity::NonBreaking
                        };
                        out.push(Change::new(
                            Rule::PropertyBecameRequired,
                            severity,
                            dir,
                            at.clone(),
                            format!("property `{name}` became required"),
                        ));
                    } else if was_required && !is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameOptional,
                            dir.widened(),
                            dir,
                            at.clone(),
                            format!("property `{name}` is no longer required"),
                        ));
                    }
                    self.diff_parts(bparts.clone(), aparts.clone(), dir, depth + 1, out);
                }
                (None, Some(aparts)) => {
                    let at = self.after_loc(aparts);
                    let has_default = aparts.iter().any(|p| p.get("default").is_some());
                    if is_required
                        && !has_default
                        && dir != Direction::Response
                        && !(dir == Direction::Request && a_ro)
                    {
                        out.push(Change::new(
                            Rule::RequiredPropertyAdded,
                            Severity::Breaking,
                            dir,
                            at,
                            format!("new required property `{name}`; clients that do not send it are rejected"),
                        ));
                    } else if old_closed && dir.widened() > Severity::NonBreaking {
                        out.push(Change::new(
                            Rule::PropertyAdded,
                            dir.widened(),
                            dir,
                            at,
                            format!(
                                "new {}property `{name}`, where the old schema allowed no other properties (`additionalProperties: false`): clients validating against it reject it",
                                if is_required { "required " } else { "" }
                            ),
                        ));
                    } else {
                        out.push(Change::new(
                            Rule::PropertyAdded,
                            Severity::NonBreaking,
                            dir,
                            at,
                            format!(
                                "new {}property `{name}`",
                                if is_required { "required " } else { "" }
                            ),
                        ));
                        // Old readers judged a name they did not list by the schema for
                        // other properties: what is now sent under it must fit that schema.
                        if dir == Direction::Response
                            && let Some(old_rule) = other_property_schema(b, name)
                        {
                            self.diff_parts(old_rule, aparts.clone(), dir, depth + 1, out);
                        }
                    }
                }
                (Some(bparts), None) => {
                    let at = self.before_loc(bparts);
                    let (severity, message) = match dir {
                        Direction::Response if !was_required => (
                            Severity::PotentiallyBreaking,
                            format!(
                                "optional property `{name}` was removed; clients that read it no longer get it"
                            ),
                        ),
                        Direction::Response => (
                            Severity::Breaking,
                            format!(
                                "required property `{name}` was removed; clients rely on receiving it"
                            ),
                        ),
                        _ => (
                            Severity::Breaking,
                            format!(
                                "property `{name}` was removed; clients that send it may be rejected or silently ignored"
                            ),
                        ),
                    };
                    out.push(Change::new(
                        Rule::PropertyRemoved,
                        severity,
                        dir,
                        at,
                        message,
                    ));
                }
                (None, None) => {
                    let at = loc_of(a, "required")
                        .or_else(|| loc_of(b, "required"))
                        .unwrap_or_else(|| loc_first(a));
                    if !was_required && is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameRequired,
                            match dir {
                                Direction::Request | Direction::Both => Severity::Breaking,
                                Direction::Response | Direction::None => Severity::NonBreaking,
                            },
                            dir,
                            at,
                            format!(
                                "property `{name}` became required (it has no schema of its own)"
                            ),
                        ));
                    } else if was_required && !is_required {
                        out.push(Change::new(
                            Rule::PropertyBecameOptional,
                            dir.widened(),
                            dir,
                            at,
                            format!("property `{name}` is no longer required (it has no schema of its own)"),
                        ));
                    }
                }
            }
        }
    }

    /// `prefixItems` (JSON Schema 2020-12, OpenAPI 3.1): the schema of each leading item.
    /// A position constrained on one side only is compared with the other side's `items`,
    /// which covered it there (found by the containment property test: a `prefixItems` added
    /// was not compared at all).
    #[allow(clippy::too_many_arguments)]
    fn compare_prefix_items(
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

    fn compare_additional(
        &mut self,
        b: &Flat<'s>,
        a: &Flat<'s>,
        dir: Direction,
        depth: usize,
        out: &mut Found,
    ) {
        let ba = additional(b);
        let aa = additional(a);
        let at = loc_of(a, "additionalProperties").unwrap_or_else(|| loc_first(a));
        let bt = loc_of(b, "additionalProperties").unwrap_or_else(|| loc_first(b));
        let (severity, message, at) = match (&ba, &aa) {
            (Additional::Any, Additional::Any) | (Additional::Forbidden, Additional::Forbidden) => {
                return;
            }
            (Additional::Schema(bs), Additional::Schema(as_)) => {
                self.diff_parts(bs.clone(), as_.clone(), dir, depth + 1, out);
                return;
            }
            (Additional::Any, Additional::Schema(_)) => (
                dir.narrowed(),
                "additional properties must now match a schema".to_owned(),
                at,
            ),
            (Additional::Any | Additional::Schema(_), Additional::Forbidden) => (
                dir.narrowed(),
                "additional properties are no longer allowed".to_owned(),
                at,
            ),
            (Additional::Schema(_), Additional::Any) => (
                dir.widened(),
                "additional properties may now be of any type".to_owned(),
                bt,
            ),
            (Additional::Forbidden, _) => (
                dir.widened(),
                "additional properties are now allowed".to_owned(),
                at,
            ),
        };
        out.push(Change::new(
            Rule::AdditionalPropertiesChanged,
            severity,
            dir,
            at,
            message,
        ));
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

/// A union found in a flattened schema: its keyword, the part holding it, its members.
struct Union<'s> {
    kind: &'static str,
    holder: usize,
    members: Vec<Part<'s>>,
}

/// The first `oneOf`/`anyOf` not yet split, unless an `anyOf` only lists bare types (then
/// it is a type).
fn union_members<'s>(f: &Flat<'s>) -> Option<Union<'s>> {
    for kind in ["oneOf", "anyOf"] {
        for (holder, part) in f.parts.iter().enumerate() {
            if part.distributed {
                continue;
            }
            if let Some(Value::Array(members)) = part.get(kind) {
                if kind == "anyOf" && bare_type_union(members).is_some() {
                    continue;
                }
                let members = (0..members.len())
                    .filter_map(|i| part.index(kind, i))
                    .collect();
                return Some(Union {
                    kind,
                    holder,
                    members,
                });
            }
        }
    }
    None
}

/// The alternatives a schema allows: for a union, every part of the schema (the union's
/// siblings constrain each alternative: `required` next to a `oneOf` applies to all
/// branches) with one member; for a plain schema, itself. `oneOf` is read as `anyOf`: a
/// value matching two branches is an authoring slip we do not judge here.
fn alternatives<'s>(f: &Flat<'s>, union: Option<Union<'s>>) -> Vec<Vec<Part<'s>>> {
    let Some(union) = union else {
        return vec![f.parts.clone()];
    };
    let mut base = f.parts.clone();
    base[union.holder].distributed = true;
    base.splice(0..0, f.split.iter().cloned());
    // Parts that say nothing but a union already split (and documentation, compared at the
    // union's level) stay in the list only so that flattening does not bring them back
    // unsplit; they are left out of memo keys (see `is_split_union`).
    union
        .members
        .into_iter()
        .map(|member| {
            let mut parts = base.clone();
            parts.push(member);
            parts
        })
        .collect()
}

/// A part that says nothing but a union already split: it stands for no constraint of its
/// own. Kept out of flattened schemas and memo keys (in a key it would only make each
/// alternative's key depend on the path that led to it: nested unions would then be compared
/// once per path, not once per pair).
fn is_split_union(part: &Part<'_>) -> bool {
    part.distributed && says_only_union(part.value)
}

fn says_only_union(value: &Value) -> bool {
    value.as_object().is_some_and(|map| {
        map.keys().all(|key| {
            matches!(
                key.as_str(),
                "oneOf" | "anyOf" | "description" | "title" | "$comment" | "example" | "examples"
            ) || key.starts_with("x-")
        })
    })
}

/// The type mask of an `anyOf` whose members say nothing but a type (and `items: {}`).
fn bare_type_union(members: &[Value]) -> Option<u8> {
    let mut mask = 0;
    for member in members {
        let map = member.as_object()?;
        for (k, v) in map {
            match k.as_str() {
                "type" => {}
                "items" if v.as_object().is_some_and(|m| m.is_empty()) => {}
                _ => return None,
            }
        }
        mask |= type_mask_of(map.get("type")?)?;
    }
    Some(mask)
}

fn type_mask_of(value: &Value) -> Option<u8> {
    match value {
        Value::String(name) => Some(type_bit(name)),
        Value::Array(names) => Some(
            names
                .iter()
                .filter_map(Value::as_str)
                .map(type_bit)
                .fold(0, |m, b| m | b),
        ),
        _ => None,
    }
}

/// The same alternative written the same way (or through the same reference) on both sides.
/// Whether two alternatives are the same member of their unions: the member as written
/// (each alternative is the union's shared parts plus its member, last). The shared parts
/// are left out on purpose: when the union's holder changes at all (a description, one
/// alternative), comparing them would pair no member with itself, and every member would be
/// tried against every other, deeply.
fn same_member(b: &[Part<'_>], a: &[Part<'_>]) -> bool {
    match (b.last(), a.last()) {
        (Some(x), Some(y)) => x.value == y.value,
        _ => b.is_empty() && a.is_empty(),
    }
}

fn describe_member(member: &[Part<'_>]) -> String {
    // An alternative is the union's siblings plus its member, last.
    let Some(part) = member.last() else {
        return String::new();
    };
    if let Some(r) = part.get("$ref").and_then(Value::as_str) {
        return format!(" (`{}`)", r.rsplit('/').next().unwrap_or(r));
    }
    if let Some(t) = part.get("type") {
        return format!(" (type {})", compact(t));
    }
    String::new()
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

/// Types allowed by the flattened schema, with the `NULL` bit for nullability.
/// OpenAPI 3.0's `nullable: true` (or Swagger's `x-nullable: true`) on this part.
fn says_nullable(part: &Part<'_>) -> bool {
    part.get("nullable") == Some(&Value::Bool(true))
        || part.get("x-nullable") == Some(&Value::Bool(true))
}

fn types(f: &Flat<'_>) -> u8 {
    let mut mask = ALL_BUT_NULL | NULL;
    let mut declared_any = false;
    for part in &f.parts {
        if part.value == &Value::Bool(false) {
            return 0;
        }
        let nullable_flag = says_nullable(part);
        let mut part_mask = match part.get("type").and_then(type_mask_of) {
            Some(m) => {
                declared_any = true;
                m
            }
            None => match part
                .get("anyOf")
                .and_then(Value::as_array)
                .and_then(|m| bare_type_union(m))
            {
                Some(m) => {
                    declared_any = true;
                    m
                }
                // Structure keywords without a type: the schema describes an object / array.
                None if part.get("properties").is_some() => OBJECT | NULL,
                None if part.get("items").is_some() => ARRAY | NULL,
                None => ALL_BUT_NULL | NULL,
            },
        };
        if nullable_flag {
            part_mask |= NULL;
        }
        if part.get("type").is_some() && f.side.null_needs_opt_in && !nullable_flag {
            part_mask &= !NULL;
        }
        mask &= part_mask;
    }
    if !declared_any && f.side.null_needs_opt_in {
        let nullable = f.parts.iter().any(says_nullable);
        if !nullable {
            mask &= !NULL;
        }
    }
    mask
}

fn compare_types(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bt = types(b);
    let at = types(a);
    let where_ = loc_of(a, "type").unwrap_or_else(|| loc_first(a));
    let (bn, an) = (bt & !NULL, at & !NULL);
    if bn != an {
        let (rule, severity) = if an & bn == bn {
            (Rule::TypeWidened, dir.widened())
        } else if an & bn == an {
            (Rule::TypeNarrowed, dir.narrowed())
        } else {
            (Rule::TypeChanged, Severity::Breaking)
        };
        out.push(Change::new(
            rule,
            severity,
            dir,
            where_.clone(),
            format!(
                "type changed from {} to {}",
                describe_types(bn),
                describe_types(an)
            ),
        ));
    }
    // Nullability only means something when a type is there to be null or not.
    // (A side that accepts only `null` has a type: `null`.)
    if bt & NULL != at & NULL && bt != 0 && at != 0 && (bn != 0 || an != 0) {
        let where_ = loc_of(a, "nullable")
            .or_else(|| loc_of(a, "x-nullable"))
            .or_else(|| loc_of(b, "nullable").or_else(|| loc_of(b, "x-nullable")))
            .unwrap_or(where_);
        if at & NULL != 0 {
            out.push(Change::new(
                Rule::BecameNullable,
                dir.widened(),
                dir,
                where_,
                "the value may now be `null`",
            ));
        } else {
            out.push(Change::new(
                Rule::BecameNonNullable,
                dir.narrowed(),
                dir,
                where_,
                "the value may no longer be `null`",
            ));
        }
    }
}

fn enum_values<'s>(f: &Flat<'s>) -> Option<Vec<&'s Value>> {
    let mut result: Option<Vec<&'s Value>> = None;
    for part in &f.parts {
        // `enum` and `const` side by side both restrict: the value must be in both.
        let values: Vec<&Value> = match (part.get("enum"), part.get("const")) {
            (Some(Value::Array(values)), Some(c)) => values.iter().filter(|v| *v == c).collect(),
            (Some(Value::Array(values)), None) => values.iter().collect(),
            (_, Some(c)) => vec![c],
            _ => continue,
        };
        result = Some(match result {
            None => values,
            Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
        });
    }
    result
}

/// Whether `f` surely accepts `value` (false when unsure). Keywords apply only to values of
/// their type, so object and array keywords do not matter for a scalar.
fn accepts(f: &Flat<'_>, value: &Value) -> bool {
    let bit = match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if n.is_i64() || n.is_u64() => INTEGER,
        Value::Number(n) if n.as_f64().is_some_and(|x| x.fract() == 0.0) => INTEGER,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        // Enums of objects and arrays are rare; judging them needs the whole engine.
        Value::Array(_) | Value::Object(_) => return false,
    };
    if types(f) & bit == 0 {
        return false;
    }
    if enum_values(f).is_some_and(|values| !values.contains(&value)) {
        return false;
    }
    for part in &f.parts {
        let Some(map) = part.value.as_object() else {
            return false;
        };
        for key in map.keys() {
            let understood = matches!(
                key.as_str(),
                "type"
                    | "enum"
                    | "const"
                    | "nullable"
                    | "x-nullable"
                    | "$ref"
                    | "allOf"
                    | "minimum"
                    | "maximum"
                    | "exclusiveMinimum"
                    | "exclusiveMaximum"
                    | "multipleOf"
                    | "minLength"
                    | "maxLength"
                    | "description"
                    | "title"
                    | "example"
                    | "examples"
                    | "default"
                    | "deprecated"
                    | "readOnly"
                    | "writeOnly"
                    | "externalDocs"
                    | "xml"
                    | "discriminator"
                    | "$id"
                    | "$schema"
                    | "$comment"
                    | "$anchor"
                    | "$defs"
                    | "definitions"
                    | "properties"
                    | "required"
                    | "additionalProperties"
                    | "patternProperties"
                    | "propertyNames"
                    | "minProperties"
                    | "maxProperties"
                    | "dependentRequired"
                    | "items"
                    | "prefixItems"
                    | "minItems"
                    | "maxItems"
                    | "uniqueItems"
                    | "contains"
            ) || key.starts_with("x-")
                || (part.distributed && matches!(key.as_str(), "oneOf" | "anyOf"));
            // `format`, `pattern` (ECMA-262 regexes), `not`, unsplit unions, ...: unsure,
            // so not surely accepted.
            if !understood {
                return false;
            }
        }
        if let (Some(x), Some(step)) = (
            value.as_f64(),
            part.get("multipleOf").and_then(Value::as_f64),
        ) && (step <= 0.0 || (x / step).fract() != 0.0)
        {
            return false;
        }
    }
    if let Some(x) = value.as_f64() {
        let within = |lower: bool| {
            bound(f, lower).is_none_or(|(b, _)| match (lower, b.exclusive) {
                (true, false) => x >= b.value,
                (true, true) => x > b.value,
                (false, false) => x <= b.value,
                (false, true) => x < b.value,
            })
        };
        if !within(true) || !within(false) {
            return false;
        }
    }
    if let Value::String(text) = value {
        let length = text.chars().count() as u64;
        if counts(f, "minLength", true).is_some_and(|(min, _)| length < min)
            || counts(f, "maxLength", false).is_some_and(|(max, _)| length > max)
        {
            return false;
        }
    }
    true
}

/// Whether `inner` allows a finite set of values (an enum or const), each surely accepted
/// by `outer`: then `inner` ⊆ `outer` whatever keywords changed.
fn values_accepted(inner: &Flat<'_>, outer: &Flat<'_>) -> bool {
    enum_values(inner).is_some_and(|values| values.iter().all(|v| accepts(outer, v)))
}

/// Rules about which values a schema accepts (as opposed to documentation, defaults,
/// read/write access): the ones an enum's containment settles.
fn is_value_set_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::TypeChanged
            | Rule::TypeWidened
            | Rule::TypeNarrowed
            | Rule::BecameNullable
            | Rule::BecameNonNullable
            | Rule::FormatAdded
            | Rule::FormatRemoved
            | Rule::FormatChanged
            | Rule::EnumAdded
            | Rule::EnumRemoved
            | Rule::EnumValueAdded
            | Rule::EnumValueRemoved
            | Rule::ConstraintTightened
            | Rule::ConstraintRelaxed
            | Rule::ConstraintChanged
    )
}

fn list(values: &[&Value]) -> String {
    const SHOWN: usize = 10;
    let mut text: Vec<String> = values.iter().take(SHOWN).map(|v| compact(v)).collect();
    if values.len() > SHOWN {
        text.push(format!("and {} more", values.len() - SHOWN));
    }
    text.join(", ")
}

/// The enum's values, without `null` where OpenAPI 3.0's `nullable: true` admits it anyway:
/// there `null` in the list restates the flag (GitHub's REST description dropped such a
/// `null` from an enum that stayed nullable), and null-ness is compared by `compare_types`.
fn enum_values_beside_nullable<'s>(f: &Flat<'s>) -> Option<Vec<&'s Value>> {
    let values = enum_values(f)?;
    let nullable_keyword = f.side.null_needs_opt_in && f.parts.iter().any(says_nullable);
    if nullable_keyword && values.iter().any(|v| !v.is_null()) {
        return Some(values.into_iter().filter(|v| !v.is_null()).collect());
    }
    Some(values)
}

fn compare_enum(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let be = enum_values_beside_nullable(b);
    let ae = enum_values_beside_nullable(a);
    let at = loc_of(a, "enum")
        .or_else(|| loc_of(a, "const"))
        .unwrap_or_else(|| loc_first(a));
    let bt = loc_of(b, "enum")
        .or_else(|| loc_of(b, "const"))
        .unwrap_or_else(|| loc_first(b));
    // Clients switching over response values may not handle new ones: potentially breaking.
    let widened = if dir == Direction::Response {
        Severity::PotentiallyBreaking
    } else {
        dir.widened()
    };
    match (be, ae) {
        (None, None) => {}
        (None, Some(values)) => out.push(Change::new(
            Rule::EnumAdded,
            dir.narrowed(),
            dir,
            at,
            format!("the value is now restricted to {}", list(&values)),
        )),
        (Some(_), None) => out.push(Change::new(
            Rule::EnumRemoved,
            widened,
            dir,
            bt,
            "the enum restriction was removed; any value of the type is allowed",
        )),
        (Some(bv), Some(av)) => {
            let hash = |v: &Vec<&Value>| {
                v.iter()
                    .map(|x| x.to_string())
                    .collect::<BTreeSet<String>>()
            };
            let (bs, as_) = (hash(&bv), hash(&av));
            // Each value once, even where a list repeats one (a generated spec listed one
            // value 98 times).
            let mut listed = BTreeSet::new();
            let added: Vec<&Value> = av
                .iter()
                .copied()
                .filter(|v| !bs.contains(&v.to_string()) && listed.insert(v.to_string()))
                .collect();
            let removed: Vec<&Value> = bv
                .iter()
                .copied()
                .filter(|v| !as_.contains(&v.to_string()) && listed.insert(v.to_string()))
                .collect();
            if !added.is_empty() {
                out.push(Change::new(
                    Rule::EnumValueAdded,
                    widened,
                    dir,
                    at,
                    format!("enum values added: {}", list(&added)),
                ));
            }
            if !removed.is_empty() {
                out.push(Change::new(
                    Rule::EnumValueRemoved,
                    dir.narrowed(),
                    dir,
                    bt,
                    format!("enum values removed: {}", list(&removed)),
                ));
            }
        }
    }
}

/// The widths OpenAPI names for numbers: `int32` and `float` hold fewer values than their
/// type, while `int64` and `double` are the range every JSON parser already reads an
/// integer or number into, so writing them adds no constraint (adding `int64` to an ID
/// parameter is the commonest format edit in real specifications and breaks nobody).
/// `None` for a format that is not a width of the schema's numeric type.
fn numeric_width(f: &Flat<'_>, format: Option<&Value>) -> Option<u8> {
    let integer = match types(f) & !NULL {
        INTEGER => true,
        t if t == NUMBER | INTEGER => false,
        _ => return None,
    };
    match (integer, format.map(|v| v.as_str())) {
        (_, None) => Some(64),
        (true, Some(Some("int32"))) | (false, Some(Some("float"))) => Some(32),
        (true, Some(Some("int64"))) | (false, Some(Some("double"))) => Some(64),
        _ => None,
    }
}

/// Formats a validator checks: JSON Schema's (draft 2020-12) and OpenAPI's data types.
/// Any other name (Stripe's `unix-time`, `password`, `binary`) constrains nothing anyone
/// validates, so writing, dropping or renaming one is documentation.
const CHECKED_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "int32",
    "int64",
    "float",
    "double",
    "byte",
];

fn is_checked_format(format: Option<&Value>) -> bool {
    format
        .and_then(Value::as_str)
        .is_some_and(|f| CHECKED_FORMATS.contains(&f))
}

fn compare_format(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bf = first(b, "format");
    let af = first(a, "format");
    // What was edited, whatever it means.
    let (rule, at, what) = match (bf, af) {
        (None, Some(f)) => (
            Rule::FormatAdded,
            loc_of(a, "format"),
            format!("format {} was added", compact(f)),
        ),
        (Some(f), None) => (
            Rule::FormatRemoved,
            loc_of(b, "format"),
            format!("format {} was removed", compact(f)),
        ),
        (Some(x), Some(y)) if x != y => (
            Rule::FormatChanged,
            loc_of(a, "format"),
            format!("format changed from {} to {}", compact(x), compact(y)),
        ),
        _ => return,
    };
    let (severity, message) = if !is_checked_format(bf) && !is_checked_format(af) {
        (
            Severity::NonBreaking,
            format!(
                "{what}: not a format validators check, so no value is accepted or rejected for it"
            ),
        )
    } else if let (Some(before), Some(after)) = (numeric_width(b, bf), numeric_width(a, af)) {
        match before.cmp(&after) {
            std::cmp::Ordering::Equal => (
                Severity::NonBreaking,
                format!(
                    "{what}: the same values as before (the width JSON parsers read numbers into)"
                ),
            ),
            std::cmp::Ordering::Greater => (
                dir.narrowed(),
                format!("{what}: fewer values fit than before"),
            ),
            std::cmp::Ordering::Less => (
                dir.widened(),
                format!("{what}: more values fit than before"),
            ),
        }
    } else {
        // A checked format constrains the value: adding one narrows, removing one widens,
        // and one changed into another is neither.
        let severity = match rule {
            Rule::FormatAdded => dir.narrowed(),
            Rule::FormatRemoved => dir.widened(),
            _ => Severity::Breaking,
        };
        (severity, what)
    };
    out.push(Change::new(
        rule,
        severity,
        dir,
        at.unwrap_or_default(),
        message,
    ));
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Bound {
    value: f64,
    exclusive: bool,
}

impl Bound {
    fn show(self, lower: bool) -> String {
        let op = match (lower, self.exclusive) {
            (true, true) => ">",
            (true, false) => ">=",
            (false, true) => "<",
            (false, false) => "<=",
        };
        format!("{op} {}", self.value)
    }
}

/// The tightest lower (`lower`) or upper bound over all parts, with the key that set it.
fn bound(f: &Flat<'_>, lower: bool) -> Option<(Bound, String)> {
    let (inclusive_key, exclusive_key) = if lower {
        ("minimum", "exclusiveMinimum")
    } else {
        ("maximum", "exclusiveMaximum")
    };
    let mut best: Option<(Bound, String)> = None;
    for part in &f.parts {
        let mut candidates = Vec::new();
        if let Some(v) = part.get(inclusive_key).and_then(Value::as_f64) {
            let exclusive = part.get(exclusive_key) == Some(&Value::Bool(true));
            candidates.push((
                Bound {
                    value: v,
                    exclusive,
                },
                inclusive_key,
            ));
        }
        if let Some(v) = part.get(exclusive_key).and_then(Value::as_f64) {
            candidates.push((
                Bound {
                    value: v,
                    exclusive: true,
                },
                exclusive_key,
            ));
        }
        for (candidate, key) in candidates {
            let tighter = match &best {
                None => true,
                Some((current, _)) => stricter(candidate, *current, lower),
            };
            if tighter {
                best = Some((
                    candidate,
                    f.side
                        .spec
                        .display(part.file, &push_token(&part.pointer, key)),
                ));
            }
        }
    }
    best
}

/// Whether bound `x` accepts strictly less than `y`.
fn stricter(x: Bound, y: Bound, lower: bool) -> bool {
    if x.value == y.value {
        return x.exclusive && !y.exclusive;
    }
    if lower {
        x.value > y.value
    } else {
        x.value < y.value
    }
}

fn compare_bounds(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    for lower in [true, false] {
        let name = if lower { "lower bound" } else { "upper bound" };
        match (bound(b, lower), bound(a, lower)) {
            (None, None) => {}
            (None, Some((x, at))) => out.push(Change::new(
                Rule::ConstraintTightened,
                dir.narrowed(),
                dir,
                at,
                format!("a {name} was added: {}", x.show(lower)),
            )),
            (Some((x, at)), None) => out.push(Change::new(
                Rule::ConstraintRelaxed,
                dir.widened(),
                dir,
                at,
                format!("the {name} {} was removed", x.show(lower)),
            )),
            (Some((x, _)), Some((y, at))) => {
                if stricter(y, x, lower) {
                    out.push(Change::new(
                        Rule::ConstraintTightened,
                        dir.narrowed(),
                        dir,
                        at,
                        format!(
                            "the {name} tightened from {} to {}",
                            x.show(lower),
                            y.show(lower)
                        ),
                    ));
                } else if stricter(x, y, lower) {
                    out.push(Change::new(
                        Rule::ConstraintRelaxed,
                        dir.widened(),
                        dir,
                        at,
                        format!(
                            "the {name} relaxed from {} to {}",
                            x.show(lower),
                            y.show(lower)
                        ),
                    ));
                }
            }
        }
    }
}

/// Combined min-count (largest, default 0) and max-count (smallest) over the parts.
fn counts(f: &Flat<'_>, key: &str, is_min: bool) -> Option<(u64, String)> {
    let mut best: Option<(u64, String)> = None;
    for part in &f.parts {
        if let Some(v) = part
            .get(key)
            .and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f as u64)))
        {
            let better = match &best {
                None => true,
                Some((cur, _)) => {
                    if is_min {
                        v > *cur
                    } else {
                        v < *cur
                    }
                }
            };
            if better {
                best = Some((
                    v,
                    f.side
                        .spec
                        .display(part.file, &push_token(&part.pointer, key)),
                ));
            }
        }
    }
    if is_min && best.as_ref().is_some_and(|(v, _)| *v == 0) {
        return None;
    }
    best
}

fn compare_counts(
    b: &Flat<'_>,
    a: &Flat<'_>,
    min_key: &str,
    max_key: &str,
    dir: Direction,
    out: &mut Found,
) {
    let fallback_b = loc_first(b);
    let fallback_a = loc_first(a);
    let bmin = counts(b, min_key, true);
    let amin = counts(a, min_key, true);
    let (x, y) = (
        bmin.as_ref().map_or(0, |m| m.0),
        amin.as_ref().map_or(0, |m| m.0),
    );
    if x != y {
        let at = amin
            .map(|m| m.1)
            .or(bmin.map(|m| m.1))
            .unwrap_or_else(|| fallback_a.clone());
        let (rule, severity) = if y > x {
            (Rule::ConstraintTightened, dir.narrowed())
        } else {
            (Rule::ConstraintRelaxed, dir.widened())
        };
        out.push(Change::new(
            rule,
            severity,
            dir,
            at,
            format!("`{min_key}` changed from {x} to {y}"),
        ));
    }
    let bmax = counts(b, max_key, false);
    let amax = counts(a, max_key, false);
    let show =
        |m: &Option<(u64, String)>| m.as_ref().map_or("none".to_owned(), |m| m.0.to_string());
    let tightened = match (&bmax, &amax) {
        (None, None) => return,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) if x.0 == y.0 => return,
        (Some(x), Some(y)) => y.0 < x.0,
    };
    let message = format!(
        "`{max_key}` changed from {} to {}",
        show(&bmax),
        show(&amax)
    );
    let at = amax
        .map(|m| m.1)
        .or(bmax.map(|m| m.1))
        .unwrap_or(if tightened { fallback_a } else { fallback_b });
    if tightened {
        out.push(Change::new(
            Rule::ConstraintTightened,
            dir.narrowed(),
            dir,
            at,
            message,
        ));
    } else {
        out.push(Change::new(
            Rule::ConstraintRelaxed,
            dir.widened(),
            dir,
            at,
            message,
        ));
    }
}

/// `minContains`/`maxContains` bound how many items match `contains` — at least one when
/// `minContains` is unsaid — so they compare as counts with that default, where both sides
/// have a `contains` (one added or removed is judged as a whole; without one they mean
/// nothing). Found by the containment property test: a `minContains: 0` removed was read as
/// a widening, yet it makes an array without a matching item invalid.
fn compare_contains_counts(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    if first(b, "contains").is_none() || first(a, "contains").is_none() {
        return;
    }
    let at = |key: &str| {
        loc_of(a, key)
            .or_else(|| loc_of(b, key))
            .or_else(|| loc_of(a, "contains"))
            .unwrap_or_else(|| loc_first(a))
    };
    let min = |f: &Flat<'_>| {
        f.parts
            .iter()
            .filter_map(|p| p.get("minContains")?.as_u64())
            .max()
            .unwrap_or(1)
    };
    let (bmin, amin) = (min(b), min(a));
    if bmin != amin {
        let (rule, severity) = if amin > bmin {
            (Rule::ConstraintTightened, dir.narrowed())
        } else {
            (Rule::ConstraintRelaxed, dir.widened())
        };
        out.push(Change::new(
            rule,
            severity,
            dir,
            at("minContains"),
            format!("`minContains` changed from {bmin} to {amin} (1 when unsaid)"),
        ));
    }
    let max = |f: &Flat<'_>| {
        f.parts
            .iter()
            .filter_map(|p| p.get("maxContains")?.as_u64())
            .min()
    };
    let (bmax, amax) = (max(b), max(a));
    let tightened = match (bmax, amax) {
        (None, None) => return,
        (Some(x), Some(y)) if x == y => return,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => y < x,
    };
    let show = |m: Option<u64>| m.map_or("none".to_owned(), |m| m.to_string());
    let (rule, severity) = if tightened {
        (Rule::ConstraintTightened, dir.narrowed())
    } else {
        (Rule::ConstraintRelaxed, dir.widened())
    };
    out.push(Change::new(
        rule,
        severity,
        dir,
        at("maxContains"),
        format!(
            "`maxContains` changed from {} to {}",
            show(bmax),
            show(amax)
        ),
    ));
}

/// One `pattern` rewritten into another is judged by the strings each accepts (decided
/// exactly, see `pattern`): a rewrite accepting the same strings is no change to a client,
/// one accepting fewer narrows, one accepting more widens. Several patterns, or one added or
/// removed, are compared as a set of constraints; a rewrite not decided (a pattern that does
/// not compile, or more rewrites than `decisions_left`) keeps the breaking verdict and says why.
fn compare_patterns(
    b: &Flat<'_>,
    a: &Flat<'_>,
    dir: Direction,
    decisions_left: &mut usize,
    out: &mut Found,
) {
    let single = |f: &Flat<'_>| -> Option<String> {
        let mut found = f.parts.iter().filter_map(|p| p.get("pattern"));
        let first = found.next()?.as_str()?.to_owned();
        found.all(|v| v.as_str() == Some(&first)).then_some(first)
    };
    let (Some(before), Some(after)) = (single(b), single(a)) else {
        return compare_value_sets(b, a, "pattern", dir, out);
    };
    if before == after {
        return;
    }
    let at = loc_of(a, "pattern").unwrap_or_default();
    let change = format!("`pattern` changed from {before:?} to {after:?}");
    let verdict = if *decisions_left == 0 {
        Err(pattern::Undecided(format!(
            "more than {} rewritten patterns in one contract; the rest are not compared",
            pattern::DECISIONS
        )))
    } else {
        *decisions_left -= 1;
        pattern::contained(&after, &before)
            .and_then(|narrower| Ok((narrower, pattern::contained(&before, &after)?)))
    };
    let (rule, severity, message) = match verdict {
        Ok((true, true)) => (
            Rule::ConstraintChanged,
            Severity::NonBreaking,
            format!("{change}: both accept the same strings"),
        ),
        Ok((true, false)) => (
            Rule::ConstraintTightened,
            dir.narrowed(),
            format!("{change}: it accepts fewer strings than before"),
        ),
        Ok((false, true)) => (
            Rule::ConstraintRelaxed,
            dir.widened(),
            format!("{change}: it accepts more strings than before"),
        ),
        Ok((false, false)) => (
            Rule::ConstraintChanged,
            Severity::Breaking,
            format!("{change}: each accepts strings the other rejects"),
        ),
        Err(pattern::Undecided(why)) => (
            Rule::ConstraintChanged,
            Severity::Breaking,
            format!("{change} (whether one accepts the other's strings was not decided: {why})"),
        ),
    };
    out.push(Change::new(rule, severity, dir, at, message));
}

/// Keywords that combine as "all must hold" (`pattern`, `multipleOf`): compared as sets.
fn compare_value_sets(b: &Flat<'_>, a: &Flat<'_>, key: &str, dir: Direction, out: &mut Found) {
    let collect = |f: &Flat<'_>| -> Vec<String> {
        let mut v: Vec<String> = f
            .parts
            .iter()
            .filter_map(|p| p.get(key))
            .map(|v| v.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let bs = collect(b);
    let as_ = collect(a);
    if bs == as_ {
        return;
    }
    let added = as_.iter().any(|v| !bs.contains(v));
    let removed = bs.iter().any(|v| !as_.contains(v));
    let at = loc_of(a, key)
        .or_else(|| loc_of(b, key))
        .unwrap_or_default();
    let message = format!(
        "`{key}` changed from {} to {}",
        if bs.is_empty() {
            "none".to_owned()
        } else {
            bs.join(", ")
        },
        if as_.is_empty() {
            "none".to_owned()
        } else {
            as_.join(", ")
        }
    );
    let (rule, severity) = match (added, removed) {
        (true, false) => (Rule::ConstraintTightened, dir.narrowed()),
        (false, true) => (Rule::ConstraintRelaxed, dir.widened()),
        _ => (Rule::ConstraintChanged, Severity::Breaking),
    };
    out.push(Change::new(rule, severity, dir, at, message));
}

/// Boolean keywords that restrict when true (`uniqueItems`).
fn compare_flag(b: &Flat<'_>, a: &Flat<'_>, key: &str, dir: Direction, out: &mut Found) {
    let bv = any_true(&b.parts, key);
    let av = any_true(&a.parts, key);
    if bv == av {
        return;
    }
    let at = loc_of(a, key)
        .or_else(|| loc_of(b, key))
        .unwrap_or_default();
    if av {
        out.push(Change::new(
            Rule::ConstraintTightened,
            dir.narrowed(),
            dir,
            at,
            format!("`{key}` is now required to hold"),
        ));
    } else {
        out.push(Change::new(
            Rule::ConstraintRelaxed,
            dir.widened(),
            dir,
            at,
            format!("`{key}` no longer applies"),
        ));
    }
}

fn properties<'s>(f: &Flat<'s>) -> BTreeMap<&'s str, Vec<Part<'s>>> {
    let mut map: BTreeMap<&'s str, Vec<Part<'s>>> = BTreeMap::new();
    for part in &f.parts {
        if let Some(Value::Object(props)) = part.get("properties") {
            for name in props.keys() {
                if let Some(child) = part.child2("properties", name) {
                    map.entry(name.as_str()).or_default().push(child);
                }
            }
        }
    }
    map
}

fn required<'s>(f: &Flat<'s>) -> BTreeSet<&'s str> {
    f.parts
        .iter()
        .filter_map(|p| p.get("required").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

enum Additional<'s> {
    Any,
    Forbidden,
    Schema(Vec<Part<'s>>),
}

fn additional<'s>(f: &Flat<'s>) -> Additional<'s> {
    let mut schemas = Vec::new();
    for part in &f.parts {
        match part.get("additionalProperties") {
            Some(Value::Bool(false)) => return Additional::Forbidden,
            Some(Value::Object(m)) if !m.is_empty() => {
                if let Some(child) = part.child("additionalProperties") {
                    schemas.push(child);
                }
            }
            _ => {}
        }
    }
    if schemas.is_empty() {
        Additional::Any
    } else {
        Additional::Schema(schemas)
    }
}

/// The schema a flattened object gives a property `name` it does not list: the
/// `patternProperties` whose pattern matches (a pattern not read is taken to match), else its
/// `additionalProperties` schema, else — with neither — its `unevaluatedProperties` schema.
/// `None` when nothing constrains it. (Found by the containment property test: a property
/// added to a response whose old schema had `unevaluatedProperties: {type: integer}` was not
/// compared with it.)
fn other_property_schema<'s>(f: &Flat<'s>, name: &str) -> Option<Vec<Part<'s>>> {
    let mut by_pattern = Vec::new();
    for part in &f.parts {
        if let Some(Value::Object(patterns)) = part.get("patternProperties") {
            for pattern in patterns.keys() {
                if pattern::matches(pattern, name).unwrap_or(true)
                    && let Some(child) = part.child2("patternProperties", pattern)
                {
                    by_pattern.push(child);
                }
            }
        }
    }
    if !by_pattern.is_empty() {
        return Some(by_pattern);
    }
    if f.parts
        .iter()
        .any(|p| p.get("additionalProperties").is_some())
    {
        return match additional(f) {
            Additional::Schema(parts) => Some(parts),
            Additional::Any | Additional::Forbidden => None,
        };
    }
    let rest: Vec<Part<'s>> = f
        .parts
        .iter()
        .filter(|p| p.get("unevaluatedProperties").is_some_and(Value::is_object))
        .filter_map(|p| p.child("unevaluatedProperties"))
        .collect();
    (!rest.is_empty()).then_some(rest)
}

fn compare_discriminator(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bd = first(b, "discriminator");
    let ad = first(a, "discriminator");
    let name = |d: Option<&Value>| d.and_then(|d| d.get("propertyName")).cloned();
    if name(bd) == name(ad)
        && bd.and_then(|d| d.get("mapping")) == ad.and_then(|d| d.get("mapping"))
    {
        return;
    }
    let at = loc_of(a, "discriminator")
        .or_else(|| loc_of(b, "discriminator"))
        .unwrap_or_default();
    let message = match (bd, ad) {
        (None, Some(_)) => "a discriminator was added".to_owned(),
        (Some(_), None) => "the discriminator was removed".to_owned(),
        _ => "the discriminator changed (property name or mapping)".to_owned(),
    };
    out.push(Change::new(
        Rule::DiscriminatorChanged,
        dir.widened(),
        dir,
        at,
        message,
    ));
}

fn xml_of(f: &Flat<'_>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(xml)) = first(f, "xml") {
        for (k, v) in xml {
            let default = matches!(
                (k.as_str(), v),
                ("attribute" | "wrapped", Value::Bool(false))
            );
            if !default && !k.starts_with("x-") {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn compare_xml(b: &Flat<'_>, a: &Flat<'_>, out: &mut Found, dir: Direction) {
    let (bx, ax) = (xml_of(b), xml_of(a));
    if bx != ax {
        let at = loc_of(a, "xml")
            .or_else(|| loc_of(b, "xml"))
            .unwrap_or_default();
        let keys: BTreeSet<&String> = bx
            .keys()
            .chain(ax.keys())
            .filter(|k| bx.get(*k) != ax.get(*k))
            .collect();
        let keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
        out.push(Change::new(
            Rule::XmlChanged,
            Severity::Breaking,
            dir,
            at,
            format!("the XML representation changed ({})", keys.join(", ")),
        ));
    }
}

fn compare_default(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bd = first(b, "default");
    let ad = first(a, "default");
    if bd == ad {
        return;
    }
    let severity = match (dir, bd) {
        (Direction::Request | Direction::Both, Some(_)) => Severity::PotentiallyBreaking,
        _ => Severity::NonBreaking,
    };
    let at = loc_of(a, "default")
        .or_else(|| loc_of(b, "default"))
        .unwrap_or_default();
    let show = |v: Option<&Value>| v.map_or("none".to_owned(), compact);
    out.push(Change::new(
        Rule::DefaultChanged,
        severity,
        dir,
        at,
        format!("default changed from {} to {}", show(bd), show(ad)),
    ));
}

fn compare_deprecated(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    let bd = any_true(&b.parts, "deprecated");
    let ad = any_true(&a.parts, "deprecated");
    if bd != ad {
        let at = loc_of(a, "deprecated")
            .or_else(|| loc_of(b, "deprecated"))
            .unwrap_or_default();
        out.push(Change::new(
            Rule::SchemaDeprecated,
            Severity::NonBreaking,
            dir,
            at,
            if ad {
                "the schema is now deprecated"
            } else {
                "the schema is no longer deprecated"
            },
        ));
    }
}

fn compare_docs(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
    for key in [
        "title",
        "description",
        "example",
        "examples",
        "externalDocs",
    ] {
        let bv = first(b, key);
        let av = first(a, key);
        if bv != av {
            let at = loc_of(a, key)
                .or_else(|| loc_of(b, key))
                .unwrap_or_default();
            let verb = match (bv, av) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            };
            out.push(Change::new(
                Rule::DocumentationChanged,
                Severity::NonBreaking,
                dir,
                at,
                format!("schema `{key}` {verb}"),
            ));
        }
    }
}
