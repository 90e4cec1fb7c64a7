//! What sizing a change needs from the `size-labeler` section: the buckets, validated, and
//! what is not counted, with the action's overrides applied.

use super::generated_files::GeneratedFiles;
use super::ignore_rules::{IgnoreRules, InvalidGlob};
use crate::config::size_labeler::{SizeBucket, SizeLabelerConfig};

/// Overrides of the file's ignore settings (size-labeler's action inputs); each `None` when not
/// given.
#[derive(Debug, Clone, Default)]
pub struct SizeOverrides {
    /// Extra ignore globs, one per line, applied after the file's.
    pub ignore: Vec<String>,
    pub ignore_lockfiles: Option<bool>,
    pub ignore_generated: Option<bool>,
}

/// Validated size settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeSettings {
    /// Ascending by `min_lines`, the first at 0.
    pub buckets: Vec<SizeBucket>,
    pub ignore: Vec<String>,
    pub ignore_lockfiles: bool,
    pub ignore_generated: bool,
}

/// A setting that cannot work, with the fix.
#[derive(Debug, thiserror::Error)]
#[error("size-labeler settings: {0}")]
pub struct SettingsError(String);

/// GitHub's limits for labels.
const LABEL_NAME_MAX: usize = 50;
const LABEL_DESCRIPTION_MAX: usize = 100;

impl SizeSettings {
    pub fn resolve(
        file: &SizeLabelerConfig,
        overrides: &SizeOverrides,
    ) -> Result<SizeSettings, SettingsError> {
        let buckets = file.buckets.clone();
        validate_buckets(&buckets)?;
        let mut ignore = file.ignore.clone();
        ignore.extend(overrides.ignore.iter().cloned());
        Ok(SizeSettings {
            buckets,
            ignore,
            ignore_lockfiles: overrides.ignore_lockfiles.unwrap_or(file.ignore_lockfiles),
            ignore_generated: overrides.ignore_generated.unwrap_or(file.ignore_generated),
        })
    }

    /// The bucket for `lines` changed.
    pub fn bucket_for(&self, lines: u64) -> usize {
        self.buckets
            .iter()
            .rposition(|b| lines >= b.min_lines)
            .unwrap_or(0)
    }

    /// The bucket a setting `key` names, by name or label (`None` when not set).
    pub fn bucket_named(
        &self,
        key: &str,
        name: Option<&str>,
    ) -> Result<Option<usize>, SettingsError> {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
            return Ok(None);
        };
        self.buckets
            .iter()
            .position(|b| b.name.eq_ignore_ascii_case(name) || b.label.eq_ignore_ascii_case(name))
            .map(Some)
            .ok_or_else(|| {
                SettingsError(format!(
                    "`{key}: {name}` names no bucket; use one of {}",
                    bucket_names(&self.buckets)
                ))
            })
    }

    /// The rules in force; `gitattributes` is the text of the base branch's, when read (used
    /// only when generated files are ignored).
    pub fn ignore_rules(&self, gitattributes: Option<&str>) -> Result<IgnoreRules, InvalidGlob> {
        let generated = self
            .ignore_generated
            .then(|| gitattributes.map(GeneratedFiles::parse))
            .flatten();
        IgnoreRules::new(self.ignore_lockfiles, generated, &self.ignore)
    }
}

fn bucket_names(buckets: &[SizeBucket]) -> String {
    buckets
        .iter()
        .map(|b| format!("`{}`", b.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn validate_buckets(buckets: &[SizeBucket]) -> Result<(), SettingsError> {
    let Some(first) = buckets.first() else {
        return Err(SettingsError(
            "`buckets` is empty; list at least one bucket, the first with `min-lines: 0`".into(),
        ));
    };
    if first.min_lines != 0 {
        return Err(SettingsError(format!(
            "the first bucket `{}` starts at {} lines; the first bucket must have `min-lines: 0` so that every PR has a size",
            first.name, first.min_lines
        )));
    }
    for pair in buckets.windows(2) {
        if pair[1].min_lines <= pair[0].min_lines {
            return Err(SettingsError(format!(
                "bucket `{}` (min-lines {}) must start above `{}` (min-lines {}); list buckets smallest first",
                pair[1].name, pair[1].min_lines, pair[0].name, pair[0].min_lines
            )));
        }
    }
    for (i, bucket) in buckets.iter().enumerate() {
        if bucket.name.trim().is_empty() || bucket.label.trim().is_empty() {
            return Err(SettingsError(format!(
                "bucket #{} needs a non-empty `name` and `label`",
                i + 1
            )));
        }
        if bucket.label.chars().count() > LABEL_NAME_MAX {
            return Err(SettingsError(format!(
                "label `{}` is longer than GitHub's {LABEL_NAME_MAX} characters",
                bucket.label
            )));
        }
        if bucket.description.chars().count() > LABEL_DESCRIPTION_MAX {
            return Err(SettingsError(format!(
                "the description of `{}` is longer than GitHub's {LABEL_DESCRIPTION_MAX} characters",
                bucket.label
            )));
        }
        let color = bucket.color.trim_start_matches('#');
        if color.len() != 6 || !color.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(SettingsError(format!(
                "the colour `{}` of `{}` is not six hex digits (for example `c32607`)",
                bucket.color, bucket.label
            )));
        }
        let duplicate = buckets[..i].iter().find(|b| {
            b.name.eq_ignore_ascii_case(&bucket.name) || b.label.eq_ignore_ascii_case(&bucket.label)
        });
        if let Some(other) = duplicate {
            return Err(SettingsError(format!(
                "buckets `{}` and `{}` share a name or label; each needs its own",
                other.name, bucket.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> SizeSettings {
        SizeSettings::resolve(&SizeLabelerConfig::default(), &SizeOverrides::default()).unwrap()
    }

    #[test]
    fn default_thresholds_match_the_spec() {
        let s = defaults();
        let name = |lines| s.buckets[s.bucket_for(lines)].name.clone();
        assert_eq!(name(0), "XS");
        assert_eq!(name(49), "XS");
        assert_eq!(name(50), "S");
        assert_eq!(name(199), "S");
        assert_eq!(name(200), "M");
        assert_eq!(name(499), "M");
        assert_eq!(name(500), "L");
        assert_eq!(name(999), "L");
        assert_eq!(name(1000), "XL");
        assert_eq!(name(1_000_000), "XL");
    }

    #[test]
    fn an_xxl_bucket_and_fewer_buckets_are_expressible() {
        let mut config = SizeLabelerConfig::default();
        let mut xxl = config.buckets[4].clone();
        xxl.name = "XXL".into();
        xxl.label = "size/XXL".into();
        xxl.min_lines = 5000;
        config.buckets.push(xxl);
        let s = SizeSettings::resolve(&config, &SizeOverrides::default()).unwrap();
        assert_eq!(s.buckets[s.bucket_for(6000)].label, "size/XXL");
        assert_eq!(s.buckets[s.bucket_for(4999)].label, "size/XL");

        config.buckets = vec![config.buckets[0].clone(), config.buckets[4].clone()];
        let s = SizeSettings::resolve(&config, &SizeOverrides::default()).unwrap();
        assert_eq!(s.buckets[s.bucket_for(999)].label, "size/XS");
    }

    #[test]
    fn overrides_follow_the_file() {
        let overrides = SizeOverrides {
            ignore: vec!["*.snap".into()],
            ignore_lockfiles: Some(false),
            ..Default::default()
        };
        let file = SizeLabelerConfig {
            ignore: vec!["docs/**".into()],
            ..Default::default()
        };
        let s = SizeSettings::resolve(&file, &overrides).unwrap();
        assert_eq!(s.ignore, vec!["docs/**".to_string(), "*.snap".to_string()]);
        assert!(!s.ignore_lockfiles);
        assert!(s.ignore_generated, "the file's value when not overridden");
    }

    #[test]
    fn a_bucket_is_named_by_name_or_label() {
        let s = defaults();
        assert_eq!(
            s.bucket_named("fail-on-size", Some("size/L")).unwrap(),
            Some(3)
        );
        assert_eq!(s.bucket_named("comment-on", Some(" xl ")).unwrap(), Some(4));
        assert_eq!(s.bucket_named("comment-on", Some("")).unwrap(), None);
        assert_eq!(
            s.bucket_named("fail-on-size", Some("HUGE"))
                .unwrap_err()
                .to_string(),
            "size-labeler settings: `fail-on-size: HUGE` names no bucket; use one of `XS`, `S`, `M`, `L`, `XL`"
        );
    }

    #[test]
    fn generated_files_count_unless_ignored() {
        let attributes = Some("gen/** linguist-generated\n");
        assert!(
            defaults()
                .ignore_rules(attributes)
                .unwrap()
                .reason("gen/a.ts")
                .is_some()
        );
        let counted = SizeSettings::resolve(
            &SizeLabelerConfig::default(),
            &SizeOverrides {
                ignore_generated: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            counted.ignore_rules(attributes).unwrap().reason("gen/a.ts"),
            None
        );
    }

    #[test]
    fn bad_buckets_say_what_to_fix() {
        let resolve = |file: &SizeLabelerConfig| {
            SizeSettings::resolve(file, &SizeOverrides::default())
                .unwrap_err()
                .to_string()
        };
        let mut file = SizeLabelerConfig::default();
        file.buckets.swap(1, 2);
        let err = resolve(&file);
        assert!(err.contains("smallest first"), "{err}");

        let mut file = SizeLabelerConfig::default();
        file.buckets[0].min_lines = 10;
        let err = resolve(&file);
        assert!(err.contains("min-lines: 0"), "{err}");

        let mut file = SizeLabelerConfig::default();
        file.buckets[2].color = "purple".into();
        let err = resolve(&file);
        assert!(err.contains("six hex digits"), "{err}");
    }
}
