//! docklab's integration tests: one test binary that drives the real `docklab` executable.

mod real_engine;
mod scenarios;
mod support;
