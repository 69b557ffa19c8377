//! The offline registry catalog.
