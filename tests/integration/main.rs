//! docklab's integration tests: one test binary that drives the real `docklab` executable.

mod build;
mod crash;
mod readme;
mod scenarios;
