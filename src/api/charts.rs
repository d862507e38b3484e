//! Bar charts as inline SVG for the printable report: no script, no asset from
//! another host.

/// One series of a chart: its label, colour and a value per month.
pub struct Series<'a> {
    pub label: &'a str,
    pub colour: &'a str,
    pub values: Vec<f64>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const WIDTH: f64 = 680.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;
const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;

/// Bars per month; `stacked` piles the series, else they stand side by side.
pub fn bars(title: &str, months: &[String], series: &[Series<'_>], stacked: bool) -> String {
    let max = highest(months.len(), series, stacked);
    let mut svg = frame(title, max);
    let slot = (WIDTH - LEFT - 10.0) / months.len().max(1) as f64;
    for (i, month) in months.iter().enumerate() {
        month_bars(&mut svg, i, month, slot, series, stacked, max);
    }
    legend(&mut svg, series);
    svg.push_str("</svg>");
    svg
}

/// The top of the scale: the highest month (its pile when stacked, else its highest
/// bar), at least 1.
fn highest(months: usize, series: &[Series<'_>], stacked: bool) -> f64 {
    (0..months)
        .map(|i| {
            let at = series.iter().map(|s| s.values.get(i).copied().unwrap_or(0.0));
            if stacked { at.sum() } else { at.fold(0.0, f64::max) }
        })
        .fold(0.0, f64::max)
        .max(1.0)
}

/// The height of `v` on a scale up to `max`, as a y coordinate.
fn y(v: f64, max: f64) -> f64 {
    TOP + PLOT_HEIGHT - v / max * PLOT_HEIGHT
}

/// The opening of the picture: its title (also for screen readers) and the axis with
/// 0 and the top of the scale.
fn frame(title: &str, max: f64) -> String {
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    svg.push_str(&format!(
        r#"<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        escape(title)
    ));
    svg.push_str(&format!(
        r##"<line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#333"/><text x="{lx}" y="{ty}" font-size="10" text-anchor="end">{max}</text><text x="{lx}" y="{b}" font-size="10" text-anchor="end">0</text>"##,
        b = TOP + PLOT_HEIGHT,
        r = WIDTH - 10.0,
        lx = LEFT - 4.0,
        ty = TOP + 8.0,
        max = max.round()
    ));
    svg
}

/// The bars of month `i` (each with its value as a tooltip) and the month below them.
fn month_bars(svg: &mut String, i: usize, month: &str, slot: f64, series: &[Series<'_>], stacked: bool, max: f64) {
    let x0 = LEFT + slot * i as f64 + slot * 0.1;
    let bar_width = slot * 0.8;
    let mut base = 0.0;
    for (k, s) in series.iter().enumerate() {
        let value = s.values.get(i).copied().unwrap_or(0.0);
        let (x, w, from) = if stacked {
            (x0, bar_width, base)
        } else {
            let w = bar_width / series.len() as f64;
            (x0 + w * k as f64, w, 0.0)
        };
        if value > 0.0 {
            svg.push_str(&format!(
                r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{}"><title>{} {}: {}</title></rect>"#,
                y(from + value, max),
                y(from, max) - y(from + value, max),
                s.colour,
                escape(s.label),
                escape(month),
                value
            ));
        }
        if stacked {
            base += value;
        }
    }
    svg.push_str(&format!(
        r#"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle">{}</text>"#,
        x0 + bar_width / 2.0,
        TOP + PLOT_HEIGHT + 12.0,
        escape(&month[2..])
    ));
}

/// A coloured square and the label of each series, in a row under the chart.
fn legend(svg: &mut String, series: &[Series<'_>]) {
    let mut lx = LEFT;
    for s in series {
        svg.push_str(&format!(
            r#"<rect x="{lx}" y="{ly}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="10">{}</text>"#,
            s.colour,
            lx + 13.0,
            HEIGHT - 9.0,
            escape(s.label),
            ly = HEIGHT - 18.0
        ));
        lx += 14.0 + 6.5 * s.label.chars().count() as f64 + 14.0;
    }
}
