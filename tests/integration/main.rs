//! docklab's integration tests: one binary, one module per area.

mod pty;
mod tutor;
