//! Calendar dates and the date restrictions on PETRARCH actor codes.

use std::fmt;

/// A calendar day, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid Gregorian date, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    /// Reads `YYYYMMDD`, `YYYY-MM-DD` or PETRARCH's `YYMMDD` (years 00-30 are 20xx).
    ///
    /// As in PETRARCH, strings of more than seven digits are read from their first
    /// eight, so the dictionaries' few over-long dates still mean something.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text.trim().chars().filter(|c| *c != '-').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<u16>().ok();
        if digits.len() > 7 {
            let month = u8::try_from(number(4..6)?).ok()?;
            let day = u8::try_from(number(6..8)?).ok()?;
            Self::new(number(0..4)?, month, day)
        } else {
            let short = number(0..2)?;
            let year = if short <= 30 {
                2000 + short
            } else {
                1900 + short
            };
            let month = u8::try_from(number(2..4)?).ok()?;
            let day = u8::try_from(number(4..6)?).ok()?;
            Self::new(year, month, day)
        }
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// When an actor code applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// No restriction: the entry's default code.
    Always,
    /// `[CODE <date]`: strictly before the date.
    Before(Date),
    /// `[CODE >date]` (or a bare date): from the date on, with no end.
    From(Date),
    /// `[CODE from-until]`, both days included.
    Between { from: Date, until: Date },
}

impl Validity {
    /// Whether the code applies on `date`; `Always` applies on every date.
    pub fn contains(&self, date: Date) -> bool {
        match *self {
            Self::Always => true,
            Self::Before(until) => date < until,
            Self::From(from) => date >= from,
            Self::Between { from, until } => from <= date && date <= until,
        }
    }

    /// Reads the restriction after a code: `<D`, `< D`, `>D`, `D-D`, `D - D` or `D`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return Some(Self::Always);
        }
        if let Some(rest) = text.strip_prefix('<') {
            return Date::parse(rest).map(Self::Before);
        }
        if let Some(rest) = text.strip_prefix('>') {
            return Date::parse(rest).map(Self::From);
        }
        match text.split_once('-') {
            Some((from, until)) => Some(Self::Between {
                from: Date::parse(from)?,
                until: Date::parse(until)?,
            }),
            None => Date::parse(text).map(Self::From),
        }
    }
}

/// An actor code with the dates it applies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub validity: Validity,
}

/// The code PETRARCH's null marker `---` stands for: "not an actor".
pub(crate) const NULL_CODE: &str = "---";

/// The code that applies on `date`: the first restricted code covering it,
/// else the first unrestricted one (PETRARCH's order of precedence).
pub(crate) fn code_on(codes: &[DatedCode], date: Date) -> Option<&DatedCode> {
    codes
        .iter()
        .find(|c| c.validity != Validity::Always && c.validity.contains(date))
        .or_else(|| codes.iter().find(|c| c.validity == Validity::Always))
}

/// The code in force now: an open-ended code (latest start wins), else the
/// default code, else the code whose range ended last.
pub(crate) fn current_code(codes: &[DatedCode]) -> Option<&DatedCode> {
    let open_ended = codes
        .iter()
        .filter_map(|c| match c.validity {
            Validity::From(from) => Some((from, c)),
            _ => None,
        })
        .fold(None::<(Date, &DatedCode)>, |best, (from, c)| match best {
            Some((best_from, _)) if best_from >= from => best,
            _ => Some((from, c)),
        });
    if let Some((_, code)) = open_ended {
        return Some(code);
    }
    if let Some(code) = codes.iter().find(|c| c.validity == Validity::Always) {
        return Some(code);
    }
    codes
        .iter()
        .filter_map(|c| match c.validity {
            Validity::Before(until) | Validity::Between { until, .. } => Some((until, c)),
            _ => None,
        })
        .fold(None::<(Date, &DatedCode)>, |best, (until, c)| match best {
            Some((best_until, _)) if best_until >= until => best,
            _ => Some((until, c)),
        })
        .map(|(_, code)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn coded(code: &str, restriction: &str) -> DatedCode {
        DatedCode {
            code: code.to_string(),
            validity: Validity::parse(restriction).unwrap(),
        }
    }

    #[test]
    fn parses_petrarch_dates() {
        assert_eq!(d("20130926"), Date::new(2013, 9, 26).unwrap());
        assert_eq!(d("090120"), Date::new(2009, 1, 20).unwrap());
        assert_eq!(d("510724"), Date::new(1951, 7, 24).unwrap());
        assert_eq!(d("2014-02-28"), Date::new(2014, 2, 28).unwrap());
        assert_eq!(d("1920030320"), Date::new(1920, 3, 3).unwrap());
        assert!(Date::parse("20100931").is_none());
        assert!(Date::parse("2010x931").is_none());
        assert!(Date::parse("12").is_none());
    }

    #[test]
    fn parses_restrictions() {
        assert_eq!(Validity::parse(""), Some(Validity::Always));
        assert_eq!(
            Validity::parse("< 950601"),
            Some(Validity::Before(d("950601")))
        );
        assert_eq!(
            Validity::parse(">20130119"),
            Some(Validity::From(d("20130119")))
        );
        assert_eq!(
            Validity::parse("19950601 - 19990815"),
            Some(Validity::Between {
                from: d("19950601"),
                until: d("19990815")
            })
        );
        assert!(Validity::parse("<soon").is_none());
    }

    #[test]
    fn picks_codes_by_date_and_now() {
        let codes = vec![
            coded("HOB", ""),
            coded("HOBCIV", "<20080120"),
            coded("ORCHOB", "20100109-20100112"),
            coded("HOBMIL", "20080120-20121109"),
            coded("HOBELI", ">20130119"),
        ];
        assert_eq!(code_on(&codes, d("20070101")).unwrap().code, "HOBCIV");
        assert_eq!(code_on(&codes, d("20100110")).unwrap().code, "ORCHOB");
        assert_eq!(code_on(&codes, d("20100201")).unwrap().code, "HOBMIL");
        assert_eq!(current_code(&codes).unwrap().code, "HOBELI");
        let ended = vec![coded("USAGOV", "19970101-20010120"), coded("USAELI", "")];
        assert_eq!(current_code(&ended).unwrap().code, "USAELI");
        let only_ended = vec![coded("ONO", "<911226"), coded("ONX", "800101-850101")];
        assert_eq!(current_code(&only_ended).unwrap().code, "ONO");
        assert!(code_on(&only_ended, d("20000101")).is_none());
    }
}
