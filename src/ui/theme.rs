//! Every colour of the designer, named once. Each literal is written here a single time (the base
//! colours); drawing code names a role (`ERROR`, `SELECTED`, a [`CanvasPalette`] or
//! [`OverlayPalette`] field), never a literal, so that a new look changes this file only.
//! Colours that depend on the theme are chosen by `dark` ([`CanvasPalette::new`],
//! [`OverlayPalette::new`]): the canvas (background, nodes, one colour per family of activities,
//! wires, pins, counts) and the simulator overlay. The tests check the contrast of every text
//! on its fill (at least 4.5:1) and of every line on the canvas (at least 3:1), in both themes.
//!
//! This module imports nothing else from `ui`.

use crate::model::Family;
use egui::Color32;

// The base colours: each literal once.
const RED: Color32 = Color32::from_rgb(0xef, 0x44, 0x44);
const RED_DEEP: Color32 = Color32::from_rgb(0xdc, 0x26, 0x26);
const RED_INK: Color32 = Color32::from_rgb(0xb9, 0x1c, 0x1c);
const AMBER: Color32 = Color32::from_rgb(0xf5, 0x9e, 0x0b);
const AMBER_DEEP: Color32 = Color32::from_rgb(0xb4, 0x53, 0x09);
const GREEN: Color32 = Color32::from_rgb(0x22, 0xc5, 0x5e);
const GREEN_DEEP: Color32 = Color32::from_rgb(0x15, 0x80, 0x3d);
const BLUE: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);
const BLUE_DEEP: Color32 = Color32::from_rgb(0x25, 0x63, 0xeb);
const BLUE_DARK: Color32 = Color32::from_rgb(0x1e, 0x40, 0xaf);
const BLUE_PALE: Color32 = Color32::from_rgb(0xdb, 0xea, 0xfe);
const BLUE_INK: Color32 = Color32::from_rgb(0x1e, 0x3a, 0x8a);
const ORANGE: Color32 = Color32::from_rgb(0xf9, 0x73, 0x16);
const ORANGE_DEEP: Color32 = Color32::from_rgb(0xc2, 0x41, 0x0c);
const ORANGE_DARK: Color32 = Color32::from_rgb(0x9a, 0x34, 0x12);
const ORANGE_PALE: Color32 = Color32::from_rgb(0xff, 0xed, 0xd5);
const ORANGE_INK: Color32 = Color32::from_rgb(0x7c, 0x2d, 0x12);
const PINK: Color32 = Color32::from_rgb(0xec, 0x48, 0x99);
const PINK_DEEP: Color32 = Color32::from_rgb(0xdb, 0x27, 0x77);
const PINK_DARK: Color32 = Color32::from_rgb(0x9d, 0x17, 0x4d);
const PINK_PALE: Color32 = Color32::from_rgb(0xfc, 0xe7, 0xf3);
const PINK_INK: Color32 = Color32::from_rgb(0x83, 0x18, 0x43);
const VIOLET: Color32 = Color32::from_rgb(0x8b, 0x5c, 0xf6);
const VIOLET_DEEP: Color32 = Color32::from_rgb(0x7c, 0x3a, 0xed);
const VIOLET_DARK: Color32 = Color32::from_rgb(0x5b, 0x21, 0xb6);
const VIOLET_PALE: Color32 = Color32::from_rgb(0xed, 0xe9, 0xfe);
const VIOLET_INK: Color32 = Color32::from_rgb(0x4c, 0x1d, 0x95);
const CYAN: Color32 = Color32::from_rgb(0x22, 0xd3, 0xee);
const CYAN_DEEP: Color32 = Color32::from_rgb(0x0e, 0x74, 0x90);
const SKY: Color32 = Color32::from_rgb(0x60, 0xa5, 0xfa);
const EMERALD: Color32 = Color32::from_rgb(0x34, 0xd3, 0x99);
const INK: Color32 = Color32::from_rgb(0x11, 0x18, 0x27);
const SLATE_50: Color32 = Color32::from_rgb(0xf3, 0xf4, 0xf6);
const SLATE_200: Color32 = Color32::from_rgb(0xe5, 0xe7, 0xeb);
const SLATE_400: Color32 = Color32::from_rgb(0x9c, 0xa3, 0xaf);
const SLATE_500: Color32 = Color32::from_rgb(0x6b, 0x72, 0x80);
const SLATE_600: Color32 = Color32::from_rgb(0x4b, 0x55, 0x63);
const SLATE_700: Color32 = Color32::from_rgb(0x37, 0x41, 0x51);
const NIGHT: Color32 = Color32::from_rgb(0x14, 0x16, 0x1b);
const NIGHT_NODE: Color32 = Color32::from_rgb(0x24, 0x28, 0x31);

/// Errors, failures and rejections, as text on the panels of the theme of `v`.
pub fn error(v: &egui::Visuals) -> Color32 {
    if v.dark_mode { RED } else { RED_INK }
}

/// Warnings, pending and converted things, notes of the banner, as text on the panels.
pub fn warning(v: &egui::Visuals) -> Color32 {
    if v.dark_mode { AMBER } else { AMBER_DEEP }
}

/// Passes, accepted triggers, finished runs, as text on the panels.
pub fn ok(v: &egui::Visuals) -> Color32 {
    if v.dark_mode { GREEN } else { GREEN_DEEP }
}
/// The outline of the selected node, the hovered wire, the box selection.
pub const SELECTED: Color32 = BLUE;
/// The fill of input pins.
pub const IN_PIN: Color32 = SKY;
/// The fill of output pins.
pub const OUT_PIN: Color32 = EMERALD;
/// Accepted payloads of a batch (their count and bar).
pub const BATCH_ACCEPTED: Color32 = GREEN;
/// Rejected payloads of a batch.
pub const BATCH_REJECTED: Color32 = RED;
/// Failed runs of a batch.
pub const BATCH_FAILED: Color32 = AMBER;
/// Ends reached by a batch.
pub const BATCH_END: Color32 = BLUE;

/// The colours of one family of activities in one theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyColors {
    /// The accent: the node's outline, the palette's swatch.
    pub accent: Color32,
    /// The fill of the node's header.
    pub header: Color32,
    /// The title on `header`.
    pub on_header: Color32,
}

/// The canvas's colours for one theme: background, nodes (one colour per family), wires, pins,
/// the badge of an End's trigger and the count chips of transitions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CanvasPalette {
    /// Behind the graph.
    pub background: Color32,
    /// The faint grid on the background.
    pub grid: Color32,
    /// The body of a node.
    pub node: Color32,
    /// Text on a node's body.
    pub text: Color32,
    /// Secondary text on a node's body (port labels, parameters).
    pub weak_text: Color32,
    /// Wires and arrowheads.
    pub wire: Color32,
    /// The fill of an End's trigger badge.
    pub badge: Color32,
    /// Text on `badge`.
    pub on_badge: Color32,
    /// The text on the empty canvas.
    pub hint: Color32,
    /// Per family: Targeting, Flow control, Actions, Data management.
    families: [FamilyColors; 4],
}

impl CanvasPalette {
    /// The palette of the dark (`true`) or the light theme.
    pub fn new(dark: bool) -> CanvasPalette {
        let f = |accent, header, on_header| FamilyColors {
            accent,
            header,
            on_header,
        };
        if dark {
            CanvasPalette {
                background: NIGHT,
                grid: Color32::from_gray(0x22),
                node: NIGHT_NODE,
                text: SLATE_200,
                weak_text: SLATE_400,
                wire: SLATE_400,
                badge: AMBER,
                on_badge: Color32::BLACK,
                hint: SLATE_400,
                families: [
                    f(BLUE, BLUE_DARK, Color32::WHITE),
                    f(ORANGE, ORANGE_DARK, Color32::WHITE),
                    f(PINK, PINK_DARK, Color32::WHITE),
                    f(VIOLET, VIOLET_DARK, Color32::WHITE),
                ],
            }
        } else {
            CanvasPalette {
                background: SLATE_50,
                grid: SLATE_200,
                node: Color32::WHITE,
                text: INK,
                weak_text: SLATE_600,
                wire: SLATE_500,
                badge: AMBER_DEEP,
                on_badge: Color32::WHITE,
                hint: SLATE_700,
                families: [
                    f(BLUE_DEEP, BLUE_PALE, BLUE_INK),
                    f(ORANGE_DEEP, ORANGE_PALE, ORANGE_INK),
                    f(PINK_DEEP, PINK_PALE, PINK_INK),
                    f(VIOLET_DEEP, VIOLET_PALE, VIOLET_INK),
                ],
            }
        }
    }

    /// The colours of a family.
    pub fn family(&self, family: Family) -> FamilyColors {
        let i = match family {
            Family::Targeting => 0,
            Family::FlowControl => 1,
            Family::Actions => 2,
            Family::DataManagement => 3,
        };
        self.families[i]
    }
}

/// The simulator overlay's colours for one theme: each mark as a fill, and the text drawn on
/// that fill; and the wires while a run's path is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverlayPalette {
    /// Visited activities, taken transitions and their counts.
    pub path: Color32,
    /// Text on `path`.
    pub on_path: Color32,
    /// The activity a stepping run visited last.
    pub current: Color32,
    /// Text on `current`.
    pub on_current: Color32,
    /// The activity a stepping run visits next.
    pub next: Color32,
    /// Text on `next`.
    pub on_next: Color32,
    /// Failed activities and breakpoints.
    pub failed: Color32,
    /// Text on `failed`.
    pub on_failed: Color32,
    /// Transitions the shown run did not take.
    pub untaken: Color32,
}

impl OverlayPalette {
    /// The palette of the dark (`true`) or the light theme.
    pub fn new(dark: bool) -> OverlayPalette {
        if dark {
            OverlayPalette {
                path: GREEN,
                on_path: Color32::BLACK,
                current: AMBER,
                on_current: Color32::BLACK,
                next: CYAN,
                on_next: Color32::BLACK,
                failed: RED,
                on_failed: Color32::BLACK,
                untaken: Color32::from_rgba_unmultiplied(0x9c, 0xa3, 0xaf, 90),
            }
        } else {
            OverlayPalette {
                path: GREEN_DEEP,
                on_path: Color32::WHITE,
                current: AMBER_DEEP,
                on_current: Color32::WHITE,
                next: CYAN_DEEP,
                on_next: Color32::WHITE,
                failed: RED_DEEP,
                on_failed: Color32::WHITE,
                untaken: Color32::from_rgba_unmultiplied(0x4b, 0x55, 0x63, 80),
            }
        }
    }
}

/// The fonts the designer draws with: egui's bundled fonts, with Hack (bundled for monospace
/// text) as the last fallback of proportional text too, for the arrows and symbols (`→`) that
/// the proportional fonts lack. Bundled, so every machine draws the same glyphs.
pub fn fonts() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        family.push("Hack".to_owned());
    }
    fonts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relative luminance of an opaque colour (WCAG 2).
    fn luminance(c: Color32) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }

    /// The WCAG contrast ratio of two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_text_on_the_canvas_reads_at_4_5_to_1_in_both_themes() {
        for dark in [true, false] {
            let c = CanvasPalette::new(dark);
            let o = OverlayPalette::new(dark);
            let mut pairs = vec![
                ("node text", c.text, c.node),
                ("port labels", c.weak_text, c.node),
                ("badge", c.on_badge, c.badge),
                ("empty canvas hint", c.hint, c.background),
                ("path chips", o.on_path, o.path),
                ("current chip", o.on_current, o.current),
                ("next chip", o.on_next, o.next),
                ("failed chip", o.on_failed, o.failed),
            ];
            for f in Family::ALL {
                let fc = c.family(f);
                pairs.push((f.name(), fc.on_header, fc.header));
            }
            for (what, fg, bg) in pairs {
                let r = contrast(fg, bg);
                assert!(r >= 4.5, "{what} (dark {dark}): {r:.2}:1");
            }
        }
    }

    #[test]
    fn status_texts_read_at_4_5_to_1_on_the_panels_of_both_themes() {
        for v in [egui::Visuals::dark(), egui::Visuals::light()] {
            for (what, c) in [
                ("ok", ok(&v)),
                ("warning", warning(&v)),
                ("error", error(&v)),
            ] {
                let r = contrast(c, v.panel_fill);
                assert!(r >= 4.5, "{what} (dark {}): {r:.2}:1", v.dark_mode);
            }
        }
    }

    #[test]
    fn wires_outlines_and_families_stand_out_at_3_to_1_in_both_themes() {
        for dark in [true, false] {
            let c = CanvasPalette::new(dark);
            let o = OverlayPalette::new(dark);
            let mut pairs = vec![
                ("wires", c.wire, c.background),
                ("taken wires", o.path, c.background),
                ("selection", SELECTED, c.background),
            ];
            for f in Family::ALL {
                pairs.push((f.name(), c.family(f).accent, c.background));
            }
            for (what, fg, bg) in pairs {
                let r = contrast(fg, bg);
                assert!(r >= 3.0, "{what} (dark {dark}): {r:.2}:1");
            }
            // The families are told apart by their headers too: no two alike.
            for (i, a) in Family::ALL.iter().enumerate() {
                for b in &Family::ALL[i + 1..] {
                    assert_ne!(c.family(*a).header, c.family(*b).header);
                }
            }
        }
    }

    /// Every character the designer's own texts use (outside comments), read from its sources.
    #[allow(clippy::unwrap_used)]
    fn characters_written_in_ui() -> std::collections::BTreeMap<char, String> {
        let mut found = std::collections::BTreeMap::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    for c in code.chars().filter(|c| !c.is_ascii()) {
                        found
                            .entry(c)
                            .or_insert_with(|| format!("{}:{}", path.display(), n + 1));
                    }
                }
            }
        }
        found
    }

    /// Regression: `✘ not reached` and the `→` of a wire's hover text were drawn as boxes, no
    /// bundled proportional font having U+2718 or U+2192.
    #[test]
    fn every_character_the_designer_writes_is_in_the_bundled_fonts() {
        let ctx = egui::Context::default();
        ctx.set_fonts(fonts());
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        let chars = characters_written_in_ui();
        assert!(chars.contains_key(&'…'), "the scan reads the sources");
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            let font = egui::FontId::new(14.0, family);
            for (c, at) in &chars {
                let has = ctx.fonts_mut(|f| f.has_glyph(&font, *c));
                assert!(
                    has,
                    "{c:?} (U+{:04X}, {at}) has no glyph in {font:?}",
                    *c as u32
                );
            }
        }
    }
}
