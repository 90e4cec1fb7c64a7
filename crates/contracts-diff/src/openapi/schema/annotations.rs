//! Keywords that describe rather than constrain, and the ones clients read to decode:
//! `discriminator`, `xml`, `default`, `deprecated` and documentation.

use super::*;

pub(super) fn compare_discriminator(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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

pub(super) fn xml_of(f: &Flat<'_>) -> BTreeMap<String, Value> {
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

pub(super) fn compare_xml(b: &Flat<'_>, a: &Flat<'_>, out: &mut Found, dir: Direction) {
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

pub(super) fn compare_default(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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

pub(super) fn compare_deprecated(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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

pub(super) fn compare_docs(b: &Flat<'_>, a: &Flat<'_>, dir: Direction, out: &mut Found) {
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
