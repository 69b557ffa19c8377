//! Seeing the layers: a picture of the store (images as stacks of shared, read-only layers, tags
//! as labels pointing at image IDs), an account of what a command changed, worded for the tutor,
//! and the goal a lab step's checks describe, to draw beside the store. All are computed from
//! [`EngineState`](crate::engine::EngineState) (and the step's checks) alone, so they work on
//! either engine.

pub mod explain;
pub mod goal;
pub mod mistakes;
pub mod picture;
