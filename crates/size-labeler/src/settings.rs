//! The settings of one run: the config file's section, overridden by action inputs, validated.

use guardians_core::config::size_labeler::{SizeBucket, SizeLabelerConfig};

/// Action inputs that override the file (each `None` when not given).
#[derive(Debug, Clone, Default)]
pub struct InputOverrides {
    /// Extra ignore globs, one per line, applied after the file's.
    pub ignore: Vec<String>,
    pub ignore_lockfiles: Option<bool>,
    pub ignore_generated: Option<bool>,
    pub comment_on: Option<String>,
    pub fail_on_size: Option<String>,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Ascending by `min_lines`, the first at 0.
    pub buckets: Vec<SizeBucket>,
    pub ignore: Vec<String>,
    pub ignore_lockfiles: bool,
    pub ignore_generated: bool,
    /// Index into `buckets`.
    pub comment_on: Option<usize>,
    /// Index into `buckets`.
    pub fail_on_size: Option<usize>,
}

/// A setting that cannot work, with the fix.
#[derive(Debug, thiserror::Error)]
#[error("size-labeler settings: {0}")]
pub struct SettingsError(String);

/// GitHub's limits for labels.
const LABEL_NAME_MAX: usize = 50;
const LABEL_DESCRIPTION_MAX: usize = 100;

impl Settings {
    pub fn resolve(
        file: &SizeLabelerConfig,
        inputs: &InputOverrides,
    ) -> Result<Settings, SettingsError> {
        let buckets = file.buckets.clone();
        validate_buckets(&buckets)?;
        let find = |key: &str, name: &Option<String>| -> Result<Option<usize>, SettingsError> {
            let Some(name) = name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
                return Ok(None);
            };
            buckets
                .iter()
                .position(|b| {
                    b.name.eq_ignore_ascii_case(name) || b.label.eq_ignore_ascii_case(name)
                })
                .map(Some)
                .ok_or_else(|| {
                    SettingsError(format!(
                        "`{key}: {name}` names no bucket; use one of {}",
                        bucket_names(&buckets)
                    ))
                })
        };
        let comment_on = find(
            "comment-on",
            &inputs.comment_on.clone().or(file.comment_on.clone()),
        )?;
        let fail_on_size = find(
            "fail-on-size",
            &inputs.fail_on_size.clone().or(file.fail_on_size.clone()),
        )?;
        let mut ignore = file.ignore.clone();
        ignore.extend(inputs.ignore.iter().cloned());
        Ok(Settings {
            buckets,
            ignore,
            ignore_lockfiles: inputs.ignore_lockfiles.unwrap_or(file.ignore_lockfiles),
            ignore_generated: inputs.ignore_generated.unwrap_or(file.ignore_generated),
            comment_on,
            fail_on_size,
        })
    }

    /// The bucket for `lines` changed.
    pub fn bucket_for(&self, lines: u64) -> usize {
        self.buckets
            .iter()
            .rposition(|b| lines >= b.min_lines)
            .unwrap_or(0)
    }

    /// Every label this guardian owns: only these are ever removed.
    pub fn owned_labels(&self) -> Vec<String> {
        self.buckets.iter().map(|b| b.label.clone()).collect()
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

    fn defaults() -> Settings {
        Settings::resolve(&SizeLabelerConfig::default(), &InputOverrides::default()).unwrap()
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
        let s = Settings::resolve(&config, &InputOverrides::default()).unwrap();
        assert_eq!(s.buckets[s.bucket_for(6000)].label, "size/XXL");
        assert_eq!(s.buckets[s.bucket_for(4999)].label, "size/XL");

        config.buckets = vec![config.buckets[0].clone(), config.buckets[4].clone()];
        let s = Settings::resolve(&config, &InputOverrides::default()).unwrap();
        assert_eq!(s.buckets[s.bucket_for(999)].label, "size/XS");
    }

    #[test]
    fn inputs_override_the_file() {
        let inputs = InputOverrides {
            ignore: vec!["*.snap".into()],
            ignore_lockfiles: Some(false),
            fail_on_size: Some("size/L".into()),
            ..Default::default()
        };
        let file = SizeLabelerConfig {
            ignore: vec!["docs/**".into()],
            fail_on_size: Some("XL".into()),
            ..Default::default()
        };
        let s = Settings::resolve(&file, &inputs).unwrap();
        assert_eq!(s.ignore, vec!["docs/**".to_string(), "*.snap".to_string()]);
        assert!(!s.ignore_lockfiles);
        assert_eq!(s.fail_on_size, Some(3));
    }

    #[test]
    fn bad_settings_say_what_to_fix() {
        let inputs = InputOverrides {
            fail_on_size: Some("HUGE".into()),
            ..Default::default()
        };
        let err = Settings::resolve(&SizeLabelerConfig::default(), &inputs).unwrap_err();
        assert_eq!(
            err.to_string(),
            "size-labeler settings: `fail-on-size: HUGE` names no bucket; use one of `XS`, `S`, `M`, `L`, `XL`"
        );

        let mut file = SizeLabelerConfig::default();
        file.buckets.swap(1, 2);
        let err = Settings::resolve(&file, &InputOverrides::default()).unwrap_err();
        assert!(err.to_string().contains("smallest first"), "{err}");

        let mut file = SizeLabelerConfig::default();
        file.buckets[0].min_lines = 10;
        let err = Settings::resolve(&file, &InputOverrides::default()).unwrap_err();
        assert!(err.to_string().contains("min-lines: 0"), "{err}");

        let mut file = SizeLabelerConfig::default();
        file.buckets[2].color = "purple".into();
        let err = Settings::resolve(&file, &InputOverrides::default()).unwrap_err();
        assert!(err.to_string().contains("six hex digits"), "{err}");
    }
}
