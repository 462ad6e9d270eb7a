//! Stable identifiers of closed sets (states, actions, roles, tiers…): every enum derives
//! its identifiers with `strum` (`IntoStaticStr` and `VariantArray`), and this trait gives
//! each the same two calls, so no enum carries a hand-written `as_str`/`parse` pair.

/// An enum whose variants have stable identifiers, used in URLs, the API, the database and
/// locale keys.
pub trait Code: Sized + Copy + PartialEq + 'static + strum::VariantArray + Into<&'static str> {
    /// The identifier.
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// The variant of an identifier (exact match).
    fn parse(s: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|v| v.as_str() == s)
    }

    /// Every variant, in declaration order.
    fn all() -> &'static [Self] {
        Self::VARIANTS
    }
}

impl<T> Code for T where T: Sized + Copy + PartialEq + 'static + strum::VariantArray + Into<&'static str> {}

/// Test helper: every variant's identifier reads back, and serde writes the same text.
#[cfg(test)]
pub(crate) fn assert_codes_round_trip<T: Code + serde::Serialize + std::fmt::Debug>() {
    for v in T::all() {
        assert_eq!(T::parse(v.as_str()), Some(*v), "{v:?}");
        let json = serde_json::to_value(v).unwrap();
        assert_eq!(json.as_str(), Some(v.as_str()), "serde and strum disagree on {v:?}");
    }
}
