//! Where a change is, as a reviewer reads it: the path inside the payload
//! (`response 200 → items[] → owner.login`) instead of the JSON pointer into the spec
//! (`/paths/~1pets/get/responses/200/content/application~1json/schema/items/properties/owner/properties/login`),
//! and which property a change is about, so that several rules on one property make one row.
//!
//! Only pointers into OpenAPI documents and JSON Schemas are read; anything else (GraphQL and
//! protobuf locations such as `schema.graphql#User.email`) is already readable and is kept.

/// JSON Schema keywords whose value is a leaf of the property that holds it: a change to one
/// of them is a change to that property. Schema-valued keywords (`items`, `properties`,
/// `additionalProperties`, `oneOf`, ...) are not here: they lead to another node.
const LEAF_KEYWORDS: &[&str] = &[
    "nullable",
    "x-nullable",
    "type",
    "format",
    "enum",
    "const",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minContains",
    "maxContains",
    "minProperties",
    "maxProperties",
    "required",
    "readOnly",
    "writeOnly",
    "deprecated",
    "discriminator",
    "xml",
    "description",
    "title",
    "example",
    "examples",
    "dependentRequired",
];

/// Keywords whose members are indexed (`/enum/2`, `/required/0`, `/type/1`): the index is
/// part of the leaf, not a node.
const INDEXED_LEAVES: &[&str] = &["enum", "required", "type", "examples"];

/// Unescapes one JSON pointer token (`~1` is `/`, `~0` is `~`, in that order: RFC 6901).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Splits `FILE#/pointer` (a value reached through a `$ref` into another file) into the file
/// and the pointer; a plain pointer has no file. `None` when it is not a JSON pointer at all.
fn split(location: &str) -> Option<(Option<&str>, &str)> {
    if location.starts_with('/') {
        return Some((None, location));
    }
    let (file, pointer) = location.split_once('#')?;
    pointer.starts_with('/').then_some((Some(file), pointer))
}

/// The property a change is about: the pointer without a trailing leaf keyword (and its
/// index), so that `…/name/nullable` and `…/name/type` are the same property `…/name`. A
/// location that is not a JSON pointer is its own key.
pub(crate) fn property_key(location: &str) -> &str {
    let Some((_, pointer)) = split(location) else {
        return location;
    };
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut keep = tokens.len();
    // `/enum/2` → drop the index with its keyword.
    if keep >= 2
        && tokens[keep - 1].parse::<usize>().is_ok()
        && INDEXED_LEAVES.contains(&tokens[keep - 2])
        && !is_property_name(&tokens, keep - 2)
    {
        keep -= 2;
    } else if keep >= 1
        && LEAF_KEYWORDS.contains(&tokens[keep - 1])
        && !is_property_name(&tokens, keep - 1)
    {
        keep -= 1;
    }
    // The kept tokens are a prefix of the pointer: cut the string there.
    let cut: usize = tokens[..keep].iter().map(|t| t.len() + 1).sum();
    &location[..location.len() - pointer.len() + cut]
}

/// Whether `tokens[at]` is a property's name (it follows `properties`), not a keyword: a
/// property may be called `type` or `default`.
fn is_property_name(tokens: &[&str], at: usize) -> bool {
    at > 0 && matches!(tokens[at - 1], "properties" | "patternProperties")
}

/// The path inside the payload, for a reviewer: what part of which message (`response 200`,
/// `request body`, `parameter 2`, `schema Pet`) and then the properties, with `[]` for array
/// items. Leaf keywords are left out (the rule says what changed). A location that is not a
/// JSON pointer is returned as it is.
pub(crate) fn payload_path(location: &str) -> String {
    let Some((file, pointer)) = split(location) else {
        return location.to_owned();
    };
    let tokens: Vec<String> = property_key(pointer)
        .split('/')
        .skip(1)
        .map(unescape)
        .collect();
    let (mut parts, rest) = message_part(&tokens);
    let mut current = String::new();
    let mut i = 0;
    while i < rest.len() {
        let token = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        match (token, next) {
            ("properties" | "patternProperties", Some(name)) => {
                if !current.is_empty() {
                    current.push('.');
                }
                current.push_str(name);
                i += 2;
            }
            ("items", _) => {
                let head = if current.is_empty() {
                    "items"
                } else {
                    &current
                };
                parts.push(format!("{head}[]"));
                current.clear();
                i += 1;
            }
            ("prefixItems", Some(index)) => {
                let head = if current.is_empty() {
                    "items"
                } else {
                    &current
                };
                parts.push(format!("{head}[{index}]"));
                current.clear();
                i += 2;
            }
            ("additionalProperties", _) => {
                current.push_str(if current.is_empty() { "*" } else { ".*" });
                i += 1;
            }
            ("oneOf" | "anyOf" | "allOf", Some(index)) => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
                let n = index.parse::<usize>().map_or(0, |n| n + 1);
                parts.push(format!("{token} #{n}"));
                i += 2;
            }
            ("schema", _) => i += 1,
            (other, _) => {
                // Anything else is shown as it is, so that nothing is hidden.
                if !current.is_empty() {
                    current.push('.');
                }
                current.push_str(other);
                i += 1;
            }
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    let path = parts.join(" → ");
    match file {
        Some(file) => format!("{file}: {path}"),
        None => path,
    }
}

/// Reads the message part of a pointer (which response, the request body, a parameter, a
/// named schema) and returns it with the tokens that follow inside its schema.
fn message_part(tokens: &[String]) -> (Vec<String>, &[String]) {
    let t = |i: usize| tokens.get(i).map(String::as_str);
    match (t(0), t(1), t(2), t(3)) {
        // An operation or path item itself: the endpoints column names it.
        (Some("paths"), _, _, None) => (Vec::new(), &[]),
        // /paths/{path}/{method}/...
        (Some("paths"), Some(_), Some(_), Some(_)) => {
            let inside = &tokens[3..];
            let at = |i: usize| inside.get(i).map(String::as_str);
            match (at(0), at(1), at(2), at(3)) {
                (Some("responses"), Some(code), Some("content"), Some(_)) => {
                    (vec![format!("response {code}")], &inside[4..])
                }
                (Some("responses"), Some(code), Some("headers"), Some(name)) => (
                    vec![format!("response {code}"), format!("header {name}")],
                    &inside[4..],
                ),
                (Some("requestBody"), Some("content"), Some(_), _) => {
                    (vec!["request body".to_owned()], &inside[3..])
                }
                (Some("parameters"), Some(index), _, _) => {
                    let n = index.parse::<usize>().map_or(0, |n| n + 1);
                    (vec![format!("parameter {n}")], &inside[2..])
                }
                _ => (vec!["operation".to_owned()], inside),
            }
        }
        (Some("components"), Some("schemas"), Some(name), _) => {
            (vec![format!("schema {name}")], &tokens[3..])
        }
        (Some("$defs" | "definitions"), Some(name), _, _) => {
            (vec![format!("schema {name}")], &tokens[2..])
        }
        _ => (Vec::new(), tokens),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_property_reads_as_the_payload_path() {
        assert_eq!(
            payload_path(
                "/paths/~1repos~1{owner}/get/responses/200/content/application~1json/schema/items/properties/owner/properties/login"
            ),
            "response 200 → items[] → owner.login"
        );
        assert_eq!(
            payload_path(
                "/paths/~1pets/post/requestBody/content/application~1json/schema/properties/tags/items/properties/name/maxLength"
            ),
            "request body → tags[] → name"
        );
        assert_eq!(
            payload_path("/paths/~1pets/get/parameters/0/schema/maximum"),
            "parameter 1"
        );
        assert_eq!(
            payload_path("/paths/~1pets/get/responses/200/headers/X-Rate-Limit/schema/type"),
            "response 200 → header X-Rate-Limit"
        );
    }

    #[test]
    fn components_definitions_and_other_files_are_named() {
        assert_eq!(
            payload_path("/components/schemas/Pet/properties/name/nullable"),
            "schema Pet → name"
        );
        assert_eq!(
            payload_path("/$defs/Address/properties/lines/prefixItems/0/type"),
            "schema Address → lines[0]"
        );
        assert_eq!(
            payload_path("common.yaml#/components/schemas/Error/properties/code/enum/3"),
            "common.yaml: schema Error → code"
        );
        assert_eq!(
            payload_path("/properties/meta/additionalProperties/type"),
            "meta.*"
        );
        assert_eq!(
            payload_path("/components/schemas/Pet/oneOf/1/properties/bark"),
            "schema Pet → oneOf #2 → bark"
        );
    }

    #[test]
    fn readable_locations_and_operations_are_kept() {
        assert_eq!(
            payload_path("schema.graphql#User.email"),
            "schema.graphql#User.email"
        );
        assert_eq!(payload_path("/paths/~1pets~1{id}/delete"), "");
    }

    #[test]
    fn leaf_keywords_belong_to_their_property_but_properties_named_like_keywords_do_not() {
        let name = "/components/schemas/Pet/properties/name";
        assert_eq!(property_key(&format!("{name}/nullable")), name);
        assert_eq!(property_key(&format!("{name}/type")), name);
        assert_eq!(property_key(&format!("{name}/enum/2")), name);
        assert_eq!(property_key(name), name);
        // A property called `type` is a node of its own.
        let called_type = "/components/schemas/Pet/properties/type";
        assert_eq!(property_key(called_type), called_type);
        // Other files keep their prefix; non-pointers are their own key.
        assert_eq!(
            property_key("c.yaml#/components/schemas/E/properties/code/maximum"),
            "c.yaml#/components/schemas/E/properties/code"
        );
        assert_eq!(property_key("s.graphql#User.email"), "s.graphql#User.email");
    }
}
