//! The entity timeline as an inline SVG bar chart, drawn on the server.

use std::fmt::Write;

use warta_store::MonthCount;

/// Months from the first to the last, gaps filled with zero.
fn filled(months: &[MonthCount]) -> Vec<(i32, u32, u64)> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse().ok()?, mo.parse().ok()?))
    };
    let points: Vec<(i32, u32, u64)> = months
        .iter()
        .filter_map(|m| parse(&m.month).map(|(y, mo)| (y, mo, m.articles)))
        .filter(|&(_, mo, _)| (1..=12).contains(&mo))
        .collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (first.0, first.1);
    // At most 20 years of months.
    while (y, m) <= (last.0, last.1) && out.len() < 240 {
        let n = points
            .iter()
            .find(|p| p.0 == y && p.1 == m)
            .map_or(0, |p| p.2);
        out.push((y, m, n));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// An SVG bar chart of articles per month; `label` is the accessible title (escaped
/// here). Empty when there are no dated articles.
pub(crate) fn timeline(months: &[MonthCount], label: &str) -> String {
    let points = filled(months);
    if points.is_empty() {
        return String::new();
    }
    let max = points.iter().map(|p| p.2).max().unwrap_or(1).max(1);
    let (w, h, left, bottom, top) = (640.0_f64, 180.0_f64, 36.0, 24.0, 10.0);
    let plot_w = w - left - 8.0;
    let plot_h = h - bottom - top;
    let step = plot_w / points.len() as f64;
    let bar = (step * 0.8).clamp(1.0, 40.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{title}"><title>{title}</title>"##,
        title = crate::ui::esc(label)
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#888"/><text x="{tx}" y="{ty}" font-size="10" text-anchor="end">{max}</text><text x="{tx}" y="{y0}" font-size="10" text-anchor="end">0</text>"##,
        y0 = top + plot_h,
        x1 = w - 8.0,
        tx = left - 4.0,
        ty = top + 8.0,
    );
    let label_every = points.len().div_ceil(8).max(1);
    for (i, &(y, m, n)) in points.iter().enumerate() {
        let bh = plot_h * n as f64 / max as f64;
        let x = left + i as f64 * step + (step - bar) / 2.0;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{bh:.1}" fill="#2a6f97"><title>{y:04}-{m:02}: {n}</title></rect>"##,
            top + plot_h - bh
        );
        if i % label_every == 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle">{y:04}-{m:02}</text>"##,
                x + bar / 2.0,
                h - 8.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_and_labels_escaped() {
        let months = vec![
            MonthCount {
                month: "2023-11".into(),
                articles: 2,
            },
            MonthCount {
                month: "2024-02".into(),
                articles: 1,
            },
        ];
        assert_eq!(filled(&months).len(), 4);
        let svg = timeline(&months, "<script>");
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(!svg.contains("<script>"));
        assert!(timeline(&[], "x").is_empty());
    }
}
