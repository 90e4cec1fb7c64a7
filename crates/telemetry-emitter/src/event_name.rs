//! The delivery events this guardian sends.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::EmitError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventName {
    DevPrOpened,
    DevCiStarted,
    DevCiPassed,
    DevCiFailed,
    DevIntegrationQueueEntered,
    DevIntegrationCiPassed,
    DevIntegrationCiFailed,
    DevDeploySucceeded,
    DevDeployFailed,
}

impl EventName {
    pub const ALL: [EventName; 9] = [
        EventName::DevPrOpened,
        EventName::DevCiStarted,
        EventName::DevCiPassed,
        EventName::DevCiFailed,
        EventName::DevIntegrationQueueEntered,
        EventName::DevIntegrationCiPassed,
        EventName::DevIntegrationCiFailed,
        EventName::DevDeploySucceeded,
        EventName::DevDeployFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventName::DevPrOpened => "dev_pr_opened",
            EventName::DevCiStarted => "dev_ci_started",
            EventName::DevCiPassed => "dev_ci_passed",
            EventName::DevCiFailed => "dev_ci_failed",
            EventName::DevIntegrationQueueEntered => "dev_integration_queue_entered",
            EventName::DevIntegrationCiPassed => "dev_integration_ci_passed",
            EventName::DevIntegrationCiFailed => "dev_integration_ci_failed",
            EventName::DevDeploySucceeded => "dev_deploy_succeeded",
            EventName::DevDeployFailed => "dev_deploy_failed",
        }
    }

    /// Events that describe one CI run, and so carry its duration, queue time and cost.
    pub fn is_ci_outcome(self) -> bool {
        matches!(
            self,
            EventName::DevCiPassed
                | EventName::DevCiFailed
                | EventName::DevIntegrationCiPassed
                | EventName::DevIntegrationCiFailed
        )
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventName {
    type Err = EmitError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        EventName::ALL
            .into_iter()
            .find(|e| e.as_str() == wanted)
            .ok_or_else(|| EmitError::UnknownEventName(wanted.to_owned()))
    }
}
