//! The parts of the GitHub Action run that read and write GitHub: the reads `gather` makes,
//! where the template is found, and the sticky comment `apply` keeps. The run itself is
//! [`crate::guardian::PrCritic`] on core's runner.

pub(crate) mod apply;
mod directory;
pub(crate) mod gather;
pub(crate) mod inputs;
pub(crate) mod template_lookup;
