//! What the canvas shows of one activity ([`NodeRef`]): a light copy made when the snarl is
//! rebuilt from the model.

use crate::model::{KindTag, Port};

/// What the canvas shows of one activity: a light copy made when the snarl is rebuilt.
#[derive(Debug, Clone)]
pub struct NodeRef {
    /// The activity id.
    pub id: String,
    /// The kind.
    pub tag: KindTag,
    /// The label (or id).
    pub title: String,
    /// Input pins: 0 on entries, 1 otherwise.
    pub inputs: usize,
    /// Output ports, in pin order.
    pub outputs: Vec<Port>,
    /// The End trigger target, like `WKF2/signal1`.
    pub badge: Option<String>,
    /// Compact lines of the body (an External signal's parameters).
    pub lines: Vec<String>,
}

/// The text next to an output pin (none for the plain output).
pub(super) fn port_label(port: &Port) -> String {
    match port {
        Port::Out => String::new(),
        Port::Condition(c) => c.clone(),
        Port::Default => "default".into(),
        Port::Branch(b) => b.clone(),
    }
}
