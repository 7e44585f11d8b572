//! CAMEO event codes as written in dictionaries: `[190]`, `[042:043]`, `[---]`.

use super::error::At;
use super::LexiconError;

/// An event code as written in `[...]`: `190`, or TABARI's paired `042:043`
/// (the target's reply to the source); `!` suffixes are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventCode {
    pub code: String,
    pub reverse: Option<String>,
}

impl EventCode {
    /// `Ok(None)` is the null code `---`: "not an event".
    pub(crate) fn parse(raw: &str, at: At<'_>) -> Result<Option<Self>, LexiconError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(at.empty_code());
        }
        let cleaned = raw.trim_end_matches('!');
        let (code, reverse) = match cleaned.split_once(':') {
            Some((code, reverse)) => (code.trim(), Some(reverse.trim())),
            None => (cleaned, None),
        };
        // Dictionaries use odd codes ("+++", "025?") in tests; any single token will do.
        let valid = |c: &str| {
            !c.is_empty()
                && !c
                    .chars()
                    .any(|ch| ch.is_whitespace() || "[]{}~".contains(ch))
        };
        if code == "---" {
            return Ok(None);
        }
        if !valid(code) {
            return Err(at.bad_code(raw));
        }
        let reverse = match reverse {
            None | Some("---") => None,
            Some(r) if valid(r) => Some(r.to_uppercase()),
            Some(_) => return Err(at.bad_code(raw)),
        };
        Ok(Some(Self {
            code: code.to_uppercase(),
            reverse,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: At<'static> = At {
        origin: "t",
        line: 3,
    };

    #[test]
    fn reads_plain_paired_and_null_codes() {
        let plain = EventCode::parse(" 190 ", AT).unwrap().unwrap();
        assert_eq!((plain.code.as_str(), plain.reverse), ("190", None));
        let paired = EventCode::parse("042:043", AT).unwrap().unwrap();
        assert_eq!(paired.reverse.as_deref(), Some("043"));
        assert_eq!(EventCode::parse("080!", AT).unwrap().unwrap().code, "080");
        assert_eq!(EventCode::parse("---", AT).unwrap(), None);
        assert_eq!(EventCode::parse("", AT).unwrap_err().line(), 3);
        assert!(EventCode::parse("19 0", AT).is_err());
    }
}
