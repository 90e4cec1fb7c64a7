//! Swagger 2.0 converted to the OpenAPI 3.0 model on load, so that it gets the same semantic
//! diff (and the same gate) as OpenAPI 3 instead of a text diff that can pass a removed
//! operation.
//!
//! The mapping follows the OpenAPI 3.0 specification's own upgrade notes: `definitions`,
//! `parameters`, `responses` and `securityDefinitions` move under `components`; a `body`
//! parameter becomes the `requestBody`, `formData` parameters a form body; a parameter's
//! type keywords move into its `schema`; a response `schema` and the operation's (or the
//! document's) `consumes`/`produces` become `content` per media type. Local `$ref`s are
//! rewritten to the new places; shared parameters and responses are inlined, since where
//! they land in OpenAPI 3 depends on their kind.

use serde_json::{Map, Value, json};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords a Swagger 2.0 non-body parameter or header shares with JSON Schema.
const SCHEMA_KEYS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Whether `root` is a Swagger 2.0 document.
pub fn is_swagger2(root: &Value) -> bool {
    root.get("swagger")
        .is_some_and(|v| v.as_str().is_some_and(|s| s.starts_with('2')) || v.as_f64() == Some(2.0))
}

/// The OpenAPI 3.0 equivalent of the Swagger 2.0 document `root`.
pub fn convert(root: &Value) -> Value {
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    copy_extensions(root, &mut out);
    if let Some(host) = root.get("host").and_then(Value::as_str) {
        let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
        let schemes: Vec<&str> = root
            .get("schemes")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_else(|| vec!["https"]);
        let servers: Vec<Value> = schemes
            .iter()
            .map(|s| json!({"url": format!("{s}://{host}{base}")}))
            .collect();
        out.insert("servers".into(), Value::Array(servers));
    }
    let consumes = media_types(root.get("consumes"));
    let produces = media_types(root.get("produces"));
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = root.get("paths") {
        for (path, item) in items {
            paths.insert(path.clone(), path_item(root, item, &consumes, &produces));
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if let Some(defs) = root.get("definitions") {
        components.insert("schemas".into(), schema(defs.clone()));
    }
    if let Some(Value::Object(defs)) = root.get("securityDefinitions") {
        let schemes: Map<String, Value> = defs
            .iter()
            .map(|(name, def)| (name.clone(), security_scheme(def)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    Value::Object(out)
}

fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    if let Some(map) = from.as_object() {
        for (k, v) in map {
            if k.starts_with("x-") {
                to.insert(k.clone(), v.clone());
            }
        }
    }
}

fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|types| {
        types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

/// A local reference's target in the Swagger 2.0 document (`#/parameters/X`), else the value.
fn local<'v>(root: &'v Value, value: &'v Value) -> &'v Value {
    let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
        return value;
    };
    reference
        .strip_prefix('#')
        .and_then(|pointer| root.pointer(pointer))
        .unwrap_or(value)
}

fn path_item(
    root: &Value,
    item: &Value,
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
) -> Value {
    let item = local(root, item);
    let mut out = Map::new();
    copy_extensions(item, &mut out);
    for key in ["summary", "description"] {
        if let Some(v) = item.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let shared: Vec<&Value> = item
        .get("parameters")
        .and_then(Value::as_array)
        .map(|p| p.iter().map(|p| local(root, p)).collect())
        .unwrap_or_default();
    for method in METHODS {
        if let Some(op) = item.get(method) {
            out.insert(
                method.into(),
                operation(root, op, &shared, consumes, produces),
            );
        }
    }
    Value::Object(out)
}

fn operation(
    root: &Value,
    op: &Value,
    shared: &[&Value],
    consumes: &Option<Vec<String>>,
    produces: &Option<Vec<String>>,
) -> Value {
    let mut out = Map::new();
    for key in [
        "tags",
        "summary",
        "description",
        "externalDocs",
        "operationId",
        "deprecated",
        "security",
    ] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    copy_extensions(op, &mut out);
    let consumes = media_types(op.get("consumes"))
        .or_else(|| consumes.clone())
        .unwrap_or_else(|| vec!["application/json".to_owned()]);
    let produces = media_types(op.get("produces"))
        .or_else(|| produces.clone())
        .unwrap_or_else(|| vec!["application/json".to_owned()]);
    // Operation parameters override path-level ones with the same name and location.
    let own: Vec<&Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|p| p.iter().map(|p| local(root, p)).collect())
        .unwrap_or_default();
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut params: Vec<&Value> = shared
        .iter()
        .copied()
        .filter(|s| !own.iter().any(|o| key(o) == key(s)))
        .collect();
    params.extend(own);
    let mut parameters = Vec::new();
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut multipart = false;
    for param in params {
        match param.get("in").and_then(Value::as_str) {
            Some("body") => {
                let mut body = Map::new();
                if let Some(d) = param.get("description") {
                    body.insert("description".into(), d.clone());
                }
                if param.get("required") == Some(&Value::Bool(true)) {
                    body.insert("required".into(), json!(true));
                }
                let body_schema = schema(param.get("schema").cloned().unwrap_or(json!({})));
                body.insert("content".into(), content(&consumes, &body_schema));
                copy_extensions(param, &mut body);
                out.insert("requestBody".into(), Value::Object(body));
            }
            Some("formData") => {
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    continue;
                };
                multipart |= param.get("type").and_then(Value::as_str) == Some("file");
                form.insert(name.to_owned(), parameter_schema(param));
                if param.get("required") == Some(&Value::Bool(true)) {
                    form_required.push(json!(name));
                }
            }
            _ => parameters.push(parameter(param)),
        }
    }
    if !form.is_empty() && !out.contains_key("requestBody") {
        let mut form_schema = json!({"type": "object", "properties": form});
        if !form_required.is_empty() {
            form_schema["required"] = Value::Array(form_required.clone());
        }
        let form_types: Vec<String> = consumes
            .iter()
            .filter(|t| {
                t.starts_with("multipart/form-data")
                    || t.starts_with("application/x-www-form-urlencoded")
            })
            .cloned()
            .collect();
        let form_types = if form_types.is_empty() {
            vec![if multipart {
                "multipart/form-data".to_owned()
            } else {
                "application/x-www-form-urlencoded".to_owned()
            }]
        } else {
            form_types
        };
        let mut body = json!({"content": content(&form_types, &form_schema)});
        if !form_required.is_empty() {
            body["required"] = json!(true);
        }
        out.insert("requestBody".into(), body);
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let mut responses = Map::new();
    if let Some(Value::Object(items)) = op.get("responses") {
        for (code, response) in items {
            if code.starts_with("x-") {
                continue;
            }
            responses.insert(code.clone(), self::response(root, response, &produces));
        }
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

fn content(types: &[String], body_schema: &Value) -> Value {
    let map: Map<String, Value> = types
        .iter()
        .map(|t| (t.clone(), json!({"schema": body_schema})))
        .collect();
    Value::Object(map)
}

/// A non-body parameter: its type keywords become its `schema`.
fn parameter(param: &Value) -> Value {
    let mut out = Map::new();
    for key in ["name", "in", "description", "required", "allowEmptyValue"] {
        if let Some(v) = param.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if param.get("in").and_then(Value::as_str) == Some("path") {
        out.insert("required".into(), json!(true));
    }
    // `collectionFormat` becomes `style`/`explode`, so a change of separator still shows.
    match param.get("collectionFormat").and_then(Value::as_str) {
        Some("multi") => {
            out.insert("style".into(), json!("form"));
            out.insert("explode".into(), json!(true));
        }
        Some("ssv") => {
            out.insert("style".into(), json!("spaceDelimited"));
        }
        Some("pipes") => {
            out.insert("style".into(), json!("pipeDelimited"));
        }
        Some(_) if param.get("type").and_then(Value::as_str) == Some("array") => {
            out.insert("explode".into(), json!(false));
        }
        _ => {}
    }
    copy_extensions(param, &mut out);
    out.insert("schema".into(), parameter_schema(param));
    Value::Object(out)
}

fn parameter_schema(param: &Value) -> Value {
    let mut out = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(v) = param.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(d) = param.get("description") {
        out.insert("description".into(), d.clone());
    }
    schema(Value::Object(out))
}

fn response(root: &Value, response: &Value, produces: &[String]) -> Value {
    let response = local(root, response);
    let mut out = Map::new();
    out.insert(
        "description".into(),
        response.get("description").cloned().unwrap_or(json!("")),
    );
    if let Some(body_schema) = response.get("schema") {
        out.insert(
            "content".into(),
            content(produces, &schema(body_schema.clone())),
        );
    }
    if let Some(Value::Object(headers)) = response.get("headers") {
        let headers: Map<String, Value> = headers
            .iter()
            .map(|(name, header)| {
                let mut h = Map::new();
                if let Some(d) = header.get("description") {
                    h.insert("description".into(), d.clone());
                }
                h.insert("schema".into(), parameter_schema(header));
                (name.clone(), Value::Object(h))
            })
            .collect();
        out.insert("headers".into(), Value::Object(headers));
    }
    copy_extensions(response, &mut out);
    Value::Object(out)
}

fn security_scheme(def: &Value) -> Value {
    let mut out = Map::new();
    if let Some(d) = def.get("description") {
        out.insert("description".into(), d.clone());
    }
    match def.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            for key in ["name", "in"] {
                if let Some(v) = def.get(key) {
                    out.insert(key.into(), v.clone());
                }
            }
        }
        Some("oauth2") => {
            out.insert("type".into(), json!("oauth2"));
            let flow = match def.get("flow").and_then(Value::as_str) {
                Some("accessCode") => "authorizationCode",
                Some("application") => "clientCredentials",
                Some(other) => other,
                None => "implicit",
            };
            let mut f = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(v) = def.get(key) {
                    f.insert(key.into(), v.clone());
                }
            }
            f.entry("scopes").or_insert_with(|| json!({}));
            out.insert("flows".into(), json!({ flow: f }));
        }
        _ => return def.clone(),
    }
    copy_extensions(def, &mut out);
    Value::Object(out)
}

/// A Swagger 2.0 schema in OpenAPI 3.0 terms: `#/definitions/X` references point to
/// `#/components/schemas/X`, `type: file` is a binary string, and a `discriminator` names
/// its property in an object.
fn schema(mut value: Value) -> Value {
    rewrite(&mut value);
    value
}

fn rewrite(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(name) = reference.strip_prefix("#/definitions/")
            {
                *reference = format!("#/components/schemas/{name}");
            }
            if map.get("type").and_then(Value::as_str) == Some("file") {
                map.insert("type".into(), json!("string"));
                map.insert("format".into(), json!("binary"));
            }
            if let Some(Value::String(property)) = map.get("discriminator") {
                let property = property.clone();
                map.insert("discriminator".into(), json!({"propertyName": property}));
            }
            for (key, child) in map.iter_mut() {
                // Examples and enums are data, not schemas.
                if !matches!(key.as_str(), "example" | "enum" | "default" | "x-example") {
                    rewrite(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_formdata_responses_and_definitions_move_to_openapi3_places() {
        let swagger = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "type": "integer", "required": true}],
                "put": {
                    "parameters": [
                        {"name": "pet", "in": "body", "required": true,
                         "schema": {"$ref": "#/definitions/Pet"}},
                        {"name": "tags", "in": "query", "type": "array",
                         "items": {"type": "string"}, "collectionFormat": "multi"}
                    ],
                    "responses": {"200": {"description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}
                },
                "post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "photo", "in": "formData", "type": "file", "required": true}],
                    "responses": {"204": {"description": "stored"}}
                }
            }},
            "definitions": {"Pet": {"type": "object", "discriminator": "kind",
                "properties": {"parent": {"$ref": "#/definitions/Pet"}}}},
            "securityDefinitions": {"basic": {"type": "basic"}}
        });
        let v = convert(&swagger);
        assert_eq!(v["openapi"], "3.0.3");
        let put = &v["paths"]["/pets/{id}"]["put"];
        assert_eq!(
            put["requestBody"],
            json!({"required": true, "content": {"application/json":
                {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert_eq!(
            put["parameters"][0],
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}})
        );
        assert_eq!(put["parameters"][1]["style"], "form");
        assert_eq!(put["parameters"][1]["schema"]["items"]["type"], "string");
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Pet"
        );
        let post = &v["paths"]["/pets/{id}"]["post"];
        assert_eq!(
            post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["photo"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(post["requestBody"]["required"], true);
        let pet = &v["components"]["schemas"]["Pet"];
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            pet["properties"]["parent"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            v["components"]["securitySchemes"]["basic"],
            json!({"type": "http", "scheme": "basic"})
        );
    }

    #[test]
    fn shared_parameters_and_responses_are_inlined() {
        let swagger = json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/parameters/Limit"}],
                "responses": {"404": {"$ref": "#/responses/NotFound"}}
            }}},
            "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100}},
            "responses": {"NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Error"}}},
            "definitions": {"Error": {"type": "object"}}
        });
        let v = convert(&swagger);
        let get = &v["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["schema"]["maximum"], 100);
        assert_eq!(
            get["responses"]["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
    }
}
