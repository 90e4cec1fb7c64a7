//! Bounds and constraints that all must hold: numeric bounds, lengths and counts, `contains`
//! counts, `pattern` (by the strings it accepts), `multipleOf` and other whole-value keywords.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bound {
    pub(super) value: f64,
    pub(super) exclusive: bool,
}

impl Bound {
    pub(super) fn show(self, lower: bool) -> String {
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
pub(super) fn bound(f: &Flat<'_>, lower: bool) -> Option<(Bound, String)> {
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
pub(super) fn stricter(x: Bound, y: Bound, lower: bool) -> bool {
    if x.value == y.value {
        return x.exclusive && !y.exclusive;
    }
    if lower {
        x.value > y.value
    } else {
        x.value < y.value
    }
}

pub(super) fn compare_bounds(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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
pub(super) fn counts(f: &Flat<'_>, key: &str, is_min: bool) -> Option<(u64, String)> {
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

pub(super) fn compare_counts(
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
        let (rule, severity) = tightened_or_relaxed(y > x, dir);
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
    let Some(tightened) =
        upper_bound_tightened(bmax.as_ref().map(|m| m.0), amax.as_ref().map(|m| m.0))
    else {
        return;
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
    let (rule, severity) = tightened_or_relaxed(tightened, dir);
    out.push(Change::new(rule, severity, dir, at, message));
}

/// The rule and severity of a constraint that got tighter (narrows what is accepted) or
/// looser (widens it), in the direction the data flows.
fn tightened_or_relaxed(tightened: bool, dir: Direction) -> (Rule, Severity) {
    if tightened {
        (Rule::ConstraintTightened, dir.narrowed())
    } else {
        (Rule::ConstraintRelaxed, dir.widened())
    }
}

/// Whether an upper bound (none = unbounded) got tighter; `None` when it did not change.
fn upper_bound_tightened(before: Option<u64>, after: Option<u64>) -> Option<bool> {
    match (before, after) {
        (None, None) => None,
        (Some(x), Some(y)) if x == y => None,
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(x), Some(y)) => Some(y < x),
    }
}

/// `minContains`/`maxContains` bound how many items match `contains` — at least one when
/// `minContains` is unsaid — so they compare as counts with that default, where both sides
/// have a `contains` (one added or removed is judged as a whole; without one they mean
/// nothing). Found by the containment property test: a `minContains: 0` removed was read as
/// a widening, yet it makes an array without a matching item invalid.
pub(super) fn compare_contains_counts(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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
        let (rule, severity) = tightened_or_relaxed(amin > bmin, dir);
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
    let Some(tightened) = upper_bound_tightened(bmax, amax) else {
        return;
    };
    let show = |m: Option<u64>| m.map_or("none".to_owned(), |m| m.to_string());
    let (rule, severity) = tightened_or_relaxed(tightened, dir);
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
pub(super) fn compare_patterns(
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
pub(super) fn compare_value_sets(
    b: &Flat<'_>,
    a: &Flat<'_>,
    key: &str,
    dir: Direction,
    out: &mut Found,
) {
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
pub(super) fn compare_flag(b: &Flat<'_>, a: &Flat<'_>, key: &str, dir: Direction, out: &mut Found) {
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
