//! Any text as `.github/guardians.yml`: settings or an error naming the problem, in bounded time,
//! for the file's outline and for every section a guardian reads from it.
#![no_main]

use guardians_core::config::{ConfigError, ConfigSection, GuardiansConfig};
use libfuzzer_sys::fuzz_target;

fn read<S: ConfigSection>(config: &GuardiansConfig) {
    if let Err(err) = config.section::<S>() {
        named(&err);
    }
}

fn named(err: &ConfigError) {
    assert!(!err.to_string().is_empty());
}

fuzz_target!(|text: &str| {
    match guardians_core::config::parse(text, "guardians.yml") {
        Ok(config) => {
            read::<guardians_core::config::size_labeler::SizeLabelerConfig>(&config);
            read::<guardians_core::config::contracts_diff::ContractsDiffConfig>(&config);
            read::<pr_critic::config::PrCriticConfig>(&config);
            read::<preview_commenter::config::PreviewCommenterConfig>(&config);
        }
        Err(err) => named(&err),
    }
});
