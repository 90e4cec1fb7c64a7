//! One guardian's section of the file, read by the guardian that owns it.
//!
//! The loader only checks the file's outline (a mapping whose keys are known section names);
//! each guardian then reads its own section with [`GuardiansConfig::section`]. Reading goes
//! through the same YAML deserializer over the file's text, so an error keeps the line and the
//! full key path (`pr-critic.template-paths[1]`) that a person can find in the file.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::ConfigError;
use super::load::invalid;

/// The sections `.github/guardians.yml` may hold, in the order an error lists them. A key that
/// is not one of these is refused with its name, so a misspelt section is not silently ignored.
pub const SECTION_NAMES: [&str; 6] = [
    "size-labeler",
    "pr-critic",
    "contracts-diff",
    "preview-commenter",
    "telemetry-emitter",
    "integration-queue",
];

/// A section's settings type. `NAME` is its key in the file (one of [`SECTION_NAMES`]); the
/// type is deserialized with `deny_unknown_fields` and kebab-case keys, and `Default` is what
/// applies when the file has no such section. Its `JsonSchema` becomes the section's part of
/// the shipped schema (see [`super::schema`]).
pub trait ConfigSection: DeserializeOwned + Serialize + schemars::JsonSchema + Default {
    const NAME: &'static str;
}

/// The whole `.github/guardians.yml`, checked for its outline; every section is optional and
/// read on demand by its guardian.
#[derive(Debug, Clone, Default)]
pub struct GuardiansConfig {
    /// `None`: no file, or one without settings; every section is its default.
    file: Option<Arc<ConfigFile>>,
}

#[derive(Debug)]
struct ConfigFile {
    source_name: String,
    text: String,
}

impl GuardiansConfig {
    /// Checks the outline of `text` (a mapping of known section names) and keeps it for the
    /// sections' readers. `source_name` names the file in errors.
    pub(super) fn from_text(text: &str, source_name: &str) -> Result<Self, ConfigError> {
        crate::data::typed::<Outline>(source_name, text).map_err(|e| invalid(source_name, e))?;
        Ok(GuardiansConfig {
            file: Some(Arc::new(ConfigFile {
                source_name: source_name.to_owned(),
                text: text.to_owned(),
            })),
        })
    }

    /// The `S::NAME` section, or its defaults when the file has none. Unknown keys and values
    /// of the wrong shape are errors naming the file, the line and the key path.
    pub fn section<S: ConfigSection>(&self) -> Result<S, ConfigError> {
        debug_assert!(
            SECTION_NAMES.contains(&S::NAME),
            "{} is not listed in SECTION_NAMES",
            S::NAME
        );
        let Some(file) = &self.file else {
            return Ok(S::default());
        };
        let OneSection(section) =
            crate::data::typed::<OneSection<S>>(&file.source_name, &file.text)
                .map_err(|e| invalid(&file.source_name, e))?;
        Ok(section.unwrap_or_default())
    }
}

/// What a mapping of settings is called in errors, in place of serde's Rust type names.
const A_MAPPING: &str = "a mapping of settings (`key: value` lines)";

/// The file's top level: known section names, each at most once; values are left to the
/// sections' readers.
struct Outline;

impl<'de> Deserialize<'de> for Outline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OutlineVisitor)
    }
}

struct OutlineVisitor;

impl<'de> Visitor<'de> for OutlineVisitor {
    type Value = Outline;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(A_MAPPING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut seen = [false; SECTION_NAMES.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(index) = SECTION_NAMES.iter().position(|name| *name == key) else {
                return Err(de::Error::unknown_field(&key, &SECTION_NAMES));
            };
            if std::mem::replace(&mut seen[index], true) {
                return Err(de::Error::duplicate_field(SECTION_NAMES[index]));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(Outline)
    }
}

/// The file's top level with only section `S` read; `None` when the file has no such section.
struct OneSection<S>(Option<S>);

impl<'de, S: ConfigSection> Deserialize<'de> for OneSection<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OneSectionVisitor(PhantomData))
    }
}

struct OneSectionVisitor<S>(PhantomData<S>);

impl<'de, S: ConfigSection> Visitor<'de> for OneSectionVisitor<S> {
    type Value = OneSection<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(A_MAPPING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OneSection<S>, A::Error> {
        let mut section = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == S::NAME {
                section = Some(map.next_value::<S>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(OneSection(section))
    }
}
