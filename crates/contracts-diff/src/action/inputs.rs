//! Action inputs that override the `contracts-diff:` section of the config file.

use guardians_core::toolkit::Toolkit;

use crate::config::{ContractsDiffConfig, FailOn, RequireApprovalOn};

/// The inputs as given; empty inputs leave the config's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Inputs {
    pub fail_on: Option<FailOn>,
    pub approval_label: Option<String>,
    pub require_approval_on: Option<RequireApprovalOn>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

pub(crate) fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    match text {
        "breaking" => Ok(FailOn::Breaking),
        "potentially-breaking" => Ok(FailOn::PotentiallyBreaking),
        "any" => Ok(FailOn::Any),
        "none" => Ok(FailOn::None),
        other => Err(format!(
            "the input `fail-on` must be `breaking`, `potentially-breaking`, `any` or `none`, not `{}`",
            other.chars().take(40).collect::<String>()
        )),
    }
}

fn parse_require_approval_on(text: &str) -> Result<RequireApprovalOn, String> {
    match text {
        "breaking" => Ok(RequireApprovalOn::Breaking),
        "any" => Ok(RequireApprovalOn::Any),
        other => Err(format!(
            "the input `require-approval-on` must be `breaking` or `any`, not `{}`",
            other.chars().take(40).collect::<String>()
        )),
    }
}

impl Inputs {
    pub(crate) fn read(toolkit: &Toolkit) -> Result<Inputs, String> {
        Ok(Inputs {
            fail_on: non_empty(toolkit.input("fail-on"))
                .map(|t| parse_fail_on(&t))
                .transpose()?,
            approval_label: non_empty(toolkit.input("approval-label")),
            require_approval_on: non_empty(toolkit.input("require-approval-on"))
                .map(|t| parse_require_approval_on(&t))
                .transpose()?,
        })
    }

    /// The config with the inputs applied.
    pub(crate) fn apply(&self, mut config: ContractsDiffConfig) -> ContractsDiffConfig {
        if let Some(fail_on) = self.fail_on {
            config.fail_on = fail_on;
        }
        if let Some(label) = &self.approval_label {
            config.approval_label = label.clone();
        }
        if let Some(on) = self.require_approval_on {
            config.require_approval_on = on;
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_override_the_config() {
        let inputs = Inputs {
            fail_on: Some(FailOn::None),
            approval_label: Some("api-ok".into()),
            require_approval_on: Some(RequireApprovalOn::Any),
        };
        let config = inputs.apply(ContractsDiffConfig::default());
        assert_eq!(config.fail_on, FailOn::None);
        assert_eq!(config.approval_label, "api-ok");
        assert_eq!(config.require_approval_on, RequireApprovalOn::Any);
        assert_eq!(
            Inputs::default().apply(ContractsDiffConfig::default()),
            ContractsDiffConfig::default()
        );
        assert!(parse_fail_on("sometimes").is_err());
    }
}
