//! The engine trait and the simulated engine.
