//! Account values parsed at the edge: a value of these types is valid by construction.

use crate::field::{FieldError, required_text};

/// A login name: 2–32 characters of lower-case ASCII letters, digits, `.`, `_`, `-`,
/// starting with a letter or digit. Stored lower-cased, so `Wang` and `wang` are one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Longest accepted username.
    pub const MAX: usize = 32;

    /// Parses a submitted username.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if s.chars().count() > Self::MAX {
            return Err(FieldError::with_limit(field, "too_long", Self::MAX));
        }
        if s.len() < 2 {
            return Err(FieldError::with_limit(field, "too_short", 2));
        }
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if !first_ok || !s.chars().all(ok_char) {
            return Err(FieldError::new(field, "invalid_username"));
        }
        Ok(Self(s))
    }

    /// The stored form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The owned stored form.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's name as shown (any script), 1–64 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Longest accepted name.
    pub const MAX: usize = 64;

    /// Parses a submitted name.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        required_text(field, raw, Self::MAX).map(Self)
    }

    /// The owned text.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A department's name, 1–64 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentName(String);

impl DepartmentName {
    /// Longest accepted name.
    pub const MAX: usize = 64;

    /// Parses a submitted name.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        required_text(field, raw, Self::MAX).map(Self)
    }

    /// The owned text.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Longest accepted address (RFC 5321 path limit).
    pub const MAX: usize = 254;

    /// Parses an optional address: empty input is `None`.
    pub fn parse_optional(field: &str, raw: &str) -> Result<Option<Self>, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() > Self::MAX {
            return Err(FieldError::with_limit(field, "too_long", Self::MAX));
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !valid {
            return Err(FieldError::new(field, "invalid_email"));
        }
        Ok(Some(Self(s.to_owned())))
    }

    /// The owned text.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A phone number: a mainland mobile (11 digits starting 1[3-9]), a landline with area
/// code (e.g. 010-12345678, extension allowed), or an international number (+ and 7–15
/// digits). Spaces and dashes are accepted as separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Longest accepted input.
    pub const MAX: usize = 24;

    /// Parses an optional phone number: empty input is `None`.
    pub fn parse_optional(field: &str, raw: &str) -> Result<Option<Self>, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > Self::MAX {
            return Err(FieldError::with_limit(field, "too_long", Self::MAX));
        }
        let (plus, rest) = match s.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, s),
        };
        if !rest.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') {
            return Err(FieldError::new(field, "invalid_phone"));
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let valid = if plus {
            (7..=15).contains(&digits.len())
        } else if digits.starts_with('1') && !rest.contains('-') {
            digits.len() == 11 && matches!(digits.as_bytes()[1], b'3'..=b'9')
        } else {
            digits.starts_with('0') && (10..=16).contains(&digits.len())
        };
        if !valid {
            return Err(FieldError::new(field, "invalid_phone"));
        }
        Ok(Some(Self(s.to_owned())))
    }

    /// The owned text.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A new password: 8–128 characters, not only spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Shortest accepted password.
    pub const MIN: usize = 8;
    /// Longest accepted password (hashing cost stays bounded).
    pub const MAX: usize = 128;

    /// Parses a new password.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if raw.trim().is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if n < Self::MIN {
            return Err(FieldError::with_limit(field, "too_short", Self::MIN));
        }
        if n > Self::MAX {
            return Err(FieldError::with_limit(field, "too_long", Self::MAX));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_is_lower_cased_and_restricted() {
        assert_eq!(Username::parse("u", " Wang.Li ").unwrap().as_str(), "wang.li");
        assert_eq!(Username::parse("u", "").unwrap_err().code, "required");
        assert_eq!(Username::parse("u", "a").unwrap_err().code, "too_short");
        assert_eq!(Username::parse("u", "li").unwrap().as_str(), "li");
        assert_eq!(Username::parse("u", &"a".repeat(33)).unwrap_err().code, "too_long");
        assert_eq!(Username::parse("u", "王五").unwrap_err().code, "invalid_username");
        assert_eq!(Username::parse("u", "-abc").unwrap_err().code, "invalid_username");
        assert_eq!(Username::parse("u", "a b c").unwrap_err().code, "invalid_username");
    }

    #[test]
    fn display_name_accepts_chinese_and_rejects_empty_or_long() {
        assert_eq!(DisplayName::parse("n", " 王五 ").unwrap().into_inner(), "王五");
        assert_eq!(DisplayName::parse("n", "   ").unwrap_err().code, "required");
        assert_eq!(DisplayName::parse("n", &"长".repeat(65)).unwrap_err().code, "too_long");
        assert!(DisplayName::parse("n", &"长".repeat(64)).is_ok());
    }

    #[test]
    fn email_validation_accepts_ordinary_addresses_only() {
        assert!(Email::parse_optional("e", "").unwrap().is_none());
        assert!(Email::parse_optional("e", "li.wang@example.com.cn").unwrap().is_some());
        for bad in ["no-at", "a@b", "@x.com", "a@.com", "a b@x.com", "a@x..com", "a@b@c.com"] {
            assert_eq!(Email::parse_optional("e", bad).unwrap_err().code, "invalid_email", "{bad}");
        }
    }

    #[test]
    fn phone_validation_accepts_mobile_landline_and_international() {
        for ok in ["13812345678", "138 1234 5678", "010-12345678", "0755-1234567-801", "+86 138 1234 5678"] {
            assert!(Phone::parse_optional("p", ok).unwrap().is_some(), "{ok}");
        }
        for bad in ["12345", "12812345678", "1381234567", "phone", "+12", "138123456789"] {
            assert_eq!(Phone::parse_optional("p", bad).unwrap_err().code, "invalid_phone", "{bad}");
        }
    }

    #[test]
    fn password_length_is_bounded_and_hidden_in_debug() {
        assert_eq!(Password::parse("p", "short").unwrap_err().code, "too_short");
        assert_eq!(Password::parse("p", &"x".repeat(129)).unwrap_err().code, "too_long");
        let p = Password::parse("p", "correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
