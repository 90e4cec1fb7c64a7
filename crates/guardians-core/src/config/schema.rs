//! The JSON Schema of `.github/guardians.yml`, assembled from the sections' own schemas.
//!
//! Each guardian declares its section's type; only a crate that sees every guardian can list all
//! sections, so the shipped `schema/guardians.schema.json` is assembled (and checked by a test)
//! there, with [`json_schema`] doing the assembly.

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::section::{ConfigSection, SECTION_NAMES};

/// Shown by editors for the file as a whole.
const TITLE: &str = "Guardians configuration (.github/guardians.yml)";
const DESCRIPTION: &str = "The whole `.github/guardians.yml`. Every section is optional.";

/// One section's part of the file schema: its key, its settings' schema and their defaults.
#[derive(Clone, Copy)]
pub struct SectionSchema {
    name: &'static str,
    schema: fn(&mut SchemaGenerator) -> Schema,
    default: fn() -> Result<Value, serde_json::Error>,
}

impl SectionSchema {
    pub fn of<S: ConfigSection>() -> SectionSchema {
        SectionSchema {
            name: S::NAME,
            schema: |generator| generator.subschema_for::<S>(),
            default: || serde_json::to_value(S::default()),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Why the sections given do not make the file's schema.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("section `{0}` has no schema; every one of SECTION_NAMES needs one")]
    Missing(&'static str),
    #[error("section `{0}` is not one of SECTION_NAMES, or is given twice")]
    Unexpected(&'static str),
    #[error("the defaults of section `{0}` do not serialize: {1}")]
    Default(&'static str, serde_json::Error),
}

/// The schema of the whole file: an object with exactly the known sections, each optional, each
/// with its defaults shown, and no other key. `sections` must hold every name in
/// [`SECTION_NAMES`] once.
pub fn json_schema(sections: &[SectionSchema]) -> Result<Value, SchemaError> {
    let mut given: Vec<&SectionSchema> = Vec::with_capacity(sections.len());
    for section in sections {
        if !SECTION_NAMES.contains(&section.name) || given.iter().any(|s| s.name == section.name) {
            return Err(SchemaError::Unexpected(section.name));
        }
        given.push(section);
    }
    if let Some(missing) = SECTION_NAMES
        .iter()
        .find(|name| !given.iter().any(|s| s.name == **name))
    {
        return Err(SchemaError::Missing(missing));
    }

    let mut generator = SchemaGenerator::default();
    let mut properties = Map::new();
    for section in given {
        let mut schema = (section.schema)(&mut generator);
        let default = (section.default)().map_err(|e| SchemaError::Default(section.name, e))?;
        schema.insert("default".into(), default);
        properties.insert(section.name.into(), schema.into());
    }
    let mut root = Map::new();
    if let Some(meta_schema) = generator.settings().meta_schema.as_deref() {
        root.insert("$schema".into(), meta_schema.into());
    }
    root.insert("title".into(), TITLE.into());
    root.insert("description".into(), DESCRIPTION.into());
    root.insert("type".into(), "object".into());
    root.insert("properties".into(), properties.into());
    root.insert("additionalProperties".into(), false.into());
    let definitions = generator.take_definitions(true);
    if !definitions.is_empty() {
        root.insert("$defs".into(), definitions.into());
    }
    Ok(root.into())
}
