//! The reception tiers (接待类型) of the application form: high-end, business, simple.
//! Their standards per person are procedure data ([`crate::procedure::TierStandard`]).

use serde::{Deserialize, Serialize};

/// A reception tier.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Tier {
    /// 高端 (recommended 150 CNY per person in the company's procedure).
    HighEnd,
    /// 商务 (80 per person).
    Business,
    /// 简约 (50 per person).
    Simple,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn tier_identifiers_round_trip() {
        crate::codec::assert_codes_round_trip::<Tier>();
        assert_eq!(Tier::parse("high_end"), Some(Tier::HighEnd));
        assert_eq!(Tier::parse("luxury"), None);
    }
}
