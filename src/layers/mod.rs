//! Seeing the layers: a picture of the store (images as stacks of shared, read-only layers, tags
//! as labels pointing at image IDs) and an account of what a command changed. Both are computed
//! from [`EngineState`](crate::engine::EngineState) alone, so they work on either engine.

pub mod explain;
pub mod mistakes;
pub mod picture;
