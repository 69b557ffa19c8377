//! docklab's integration tests: one test binary that drives the real `docklab` executable, one
//! module per area.

mod archive;
mod attempts;
mod build;
mod concurrency;
mod crash;
mod explain;
mod grading_data;
mod hostile;
mod labtools;
mod layers;
mod listing;
mod practice;
mod pty;
mod readme;
mod real_engine;
mod scenarios;
mod search;
mod shell;
mod startup;
mod support;
mod tutor;
mod verify;
