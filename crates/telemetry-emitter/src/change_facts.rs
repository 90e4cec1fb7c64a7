//! The PR's size, and whether it touches API contracts or endpoints, computed from one list of
//! the PR's files by guardians-core's `change_size` and `contract_paths` (what size-labeler and
//! contracts-diff use too), with those guardians' sections of `.github/guardians.yml`: the
//! numbers match what size-labeler labels and contracts-diff checks.

use guardians_core::change_size::{FileListing, SizeOverrides, SizeSettings, Totals, measure};
use guardians_core::config::GuardiansConfig;
use guardians_core::config::contracts_diff::ContractsDiffConfig;
use guardians_core::config::size_labeler::SizeLabelerConfig;
use guardians_core::contract_paths::Detector;
use guardians_core::github::pulls::PullFiles;

/// An event property holds at most this many endpoint files, so that one huge PR cannot push
/// an event past PostHog's 1 MB limit.
pub(crate) const MAX_ENDPOINT_FILES: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChangeFacts {
    /// The size bucket's name (`XS`..`XL`, or the buckets configured for size-labeler).
    pub size: Option<String>,
    pub contracts_touched: Option<bool>,
    /// Changed files matching contracts-diff's `endpoints` globs, sorted.
    pub endpoints_touched: Option<Vec<String>>,
    /// What could not be computed, and why.
    pub notes: Vec<String>,
}

/// `totals` are the PR's own counts when known (a `pull_request` payload); they are needed only
/// when GitHub cut the file list at 3,000 files.
pub(crate) fn from_files(
    files: &PullFiles,
    totals: Option<Totals>,
    config: &GuardiansConfig,
    gitattributes: Option<&str>,
) -> ChangeFacts {
    let mut facts = ChangeFacts::default();
    match size_of(files, totals, config, gitattributes) {
        Ok(size) => facts.size = Some(size),
        Err(note) => facts.notes.push(note),
    }
    match detector(config) {
        Ok(detector) => {
            let paths = || {
                files.files.iter().flat_map(|f| {
                    std::iter::once(f.filename.as_str()).chain(f.previous_filename.as_deref())
                })
            };
            facts.contracts_touched = Some(paths().any(|p| detector.is_contract(p)));
            let mut endpoints: Vec<String> = paths()
                .filter(|p| detector.is_endpoint(p))
                .map(str::to_owned)
                .collect();
            endpoints.sort();
            endpoints.dedup();
            if endpoints.len() > MAX_ENDPOINT_FILES {
                facts.notes.push(format!(
                    "{} endpoint files changed; endpoints_touched lists the first {MAX_ENDPOINT_FILES}",
                    endpoints.len()
                ));
                endpoints.truncate(MAX_ENDPOINT_FILES);
            }
            facts.endpoints_touched = Some(endpoints);
        }
        Err(note) => facts.notes.push(note),
    }
    if files.truncated {
        facts.notes.push(
            "GitHub lists only the first 3,000 files of this PR: contracts and endpoints are looked for among those"
                .to_owned(),
        );
    }
    facts
}

fn size_of(
    files: &PullFiles,
    totals: Option<Totals>,
    config: &GuardiansConfig,
    gitattributes: Option<&str>,
) -> Result<String, String> {
    let section: SizeLabelerConfig = config.section().map_err(|e| format!("size unknown: {e}"))?;
    let settings = SizeSettings::resolve(&section, &SizeOverrides::default())
        .map_err(|e| format!("size unknown: {e}"))?;
    let rules = settings
        .ignore_rules(gitattributes)
        .map_err(|e| format!("size unknown: size-labeler's ignore globs: {e}"))?;
    let listing = match (files.truncated, totals) {
        (true, Some(_)) => FileListing::Truncated(files.files.clone()),
        // Without the PR's totals a cut list is counted as it is: a lower bound, and a PR of
        // 3,000 files is XL whatever its last files hold.
        _ => FileListing::Complete(files.files.clone()),
    };
    let measurement = measure(&listing, totals.unwrap_or_default(), &rules);
    let bucket = &settings.buckets[settings.bucket_for(measurement.lines)];
    Ok(bucket.name.clone())
}

fn detector(config: &GuardiansConfig) -> Result<Detector, String> {
    let section: ContractsDiffConfig = config
        .section()
        .map_err(|e| format!("contracts unknown: {e}"))?;
    Detector::new(&section).map_err(|e| format!("contracts unknown: {e}"))
}

/// Whether `.gitattributes` at the base is worth reading: only when size-labeler ignores
/// generated files (a section that does not read leaves the size unknown anyway).
pub(crate) fn wants_gitattributes(config: &GuardiansConfig) -> bool {
    config
        .section::<SizeLabelerConfig>()
        .is_ok_and(|section| section.ignore_generated)
}
