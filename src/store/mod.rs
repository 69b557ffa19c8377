//! The on-disk content-addressed store.
