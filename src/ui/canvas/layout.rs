//! What the canvas draws of each activity, laid out once per design revision ([`Layout`]): the
//! node's size, its title and texts measured (each [`Text`] is laid out again when drawn: a
//! galley is only good for the font atlas of its frame, and egui's cache makes it cheap), where
//! its pins are, and the wires resolved to node and pin indices. Positions are not part of it:
//! they are read from the model each frame, so that a move needs no new layout.
//!
//! Sizes are in canvas units; at zoom 1 a unit is a point on screen. Every text is at least
//! [`TEXT_SIZE`] points, so that at [`READABLE_SCALE`] it is 12 px on screen.

use crate::model::{ActivityKind, EndSettings, KindTag, Port, Workflow};
use crate::ui::widgets::kind_icon;
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Color32, FontFamily, FontId, Galley, Painter, Pos2, Rect, Vec2};
use std::collections::HashMap;
use std::sync::Arc;

/// The size of node titles, in canvas units.
pub const TITLE_SIZE: f32 = 15.0;
/// The size of every other text on the canvas (port labels, parameters, badges, counts).
pub const TEXT_SIZE: f32 = 13.0;
/// The smallest zoom at which every text of the canvas is 12 px on screen (12 / [`TEXT_SIZE`],
/// rounded up): the default view and zoom to fit never go below it.
pub const READABLE_SCALE: f32 = 0.925;
/// The height of a node's header.
pub const HEADER_H: f32 = 32.0;
/// The height of an output port's row, and of a body line.
pub const ROW_H: f32 = 22.0;
/// The inner margin of a node.
pub const PAD: f32 = 10.0;
/// The narrowest and widest a node is.
pub const MIN_W: f32 = 180.0;
/// See [`MIN_W`].
pub const MAX_W: f32 = 340.0;
/// The radius of a pin.
pub const PIN_R: f32 = 6.0;
/// The side of the breakpoint toggle, at the left of the header.
pub const BREAKPOINT: f32 = 14.0;

/// A text of a node on one line (elided with "…" past its width), measured when laid out.
#[derive(Debug, Clone)]
pub struct Text {
    /// What it says.
    pub text: String,
    font: FontId,
    max_width: f32,
    /// Its size when laid out.
    pub size: Vec2,
}

impl Text {
    /// Measures `text` in `font`, elided past `max_width`.
    fn new(painter: &Painter, text: String, font: FontId, max_width: f32) -> Text {
        let size = one_line(painter, text.clone(), font.clone(), max_width).size();
        Text {
            text,
            font,
            max_width,
            size,
        }
    }

    /// The text laid out for this frame, in a placeholder colour (the painter's given colour).
    pub fn galley(&self, painter: &Painter) -> Arc<Galley> {
        one_line(
            painter,
            self.text.clone(),
            self.font.clone(),
            self.max_width,
        )
    }
}

/// What a body line of a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// An External signal's parameter, or the kind under a renamed node.
    Plain,
    /// An End's trigger target, drawn as a badge.
    Badge,
}

/// One body line of a node.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its text.
    pub text: Text,
    /// Its kind.
    pub kind: LineKind,
    /// Its top, from the node's top.
    pub y: f32,
}

/// One output pin of a node.
#[derive(Debug, Clone)]
pub struct OutPin {
    /// The port.
    pub port: Port,
    /// Its label (none for the plain output).
    pub label: Option<Text>,
    /// The pin's centre, from the node's top.
    pub y: f32,
}

/// One node, laid out.
#[derive(Debug, Clone)]
pub struct NodeShape {
    /// The activity id.
    pub id: String,
    /// Its kind.
    pub tag: KindTag,
    /// Its label (or id), whole.
    pub title: String,
    /// The icon and title, on one line (elided when too long).
    pub title_text: Text,
    /// Its size.
    pub size: Vec2,
    /// Whether it has an input pin (entries have none).
    pub input: bool,
    /// Its output pins, in port order.
    pub outputs: Vec<OutPin>,
    /// Its body lines.
    pub lines: Vec<Line>,
}

impl NodeShape {
    /// Its rectangle at `pos` (its top left).
    pub fn rect(&self, pos: Pos2) -> Rect {
        Rect::from_min_size(pos, self.size)
    }

    /// The centre of its input pin, for a node at `pos`.
    pub fn input_pos(&self, pos: Pos2) -> Pos2 {
        pos + Vec2::new(0.0, HEADER_H * 0.5)
    }

    /// The centre of its `i`-th output pin, for a node at `pos`.
    pub fn output_pos(&self, pos: Pos2, i: usize) -> Pos2 {
        let y = self.outputs.get(i).map_or(HEADER_H * 0.5, |o| o.y);
        pos + Vec2::new(self.size.x, y)
    }

    /// Whether it starts runs (Start, External signal).
    pub fn is_entry(&self) -> bool {
        matches!(self.tag, KindTag::Start | KindTag::ExternalSignal)
    }

    /// Whether it ends a branch.
    pub fn is_end(&self) -> bool {
        self.tag == KindTag::End
    }
}

/// A transition, resolved to node and pin indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    /// The source node.
    pub from: usize,
    /// Its output pin.
    pub output: usize,
    /// The target node.
    pub to: usize,
}

/// The nodes and wires of one workflow at one design revision.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The workflow and revision it was laid out from.
    pub built: Option<(String, u64)>,
    /// One per activity, in the workflow's order.
    pub nodes: Vec<NodeShape>,
    /// Activity id to node index.
    pub by_id: HashMap<String, usize>,
    /// One per transition whose ends and port exist.
    pub wires: Vec<Wire>,
}

/// The text of an output pin (none for the plain output): a Test condition's label.
fn port_text(kind: &ActivityKind, port: &Port) -> Option<String> {
    match port {
        Port::Out => None,
        Port::Condition(id) => Some(match kind {
            ActivityKind::Test(t) => t
                .conditions
                .iter()
                .find(|c| c.id == *id)
                .map(|c| if c.label.is_empty() { id } else { &c.label })
                .cloned()
                .unwrap_or_else(|| id.clone()),
            _ => id.clone(),
        }),
        Port::Default => Some("default".into()),
        Port::Branch(b) => Some(b.clone()),
    }
}

/// The body lines of an activity: a signal's parameters, an End's trigger target, or the kind
/// when the label hides it.
fn line_texts(kind: &ActivityKind, title: &str) -> Vec<(String, LineKind)> {
    match kind {
        ActivityKind::ExternalSignal(c) => c
            .parameters
            .iter()
            .map(|p| {
                let star = if p.required { "*" } else { "" };
                (
                    format!("{}{star}: {}", p.name, p.ty.name()),
                    LineKind::Plain,
                )
            })
            .collect(),
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            vec![(format!("⚡ {}/{}", t.workflow, t.signal), LineKind::Badge)]
        }
        _ if title != kind.tag().name() => vec![(kind.tag().name().to_owned(), LineKind::Plain)],
        _ => Vec::new(),
    }
}

/// One line of text, elided with "…" past `max_width`.
pub fn one_line(painter: &Painter, text: String, font: FontId, max_width: f32) -> Arc<Galley> {
    let mut job = LayoutJob::single_section(text, TextFormat::simple(font, Color32::PLACEHOLDER));
    job.wrap = TextWrapping {
        max_width,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    painter.layout_job(job)
}

/// Lays out one activity.
fn node_shape(painter: &Painter, a: &crate::model::Activity) -> NodeShape {
    let title = a.display_name().to_owned();
    let tag = a.kind.tag();
    let inner = MAX_W - 2.0 * PAD;
    let title_text = Text::new(
        painter,
        format!("{} {title}", kind_icon(tag)),
        FontId::new(TITLE_SIZE, FontFamily::Proportional),
        inner - BREAKPOINT - 6.0,
    );
    let small = FontId::new(TEXT_SIZE, FontFamily::Proportional);
    let mono = FontId::new(TEXT_SIZE, FontFamily::Monospace);
    let ports = a.kind.output_ports();
    let labelled = !(ports.is_empty() || ports == [Port::Out]);
    let mut y = HEADER_H;
    let mut width = title_text.size.x + BREAKPOINT + 6.0 + 2.0 * PAD;
    let mut outputs = Vec::with_capacity(ports.len());
    for port in ports {
        let label = port_text(&a.kind, &port).map(|t| Text::new(painter, t, small.clone(), inner));
        let pin_y = if labelled {
            y += ROW_H;
            y - ROW_H * 0.5
        } else {
            HEADER_H * 0.5
        };
        if let Some(l) = &label {
            width = width.max(l.size.x + 2.0 * PAD + PIN_R * 2.0);
        }
        outputs.push(OutPin {
            port,
            label,
            y: pin_y,
        });
    }
    let mut lines = Vec::new();
    for (text, kind) in line_texts(&a.kind, &title) {
        let font = if kind == LineKind::Plain && tag == KindTag::ExternalSignal {
            mono.clone()
        } else {
            small.clone()
        };
        let text = Text::new(painter, text, font, inner - 8.0);
        width = width.max(text.size.x + 2.0 * PAD + 8.0);
        lines.push(Line {
            text,
            kind,
            y: y + 2.0,
        });
        y += ROW_H + if kind == LineKind::Badge { 4.0 } else { 0.0 };
    }
    NodeShape {
        id: a.id.clone(),
        tag,
        title,
        title_text,
        size: Vec2::new(width.clamp(MIN_W, MAX_W), y + 10.0),
        input: !a.kind.is_entry(),
        outputs,
        lines,
    }
}

impl Layout {
    /// Whether it is the layout of `wf` at revision `rev`, with the activities in its order.
    pub fn is_of(&self, wf: &Workflow, rev: u64) -> bool {
        self.built
            .as_ref()
            .is_some_and(|(w, r)| *w == wf.id && *r == rev)
            && self.nodes.len() == wf.activities.len()
            && self
                .nodes
                .iter()
                .zip(&wf.activities)
                .all(|(n, a)| n.id == a.id)
    }

    /// Lays out `wf` at revision `rev` (texts measured with `painter`'s fonts).
    pub fn build(painter: &Painter, wf: &Workflow, rev: u64) -> Layout {
        let nodes: Vec<NodeShape> = wf
            .activities
            .iter()
            .map(|a| node_shape(painter, a))
            .collect();
        let by_id: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let wires = wf
            .transitions
            .iter()
            .filter_map(|t| {
                let (from, to) = (*by_id.get(&t.from)?, *by_id.get(&t.to)?);
                let output = nodes[from].outputs.iter().position(|p| p.port == t.port)?;
                nodes[to].input.then_some(Wire { from, output, to })
            })
            .collect();
        Layout {
            built: Some((wf.id.clone(), rev)),
            nodes,
            by_id,
            wires,
        }
    }

    /// The size of the node of activity `id`, if laid out.
    pub fn size_of(&self, id: &str) -> Option<Vec2> {
        self.by_id.get(id).map(|i| self.nodes[*i].size)
    }
}

/// The size a node of kind `tag` has before it is laid out (a new activity).
pub fn default_size(tag: KindTag) -> Vec2 {
    let rows = match tag {
        KindTag::Test => 1.0,
        KindTag::Fork => 2.0,
        _ => 0.0,
    };
    Vec2::new(MIN_W, HEADER_H + rows * ROW_H + 10.0)
}

// Every text is at least 12 px on screen at the readable zoom, titles no smaller than the rest,
// and the readable zoom lets a workflow zoom out below 1:1: checked when the crate compiles.
const _: () = {
    assert!(TEXT_SIZE * READABLE_SCALE >= 12.0);
    assert!(TITLE_SIZE >= TEXT_SIZE);
    assert!(READABLE_SCALE < 1.0);
};
