//! Colours: the Okabe–Ito palette for lines, viridis for colour scales.

use plotters::prelude::RGBColor;

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// Okabe & Ito's colour-blind-safe palette, ordered for lines on white (yellow last).
pub const PALETTE: [Rgb; 8] = [
    (0, 114, 178),   // blue
    (230, 159, 0),   // orange
    (0, 158, 115),   // bluish green
    (213, 94, 0),    // vermillion
    (204, 121, 167), // reddish purple
    (86, 180, 233),  // sky blue
    (0, 0, 0),       // black
    (240, 228, 66),  // yellow
];

/// The palette colour for series `i` (cycling).
pub fn colour(i: usize) -> Rgb {
    PALETTE[i % PALETTE.len()]
}

pub const GREY: Rgb = (110, 110, 110);

/// Viridis (perceptually uniform, colour-blind safe) at `t` in [0, 1].
pub fn viridis(t: f64) -> Rgb {
    const STOPS: [Rgb; 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether dark text reads better than white on `c`.
pub fn is_light(c: Rgb) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) > 140.0
}

pub(super) fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}
