//! Reading and writing designs.
