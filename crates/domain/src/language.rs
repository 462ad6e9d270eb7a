//! The two interface languages.

use serde::{Deserialize, Serialize};

/// An interface language. zh-CN is the default: the users are Chinese companies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    /// Simplified Chinese.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// Every language, default first.
    pub const ALL: [Language; 2] = [Language::ZhCn, Language::En];

    /// The BCP 47 tag stored and shown.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// Parses a stored or submitted tag.
    pub fn parse(tag: &str) -> Option<Language> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh-cn" || t == "zh" || t.starts_with("zh-") {
            Some(Language::ZhCn)
        } else if t == "en" || t.starts_with("en-") {
            Some(Language::En)
        } else {
            None
        }
    }

    /// Picks the best language from an Accept-Language header, honouring q-values;
    /// falls back to zh-CN.
    pub fn from_accept_language(header: &str) -> Language {
        let mut best: Option<(f32, Language)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
            if let Some(lang) = Language::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_known_language() {
        assert_eq!(Language::from_accept_language("en"), Language::En);
        assert_eq!(Language::from_accept_language("en-US,en;q=0.9"), Language::En);
        assert_eq!(Language::from_accept_language("fr, en;q=0.5, zh-CN;q=0.8"), Language::ZhCn);
        assert_eq!(Language::from_accept_language("de"), Language::ZhCn);
        assert_eq!(Language::from_accept_language(""), Language::ZhCn);
    }

    #[test]
    fn tags_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.tag()), Some(l));
        }
        assert_eq!(Language::parse("xx"), None);
    }
}
