//! docklab's integration tests: one test binary that drives the real `docklab` executable.

mod archive;
mod build;
mod crash;
mod readme;
mod scenarios;
