//! The settings of one run: the config file's section, overridden by action inputs, validated.
//! What sizing needs (buckets, ignore rules) is core's `change_size::SizeSettings`, shared with
//! telemetry-emitter; this adds the comment and the verdict.

use guardians_core::change_size::{SettingsError, SizeOverrides, SizeSettings};
use guardians_core::config::size_labeler::SizeLabelerConfig;

/// Action inputs that override the file (each `None` when not given).
#[derive(Debug, Clone, Default)]
pub(crate) struct InputOverrides {
    /// `ignore`, `ignore-lockfiles`, `ignore-generated`.
    pub size: SizeOverrides,
    pub comment_on: Option<String>,
    pub fail_on_size: Option<String>,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub size: SizeSettings,
    /// Index into `size.buckets`.
    pub comment_on: Option<usize>,
    /// Index into `size.buckets`.
    pub fail_on_size: Option<usize>,
}

impl Settings {
    pub(crate) fn resolve(
        file: &SizeLabelerConfig,
        inputs: &InputOverrides,
    ) -> Result<Settings, SettingsError> {
        let size = SizeSettings::resolve(file, &inputs.size)?;
        let comment_on = size.bucket_named(
            "comment-on",
            inputs.comment_on.as_deref().or(file.comment_on.as_deref()),
        )?;
        let fail_on_size = size.bucket_named(
            "fail-on-size",
            inputs
                .fail_on_size
                .as_deref()
                .or(file.fail_on_size.as_deref()),
        )?;
        Ok(Settings {
            size,
            comment_on,
            fail_on_size,
        })
    }

    /// Every label this guardian owns: only these are ever removed.
    pub(crate) fn owned_labels(&self) -> Vec<String> {
        self.size.buckets.iter().map(|b| b.label.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_override_the_file() {
        let inputs = InputOverrides {
            size: SizeOverrides {
                ignore: vec!["*.snap".into()],
                ignore_lockfiles: Some(false),
                ..Default::default()
            },
            fail_on_size: Some("size/L".into()),
            ..Default::default()
        };
        let file = SizeLabelerConfig {
            ignore: vec!["docs/**".into()],
            fail_on_size: Some("XL".into()),
            comment_on: Some("M".into()),
            ..Default::default()
        };
        let s = Settings::resolve(&file, &inputs).unwrap();
        assert_eq!(
            s.size.ignore,
            vec!["docs/**".to_string(), "*.snap".to_string()]
        );
        assert!(!s.size.ignore_lockfiles);
        assert_eq!(s.fail_on_size, Some(3));
        assert_eq!(s.comment_on, Some(2), "the file's, no input given");
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
    }
}
