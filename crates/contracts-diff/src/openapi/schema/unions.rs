//! Unions compared as sets of alternatives (`oneOf`/`anyOf`, and an `allOf` over one), in the
//! direction the data flows: each alternative that must be contained is paired with the one
//! on the other side that contains it best.

use super::*;

impl<'s> SchemaDiffer<'s> {
    /// Compares two unions as sets of alternatives (a plain schema is a union of one).
    /// Each alternative that must be contained — the old ones for requests (old ⊆ new), the
    /// new ones for responses (new ⊆ old) — is paired with the alternative on the other side
    /// that contains it best; only that pairing's findings are reported. An alternative
    /// whose enum values are each accepted by some alternative on the other side is
    /// contained by the union even when no single alternative contains it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn compare_alternatives(
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
    pub(super) fn without_empty(
        &self,
        side: Side<'s>,
        alts: Vec<Vec<Part<'s>>>,
    ) -> Vec<Vec<Part<'s>>> {
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
    pub(super) fn cover_by_values(
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

    pub(super) fn member_added(
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

    pub(super) fn member_removed(
        &self,
        member: &[Part<'s>],
        kind: &str,
        dir: Direction,
        out: &mut Found,
    ) {
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
}

/// A union found in a flattened schema: its keyword, the part holding it, its members.
pub(super) struct Union<'s> {
    pub(super) kind: &'static str,
    pub(super) holder: usize,
    pub(super) members: Vec<Part<'s>>,
}

/// The first `oneOf`/`anyOf` not yet split, unless an `anyOf` only lists bare types (then
/// it is a type).
pub(super) fn union_members<'s>(f: &Flat<'s>) -> Option<Union<'s>> {
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
pub(super) fn alternatives<'s>(f: &Flat<'s>, union: Option<Union<'s>>) -> Vec<Vec<Part<'s>>> {
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
pub(super) fn is_split_union(part: &Part<'_>) -> bool {
    part.distributed && says_only_union(part.value)
}

pub(super) fn says_only_union(value: &Value) -> bool {
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
pub(super) fn bare_type_union(members: &[Value]) -> Option<u8> {
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

/// The same alternative written the same way (or through the same reference) on both sides.
/// Whether two alternatives are the same member of their unions: the member as written
/// (each alternative is the union's shared parts plus its member, last). The shared parts
/// are left out on purpose: when the union's holder changes at all (a description, one
/// alternative), comparing them would pair no member with itself, and every member would be
/// tried against every other, deeply.
pub(super) fn same_member(b: &[Part<'_>], a: &[Part<'_>]) -> bool {
    match (b.last(), a.last()) {
        (Some(x), Some(y)) => x.value == y.value,
        _ => b.is_empty() && a.is_empty(),
    }
}

pub(super) fn describe_member(member: &[Part<'_>]) -> String {
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
