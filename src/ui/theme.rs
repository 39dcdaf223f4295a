//! Every colour of the designer, named once. Each literal is written here a single time (the base
//! colours); drawing code names a role (`ERROR`, `SELECTED`, an [`OverlayPalette`] field), never
//! a literal, so that a new look changes this file only. Colours that depend on the theme are
//! chosen by `dark` ([`OverlayPalette::new`]); per-kind colours, when the designer gets them,
//! belong here too.
//!
//! This module imports nothing else from `ui`.

use egui::Color32;

// The base colours: each literal once.
const RED: Color32 = Color32::from_rgb(0xef, 0x44, 0x44);
const RED_DEEP: Color32 = Color32::from_rgb(0xdc, 0x26, 0x26);
const AMBER: Color32 = Color32::from_rgb(0xf5, 0x9e, 0x0b);
const AMBER_DEEP: Color32 = Color32::from_rgb(0xd9, 0x77, 0x06);
const GREEN: Color32 = Color32::from_rgb(0x22, 0xc5, 0x5e);
const GREEN_DEEP: Color32 = Color32::from_rgb(0x16, 0xa3, 0x4a);
const BLUE: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);
const SKY: Color32 = Color32::from_rgb(0x60, 0xa5, 0xfa);
const EMERALD: Color32 = Color32::from_rgb(0x34, 0xd3, 0x99);
const VIOLET: Color32 = Color32::from_rgb(0xa7, 0x8b, 0xfa);
const VIOLET_DEEP: Color32 = Color32::from_rgb(0x7c, 0x3a, 0xed);
const WIRE_GREEN: Color32 = Color32::from_rgb(0x00, 0xff, 0x6e);
const WIRE_GREEN_DEEP: Color32 = Color32::from_rgb(0x00, 0xaa, 0x3c);

/// Errors, failures and rejections.
pub const ERROR: Color32 = RED;
/// Warnings, pending and converted things, notes of the banner.
pub const WARNING: Color32 = AMBER;
/// Passes, accepted triggers, finished runs.
pub const OK: Color32 = GREEN;
/// The outline of the selected node.
pub const SELECTED: Color32 = BLUE;
/// The fill of input pins.
pub const IN_PIN: Color32 = SKY;
/// The fill of output pins.
pub const OUT_PIN: Color32 = EMERALD;
/// The fill of a badge on a node (an End's trigger target).
pub const BADGE: Color32 = AMBER;
/// The text on a [`BADGE`].
pub const ON_BADGE: Color32 = Color32::BLACK;
/// Accepted payloads of a batch (their count and bar).
pub const BATCH_ACCEPTED: Color32 = GREEN;
/// Rejected payloads of a batch.
pub const BATCH_REJECTED: Color32 = RED;
/// Failed runs of a batch.
pub const BATCH_FAILED: Color32 = AMBER;
/// Ends reached by a batch.
pub const BATCH_END: Color32 = BLUE;

/// The simulator overlay's colours for one theme: each mark as a fill, and the text drawn on
/// that fill.
///
/// egui-snarl 0.12 gives no per-wire width and colours a wire with the midpoint of the colours
/// its two pins ask for. So while a path is shown every input pin asks for `wire_in` and each
/// output pin for `wire_taken` or `wire_untaken`: whichever node a wire leads into, a taken
/// wire comes out in one colour (green) and any other in another (faint grey).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverlayPalette {
    /// Visited activities and taken transitions.
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
    /// What every input pin asks its wires for while a path is shown.
    pub wire_in: Color32,
    /// What an output pin with a taken transition asks for.
    pub wire_taken: Color32,
    /// What any other output pin asks for.
    pub wire_untaken: Color32,
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
                next: VIOLET,
                on_next: Color32::BLACK,
                failed: RED,
                on_failed: Color32::BLACK,
                wire_in: Color32::from_gray(100),
                wire_taken: WIRE_GREEN,
                wire_untaken: Color32::from_rgba_premultiplied(100, 100, 100, 140),
            }
        } else {
            OverlayPalette {
                path: GREEN_DEEP,
                on_path: Color32::WHITE,
                current: AMBER_DEEP,
                on_current: Color32::WHITE,
                next: VIOLET_DEEP,
                on_next: Color32::WHITE,
                failed: RED_DEEP,
                on_failed: Color32::WHITE,
                wire_in: Color32::from_gray(110),
                wire_taken: WIRE_GREEN_DEEP,
                wire_untaken: Color32::from_rgba_premultiplied(20, 20, 20, 40),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour of a wire egui-snarl 0.12 mixes from pins asking for `a` and `b`: the
    /// midpoint of the premultiplied channels.
    fn mixed(a: Color32, b: Color32) -> [u8; 4] {
        let (a, b) = (a.to_array(), b.to_array());
        [0, 1, 2, 3].map(|i| a[i].midpoint(b[i]))
    }

    /// Every input pin asks for the same colour while a path is shown, so a wire's colour
    /// depends on its output pin alone: green when taken, faint grey otherwise, in both themes.
    #[test]
    fn taken_wires_are_green_and_the_others_faint_grey() {
        for dark in [true, false] {
            let p = OverlayPalette::new(dark);
            let taken = mixed(p.wire_taken, p.wire_in);
            let untaken = mixed(p.wire_untaken, p.wire_in);
            assert_eq!(taken[3], 255, "taken wires are opaque");
            assert!(untaken[3] < 255, "other wires are faint");
            // The taken wire is green: its green channel leads clearly.
            assert!(
                taken[1] > taken[0] + 60 && taken[1] > taken[2] + 40,
                "{taken:?}"
            );
            // The others are grey.
            assert!(
                untaken[0] == untaken[1] && untaken[1] == untaken[2],
                "{untaken:?}"
            );
        }
    }
}
