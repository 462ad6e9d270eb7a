//! Reading each kind of value, from the file (typed) or the environment (text), with an
//! error that says what was expected.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::LogFormat;

/// One value as written: the file gives typed values, the environment gives text.
enum Raw {
    Bool(bool),
    Int(i128),
    Float(f64),
    Text(String),
}

impl fmt::Display for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Raw::Bool(b) => b.fmt(f),
            Raw::Int(n) => n.fmt(f),
            Raw::Float(x) => x.fmt(f),
            Raw::Text(s) => s.trim().fmt(f),
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl Visitor<'_> for RawVisitor {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a single value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Int(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
                Ok(i128::try_from(v).map(Raw::Int).unwrap_or_else(|_| Raw::Text(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Text(v))
            }
        }
        d.deserialize_any(RawVisitor)
    }
}

/// "`value` is not what was expected".
fn refuse<E: de::Error>(raw: &Raw, expected: &str) -> E {
    E::custom(format!("`{raw}` is not {expected}"))
}

/// An address with its port.
pub(super) fn address<'de, D: Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| refuse(&raw, "an address like 127.0.0.1:8080"))
}

/// A boolean; text also as 1/0, yes/no, on/off.
pub(super) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Bool(b) => Some(*b),
        Raw::Int(0) => Some(false),
        Raw::Int(1) => Some(true),
        Raw::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Some(true),
            "0" | "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| refuse(&raw, "true or false"))
}

/// `pretty` or `json`, in any case.
pub(super) fn log_format<'de, D: Deserializer<'de>>(d: D) -> Result<LogFormat, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Text(s) if s.trim().eq_ignore_ascii_case("pretty") => Ok(LogFormat::Pretty),
        Raw::Text(s) if s.trim().eq_ignore_ascii_case("json") => Ok(LogFormat::Json),
        _ => Err(refuse(&raw, "pretty or json")),
    }
}

/// `full` or `normal`, in any case.
pub(super) fn durability<'de, D: Deserializer<'de>>(d: D) -> Result<super::Durability, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Text(s) if s.trim().eq_ignore_ascii_case("full") => Ok(super::Durability::Full),
        Raw::Text(s) if s.trim().eq_ignore_ascii_case("normal") => Ok(super::Durability::Normal),
        _ => Err(refuse(&raw, "full or normal")),
    }
}

/// Text, trimmed.
pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Text(s) => Ok(s.trim().to_owned()),
        raw => Err(refuse(&raw, "text (put it in quotes)")),
    }
}

/// An IANA time zone name.
pub(super) fn time_zone<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| refuse(&raw, "a time zone like Asia/Shanghai"))
}

/// A whole number of at least `min`, from a number or its text.
fn whole<T: TryFrom<i128>, E: de::Error>(raw: &Raw, min: i128) -> Result<T, E> {
    let n = match raw {
        Raw::Int(n) => Some(*n),
        Raw::Text(s) => s.trim().parse::<i128>().ok(),
        _ => None,
    };
    let expected = if min > 0 { "a positive whole number" } else { "a whole number" };
    match n {
        Some(n) if n >= min => T::try_from(n).map_err(|_| E::custom(format!("`{raw}` is too large"))),
        _ => Err(refuse(raw, expected)),
    }
}

/// A whole number above 0.
pub(super) fn positive<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D) -> Result<T, D::Error> {
    whole(&Raw::deserialize(d)?, 1)
}

/// An optional whole number of at least `min`; empty text means none.
fn optional_whole<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D, min: i128) -> Result<Option<T>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Text(s) if s.trim().is_empty() => Ok(None),
        raw => whole(&raw, min).map(Some),
    }
}

/// An optional whole number above 0.
pub(super) fn optional_positive<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    optional_whole(d, 1)
}

/// An optional whole number, 0 or more.
pub(super) fn optional_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    optional_whole(d, 0)
}

/// The database URL; empty means none. Never echoed in an error.
pub(super) fn secret_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Text(s) if s.trim().is_empty() => Ok(None),
        Raw::Text(s) if s.trim().len() == s.len() => Ok(Some(SecretString::from(s))),
        Raw::Text(s) => Ok(Some(SecretString::from(s.trim()))),
        raw => Err(refuse(&raw, "a URL like postgres://user:password@host/db (put it in quotes)")),
    }
}

/// A network, or one address as a network of one.
fn network<E: de::Error>(s: &str) -> Result<IpNet, E> {
    let s = s.trim();
    s.parse::<IpNet>()
        .map(|n| n.trunc())
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| E::custom(format!("`{s}` is not a network like 10.0.0.0/8 or an address like 127.0.0.1")))
}

/// A list of networks: an array, or text separated by commas (as in the environment).
pub(super) fn networks<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    struct Networks;
    impl<'de> Visitor<'de> for Networks {
        type Value = Vec<IpNet>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of networks like 10.0.0.0/8 or addresses like 127.0.0.1")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.split(',').filter(|s| !s.trim().is_empty()).map(network).collect()
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(raw) = seq.next_element::<Raw>()? {
                match raw {
                    Raw::Text(s) => out.push(network(&s)?),
                    raw => return Err(refuse(&raw, "a network like 10.0.0.0/8 or an address like 127.0.0.1")),
                }
            }
            Ok(out)
        }
    }
    d.deserialize_any(Networks)
}

/// An hour of the day, 0 to 23.
pub(super) fn hour<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let raw = Raw::deserialize(d)?;
    match whole::<u32, D::Error>(&raw, 0) {
        Ok(h) if h < 24 => Ok(h),
        _ => Err(refuse(&raw, "an hour from 0 to 23")),
    }
}

/// The mail server's URL (`smtp://host:587`, `smtps://user:password@host:465`); empty means
/// no e-mail. Never echoed in an error (it may hold a password).
pub(super) fn mail_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Text(s) if s.trim().is_empty() => Ok(None),
        Raw::Text(s) if s.trim().starts_with("smtp://") || s.trim().starts_with("smtps://") => {
            Ok(Some(SecretString::from(s.trim())))
        }
        Raw::Text(_) => Err(de::Error::custom("the mail URL must start with smtp:// or smtps://")),
        _ => Err(de::Error::custom("a URL like smtp://host:587 (put it in quotes)")),
    }
}

/// A secret text (a password); empty means none. Never echoed in an error.
pub(super) fn secret_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Text(s) if s.is_empty() => Ok(None),
        Raw::Text(s) => Ok(Some(SecretString::from(s))),
        _ => Err(de::Error::custom("a text (put it in quotes)")),
    }
}

/// The address people reach the site at (`https://jiedai.example.com`); empty means the
/// listening address.
pub(super) fn public_url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = Raw::deserialize(d)?;
    match &raw {
        Raw::Text(s) if s.trim().is_empty() => Ok(String::new()),
        Raw::Text(s)
            if (s.trim().starts_with("http://") || s.trim().starts_with("https://"))
                && s.trim().chars().all(|c| c.is_ascii_graphic()) =>
        {
            Ok(s.trim().trim_end_matches('/').to_owned())
        }
        _ => Err(refuse(&raw, "an address like https://jiedai.example.com")),
    }
}
