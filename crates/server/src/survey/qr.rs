//! QR codes of guests' links, drawn on the server as SVG (no script, nothing fetched from
//! elsewhere), with their address written under them by the templates.

use qrcode::QrCode;
use qrcode::render::svg;

/// An open guest link as the reception page and the run sheet show it.
pub struct LinkQr {
    /// The link's address.
    pub url: String,
    /// Its QR code, an inline `<svg>`.
    pub svg: String,
    /// When it stops working, as the reader reads it.
    pub expires: String,
}

/// The QR code of a text as an inline SVG of about `px` pixels square, labelled for screen
/// readers with `label` (empty if the text is too long for a QR code, which a link never is).
pub fn svg_of(text: &str, px: u32, label: &str) -> String {
    let Ok(code) = QrCode::new(text.as_bytes()) else { return String::new() };
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(px, px)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inline in HTML: no XML declaration; a role and a name instead.
    let body = drawn.split_once("?>").map_or(drawn.as_str(), |(_, rest)| rest);
    let label = label.replace(['"', '<', '>', '&'], "");
    body.replacen("<svg ", &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" "), 1)
}

/// The address of a link's secret on this site.
pub fn link_url(base: &str, token: &str) -> String {
    format!("{}/s/{token}", base.trim_end_matches('/'))
}

/// The open links of a reception with their QR codes, for whoever may see the reception.
pub async fn open_link_qrs(
    s: &crate::state::AppState,
    tr: crate::i18n::Tr,
    id: jiedai_domain::ReceptionId,
) -> crate::error::AppResult<Vec<LinkQr>> {
    let base = crate::notify::worker::base_url(s);
    let today = chrono::Utc::now().with_timezone(&s.tz()).date_naive();
    Ok(jiedai_app::survey::open_links(&s.app, id)
        .await?
        .into_iter()
        .map(|v| {
            let url = link_url(&base, &v.token);
            let day = v.link.expires_at.with_timezone(&s.tz()).date_naive();
            LinkQr { svg: svg_of(&url, 160, tr.t("satisfaction.qr_label")), expires: tr.date(day, today), url }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_an_svg_qr_code_without_style_attributes() {
        let svg = svg_of("https://jiedai.example.com/s/0123456789abcdef", 160, "QR \"x\"");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("<path"), "{svg}");
        assert!(!svg.contains("style="), "the CSP forbids inline styles: {svg}");
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"QR x\""), "{svg}");
    }
}
