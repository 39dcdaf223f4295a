//! The design: workflows, activities, transitions, parameter contracts, sample data, scenarios
//! and typed values. Pure data with queries over it; no egui, no I/O.

mod contract;
mod design;
mod generate;
mod sample;
mod scenario;
mod validate;
mod value;

pub use contract::*;
pub use design::*;
pub use generate::generated_design;
pub use sample::*;
pub use scenario::*;
pub use validate::*;
pub use value::*;
