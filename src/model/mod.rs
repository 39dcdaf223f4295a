//! The design: workflows, activities, transitions, parameter contracts (and their canonical
//! form and digest), sample data, scenarios and typed values. Pure data with queries over it;
//! no egui, no I/O.

mod canonical;
mod contract;
mod design;
mod generate;
mod lifecycle;
mod options;
mod sample;
mod scenario;
mod text;
pub mod time;
mod unique;
mod validate;
mod value;

pub use canonical::*;
pub use contract::*;
pub use design::*;
pub use generate::generated_design;
pub use lifecycle::*;
pub use options::*;
pub use sample::*;
pub use scenario::*;
pub use text::*;
pub use validate::*;
pub use value::*;
