//! Charts drawn on the server as SVG, with no script: horizontal bars (a label above each
//! bar, its figure at the end, an optional mark for a standard or reference) and a line
//! over months. Drawn 400 units wide so that on a phone the text stays about its set size;
//! every text is escaped here, since labels are names people typed.

use std::fmt::Write;

/// A bar of a bar chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// What the bar is (a department, an item).
    pub label: String,
    /// Its length, in any unit shared by the chart's bars (never below zero on the chart).
    pub value: i64,
    /// The figure written at its end, as people read it.
    pub figure: String,
    /// A mark across the bar (a standard, a reference), in the bars' unit.
    pub mark: Option<i64>,
    /// Drawn in the warning colour (over its budget or standard).
    pub warn: bool,
}

const WIDTH: i64 = 400;
const ROW: i64 = 40;
/// Where the longest bar ends: the rest of the width is for its figure.
const BAR_END: i64 = 250;

/// Escapes text for SVG (XML) content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Horizontal bars, one a row, scaled to the largest value (or mark). `title` names the chart
/// for screen readers.
pub fn bars(title: &str, rows: &[Bar]) -> String {
    let max = rows.iter().flat_map(|r| [r.value, r.mark.unwrap_or(0)]).max().unwrap_or(0).max(1);
    let height = (rows.len() as i64 * ROW).max(ROW);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = i as i64 * ROW;
        let len = (r.value.max(0) * BAR_END / max).max(if r.value > 0 { 2 } else { 0 });
        let class = if r.warn { "bar warn" } else { "bar" };
        let _ = write!(
            s,
            r#"<text x="0" y="{ty}" class="label">{label}</text><rect x="0" y="{by}" width="{len}" height="14" rx="2" class="{class}"><title>{label}: {fig}</title></rect><text x="{fx}" y="{fy}" class="figure">{fig}</text>"#,
            ty = y + 13,
            by = y + 19,
            fx = len + 6,
            fy = y + 31,
            label = esc(&r.label),
            fig = esc(&r.figure),
        );
        if let Some(m) = r.mark {
            let x = m.max(0) * BAR_END / max;
            let _ = write!(s, r#"<line x1="{x}" x2="{x}" y1="{}" y2="{}" class="mark"/>"#, y + 16, y + 36);
        }
    }
    s.push_str("</svg>");
    s
}

/// A point of a line chart: the month and its value (none: nothing counted that month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// Written under the axis (`2026-03` is shortened to `26-03`).
    pub label: String,
    /// The value, in the chart's unit.
    pub value: Option<i64>,
    /// The figure as people read it.
    pub figure: String,
}

/// A line over months from zero to `top` (the survey's total, say), with three grid lines
/// labelled in the values divided by `unit` (hundredths shown as whole numbers: 100).
/// Months without a value break the line.
pub fn line(title: &str, points: &[Point], top: i64, unit: i64) -> String {
    let (left, right, plot_top, plot_bottom) = (34i64, WIDTH - 20, 10i64, 150i64);
    let top = points.iter().filter_map(|p| p.value).max().unwrap_or(0).max(top).max(1);
    let n = points.len().max(1) as i64;
    let step = if n > 1 { (right - left) / (n - 1) } else { 0 };
    let x_of = |i: usize| if n > 1 { left + i as i64 * step } else { (left + right) / 2 };
    let y_of = |v: i64| plot_bottom - v.max(0) * (plot_bottom - plot_top) / top;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} 180" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    for k in 0..=2 {
        let v = top * k / 2;
        let y = y_of(v);
        let _ = write!(
            s,
            r#"<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" class="grid"/><text x="{lx}" y="{ty}" class="axis" text-anchor="end">{label}</text>"#,
            lx = left - 4,
            ty = y + 4,
            label = v / unit.max(1)
        );
    }
    let every = (points.len() / 6).max(1);
    let mut path = String::new();
    let mut pen_down = false;
    for (i, p) in points.iter().enumerate() {
        let x = x_of(i);
        if i % every == 0 || i + 1 == points.len() {
            let short = p.label.get(2..).unwrap_or(&p.label);
            let _ = write!(s, r#"<text x="{x}" y="170" class="axis" text-anchor="middle">{}</text>"#, esc(short));
        }
        match p.value {
            Some(v) => {
                let _ = write!(path, "{}{x},{} ", if pen_down { "L" } else { "M" }, y_of(v));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(s, r#"<path d="{}" class="line"/>"#, path.trim_end());
    }
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let _ = write!(
                s,
                r#"<circle cx="{}" cy="{}" r="3" class="dot"><title>{}: {}</title></circle>"#,
                x_of(i),
                y_of(v),
                esc(&p.label),
                esc(&p.figure)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: i64) -> Bar {
        Bar { label: label.into(), value, figure: value.to_string(), mark: None, warn: false }
    }

    #[test]
    fn bars_scale_to_the_largest_and_escape_what_people_typed() {
        let s = bars("Receptions <by> department", &[bar("销售部", 10), bar("<script>alert(1)</script>", 5)]);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains(r#"width="250""#) && s.contains(r#"width="125""#));
        assert!(!s.contains("<script>") && s.contains("&lt;script&gt;"));
        assert!(s.contains("Receptions &lt;by&gt; department"));
    }

    #[test]
    fn bars_of_nothing_draw_an_empty_chart_without_dividing_by_zero() {
        let s = bars("none", &[bar("a", 0)]);
        assert!(s.contains(r#"width="0""#));
        assert!(bars("empty", &[]).contains("viewBox=\"0 0 400 40\""));
    }

    #[test]
    fn a_mark_sits_at_its_value_and_a_warning_bar_is_marked() {
        let mut b = bar("high_end", 200);
        b.mark = Some(150);
        b.warn = true;
        let s = bars("per guest", &[b]);
        assert!(s.contains(r#"x1="187""#));
        assert!(s.contains("bar warn"));
    }

    #[test]
    fn a_line_breaks_where_a_month_has_no_value() {
        let p = |l: &str, v: Option<i64>| Point { label: l.into(), value: v, figure: String::new() };
        let s = line("trend", &[p("2026-01", Some(9000)), p("2026-02", None), p("2026-03", Some(8000))], 10_000, 100);
        assert_eq!(s.matches('M').count(), 2, "{s}");
        assert_eq!(s.matches("<circle").count(), 2);
        assert!(s.contains(">26-01<"));
        assert!(s.contains(">100<") && s.contains(">50<"), "the axis in whole points: {s}");
    }
}
