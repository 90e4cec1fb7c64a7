//! What integration-queue and telemetry-emitter must agree on without configuration: the label
//! that queues a PR and the prefix of the queue's integration branches. Each guardian's section
//! defaults to these, so that telemetry counts the queue's runs as integration runs out of the box.

/// The label a maintainer adds to queue a PR (`integration-queue.label`,
/// `telemetry-emitter.queue-label`).
pub const QUEUE_LABEL: &str = "ready-to-queue";

/// Prefix of the queue's integration branches (`integration-queue.branch-prefix`); telemetry's
/// default `integration-branches` covers every branch under it.
pub const INTEGRATION_BRANCH_PREFIX: &str = "integration/";
