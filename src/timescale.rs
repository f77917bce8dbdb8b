//! Timescales as people write them in plans: "March 2013", "Dec 2012",
//! "July 2010 onwards", "From July 2010 onwards", "October", "Ongoing",
//! "On-going", "2013-03-31", "Q3 2012", "Q1 2012/13".
//!
//! [`Timescale::parse`] turns the wording into a typed value and keeps the
//! original text, which is what the page shows. Validation calls it for every
//! milestone; an unparseable timescale becomes an error listing [`ACCEPTED`].

use std::fmt;

/// The forms accepted, for error messages and the docs.
pub const ACCEPTED: &str = "a month and year (\"March 2013\", \"Dec 2012\"), a date (\"2013-03-31\", \"31 March 2013\"), \
a month alone (\"October\"), a year (\"2013\"), a quarter (\"Q3 2012\", or \"Q1 2012/13\" for a financial year), \
\"Ongoing\", or any of these followed by \"onwards\" (\"July 2010 onwards\", \"From July 2010 onwards\")";

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parse `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }
}

/// When a document was published or updated: a day, or only a month when
/// that is all the document says ("April 2017").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dated {
    /// The day, or the month's first day; what feeds and sorting use.
    pub date: Date,
    pub month_only: bool,
}

/// The forms a `published` or `updated` date may take, for error messages.
pub const DATED_FORMS: &str =
    "a date (2017-04-12 or 12 April 2017) or a month (2017-04 or April 2017)";

impl Dated {
    /// Whether `self` is certainly before `other`: a month is before a day
    /// only when it is an earlier month.
    pub fn is_before(&self, other: &Dated) -> bool {
        if self.month_only || other.month_only {
            (self.date.year, self.date.month) < (other.date.year, other.date.month)
        } else {
            self.date < other.date
        }
    }

    /// `YYYY-MM-DD`, `YYYY-MM`, "12 April 2017" or "April 2017".
    pub fn parse(text: &str) -> Option<Dated> {
        let text = text.trim();
        if let Some(date) = Date::parse_iso(text) {
            return Some(Dated {
                date,
                month_only: false,
            });
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let (day, month, year) = match words[..] {
            [iso] => {
                let (y, m) = iso.split_once('-')?;
                if y.len() != 4 || m.len() != 2 {
                    return None;
                }
                (None, m.parse().ok()?, parse_year(y)?)
            }
            [m, y] => (None, month_number(m)?, parse_year(y)?),
            [d, m, y] => (Some(d.parse().ok()?), month_number(m)?, parse_year(y)?),
            _ => return None,
        };
        let date = Date::new(year, month, day.unwrap_or(1))?;
        Some(Dated {
            date,
            month_only: day.is_none(),
        })
    }
}

/// `YYYY-MM` for a month, `YYYY-MM-DD` for a day: HTML's `datetime` forms.
impl fmt::Display for Dated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.month_only {
            Digits::month(self.date.year, self.date.month).fmt(f)
        } else {
            self.date.fmt(f)
        }
    }
}

impl serde::Serialize for Dated {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.month_only {
            true => Digits::month(self.date.year, self.date.month).serialize(s),
            false => self.date.serialize(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Dated {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Dated::parse(&text).ok_or_else(|| serde::de::Error::custom("not a date or month"))
    }
}

/// Dates are kept as `YYYY-MM-DD` text in the rebuild record.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Digits::day(*self).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse_iso(&text).ok_or_else(|| serde::de::Error::custom("not a YYYY-MM-DD date"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Digits::day(*self).fmt(f)
    }
}

/// A year as `{:04}` writes it, then a month and perhaps a day as `-{:02}`,
/// written digit by digit: a plan's dates are written on every milestone
/// row of several pages, and the formatter's padding took about 1.5% of
/// a build's instructions. A year outside 0 to 9999, or a number over 99,
/// is left to the formatter. At most a month and a day follow the year.
enum Digits {
    Written { bytes: [u8; 10], len: usize },
    Formatted(String),
}

impl Digits {
    fn day(d: Date) -> Digits {
        Digits::new(d.year, &[d.month, d.day]).unwrap_or_else(|| {
            Digits::Formatted(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        })
    }

    fn month(year: i32, month: u8) -> Digits {
        Digits::new(year, &[month])
            .unwrap_or_else(|| Digits::Formatted(format!("{year:04}-{month:02}")))
    }

    fn year(year: i32) -> Digits {
        Digits::new(year, &[]).unwrap_or_else(|| Digits::Formatted(format!("{year:04}")))
    }

    fn new(year: i32, parts: &[u8]) -> Option<Digits> {
        let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
        let mut bytes = [0; 10];
        for (i, place) in [1000, 100, 10, 1].into_iter().enumerate() {
            bytes[i] = b'0' + (year / place % 10) as u8;
        }
        let mut len = 4;
        for &part in parts.iter().take(2) {
            if part > 99 {
                return None;
            }
            bytes[len..len + 3].copy_from_slice(&[b'-', b'0' + part / 10, b'0' + part % 10]);
            len += 3;
        }
        Some(Digits::Written { bytes, len })
    }

    fn as_str(&self) -> &str {
        match self {
            // Only ASCII digits and hyphens are written.
            Digits::Written { bytes, len } => {
                std::str::from_utf8(&bytes[..*len]).unwrap_or_default()
            }
            Digits::Formatted(text) => text,
        }
    }

    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }

    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// "less than a month overdue", "1 month overdue", "5 months overdue".
pub fn overdue_words(due: Date, at: Date) -> String {
    let mut months = (at.year - due.year) * 12 + i32::from(at.month) - i32::from(due.month);
    if at.day < due.day {
        months -= 1;
    }
    match months {
        m if m < 1 => "less than a month overdue".into(),
        1 => "1 month overdue".into(),
        m => format!("{m} months overdue"),
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What a timescale means, without its wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Date(Date),
    Month {
        year: i32,
        month: u8,
    },
    /// A month with no year ("October"), as some plans write it; shown as written.
    MonthOnly {
        month: u8,
    },
    Year(i32),
    /// Calendar quarter `quarter` (1-4) of `year`.
    Quarter {
        year: i32,
        quarter: u8,
    },
    /// Quarter of a UK financial year starting in April of `start_year`.
    FinancialQuarter {
        start_year: i32,
        quarter: u8,
    },
    /// From this point and continuing ("July 2010 onwards").
    From(Box<When>),
    Ongoing,
}

/// A parsed timescale with the author's wording kept for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timescale {
    pub text: String,
    pub when: When,
}

impl Timescale {
    /// Parse a timescale, or say why not.
    pub fn parse(text: &str) -> Result<Timescale, String> {
        let cleaned = text.trim();
        if cleaned.is_empty() {
            return Err("the timescale is empty".into());
        }
        match parse_when(cleaned) {
            Some(when) => Ok(Timescale {
                text: cleaned.to_string(),
                when,
            }),
            None => Err(format!("cannot read the timescale \"{cleaned}\"")),
        }
    }

    /// A short machine-readable form: `2013-03`, `from 2010-07`, `ongoing`.
    pub fn machine(&self) -> String {
        machine(&self.when)
    }

    /// The last day the timescale allows, after which an unfinished
    /// milestone is overdue. `None` for work that continues ("Ongoing",
    /// "July 2010 onwards") or a month without a year.
    pub fn due_by(&self) -> Option<Date> {
        let month_end = |year: i32, month: u8| Date {
            year,
            month,
            day: days_in_month(year, month),
        };
        match self.when {
            When::Date(d) => Some(d),
            When::Month { year, month } => Some(month_end(year, month)),
            When::Year(year) => Some(month_end(year, 12)),
            When::Quarter { year, quarter } => Some(month_end(year, quarter * 3)),
            When::FinancialQuarter {
                start_year,
                quarter,
            } => {
                // Q1 is April to June; Q4 is January to March of the next year.
                let month = (quarter * 3 + 3 - 1) % 12 + 1;
                let year = if quarter == 4 {
                    start_year + 1
                } else {
                    start_year
                };
                Some(month_end(year, month))
            }
            When::MonthOnly { .. } | When::From(_) | When::Ongoing => None,
        }
    }
}

fn machine(when: &When) -> String {
    match when {
        When::Date(d) => Digits::day(*d).as_str().to_string(),
        When::Month { year, month } => Digits::month(*year, *month).as_str().to_string(),
        When::MonthOnly { month } => format!("--{month:02}"),
        When::Year(y) => Digits::year(*y).as_str().to_string(),
        When::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        When::FinancialQuarter {
            start_year,
            quarter,
        } => format!("FY{start_year:04}-Q{quarter}"),
        When::From(inner) => format!("from {}", machine(inner)),
        When::Ongoing => "ongoing".into(),
    }
}

fn parse_when(text: &str) -> Option<When> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if matches!(words[..], ["ongoing"] | ["on-going"] | ["on", "going"]) {
        return Some(When::Ongoing);
    }
    let mut body: &[&str] = &words;
    let mut from = false;
    if let Some(rest) = body.strip_prefix(&["from"]) {
        from = true;
        body = rest;
    }
    if let Some(rest) = body.strip_suffix(&["onwards"]) {
        from = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix(&["by"]) {
        body = rest;
    }
    let point = parse_point(body)?;
    Some(if from {
        When::From(Box::new(point))
    } else {
        point
    })
}

/// One point or period in time: the words after "From"/"by" and before "onwards".
fn parse_point(words: &[&str]) -> Option<When> {
    match words {
        [one] => parse_single_word(one),
        [q, year] if is_quarter(q) => quarter(q, year),
        [year, q] if is_quarter(q) => quarter(q, year),
        ["quarter", n, year] => quarter(&format!("q{n}"), year),
        [month, year] => Some(When::Month {
            month: month_number(month)?,
            year: parse_year(year)?,
        }),
        [day, month, year] => {
            let day = day.trim_end_matches(|c: char| c.is_alphabetic());
            Date::new(parse_year(year)?, month_number(month)?, day.parse().ok()?).map(When::Date)
        }
        _ => None,
    }
}

fn parse_single_word(word: &str) -> Option<When> {
    if let Some(d) = Date::parse_iso(word) {
        return Some(When::Date(d));
    }
    if let Some(m) = month_number(word) {
        return Some(When::MonthOnly { month: m });
    }
    // "2013-03" (ISO year-month)
    if let Some((y, m)) = word.split_once('-')
        && y.len() == 4
        && m.len() == 2
    {
        let month: u8 = m.parse().ok()?;
        return (1..=12).contains(&month).then_some(When::Month {
            year: parse_year(y)?,
            month,
        });
    }
    parse_year(word).map(When::Year)
}

fn is_quarter(word: &str) -> bool {
    word.len() == 2 && word.starts_with('q')
}

fn quarter(q: &str, year: &str) -> Option<When> {
    let quarter: u8 = q.trim_start_matches('q').parse().ok()?;
    if !(1..=4).contains(&quarter) {
        return None;
    }
    // "2012/13" or "2012-13" is a financial year starting in April 2012.
    if let Some((start, end)) = year.split_once(['/', '-']) {
        let start_year = parse_year(start)?;
        let end: i32 = end.parse().ok()?;
        let follows = end == (start_year + 1) % 100 || end == start_year + 1;
        return follows.then_some(When::FinancialQuarter {
            start_year,
            quarter,
        });
    }
    Some(When::Quarter {
        year: parse_year(year)?,
        quarter,
    })
}

fn parse_year(word: &str) -> Option<i32> {
    let year: i32 = word.parse().ok()?;
    (word.len() == 4 && (1900..=2200).contains(&year)).then_some(year)
}

/// January = 1; accepts full names and the usual abbreviations ("Sept").
pub fn month_number(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| {
        *m == word
            || (m.starts_with(&word) && word.len() <= 4)
            || (word == "sept" && *m == "september")
    })?;
    Some(index as u8 + 1)
}

/// The forms a document's period may take, for error messages and the docs.
pub const PERIOD_FORMS: &str = "a financial year (\"2012-13\", \"2012-2013\", \"2012/13\"), several (\"2012-2014\", \"2015 to 2018\"), \
a calendar year (\"2013\"), or months (\"April 2012 to March 2014\")";

/// The span a document covers, parsed from how it is written ("2012-13",
/// "2015 to 2018", "April 2012 to March 2014"), with the wording kept for
/// display. Years joined by a dash, slash or "to" are financial years
/// (April to March), as plans and reports use them; a year alone is a
/// calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub text: String,
    /// The first and last day covered.
    pub start: Date,
    pub end: Date,
    pub financial: bool,
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, String> {
        let cleaned = text.trim();
        parse_period(cleaned)
            .map(|(start, end, financial)| Period {
                text: cleaned.to_string(),
                start,
                end,
                financial,
            })
            .ok_or_else(|| format!("cannot read the period \"{cleaned}\""))
    }
}

fn parse_period(text: &str) -> Option<(Date, Date, bool)> {
    let lower = text.to_lowercase().replace(['\u{2013}', '\u{2014}'], "-");
    if let Some(year) = parse_year(&lower) {
        return Some((Date::new(year, 1, 1)?, Date::new(year, 12, 31)?, false));
    }
    let (from, to) = lower
        .split_once(" to ")
        .or_else(|| lower.split_once(" - "))
        .or_else(|| lower.split_once('-'))
        .or_else(|| lower.split_once('/'))?;
    let (from, to) = (from.trim(), to.trim());
    if let (Some(start), Some(end)) = (parse_year(from), end_year(from, to)) {
        // A plan or strategy spans one to ten years.
        return (1..=10)
            .contains(&(end - start))
            .then(|| Some((Date::new(start, 4, 1)?, Date::new(end, 3, 31)?, true)))?;
    }
    let month_year = |w: &str| match parse_point(&w.split_whitespace().collect::<Vec<_>>()) {
        Some(When::Month { year, month }) => Some((year, month)),
        _ => None,
    };
    let ((y0, m0), (y1, m1)) = (month_year(from)?, month_year(to)?);
    let start = Date::new(y0, m0, 1)?;
    let end = Date::new(y1, m1, days_in_month(y1, m1))?;
    (end > start).then_some((start, end, false))
}

/// The second year of "2012-13" or "2012-2014".
fn end_year(start: &str, end: &str) -> Option<i32> {
    if end.len() == 2 {
        let century = parse_year(start)? / 100 * 100;
        let short: i32 = end.parse().ok()?;
        let mut year = century + short;
        if year <= parse_year(start)? {
            year += 100;
        }
        Some(year)
    } else {
        parse_year(end)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_written_as_the_formatter_pads_them() {
        use super::{Date, Dated, When, machine};
        let years = [-10_000, -1, 0, 7, 99, 999, 2012, 9999, 10_000, 123_456];
        for year in years {
            assert_eq!(machine(&When::Year(year)), format!("{year:04}"));
            for month in [0, 1, 9, 10, 12, 99, 100, 255] {
                assert_eq!(
                    machine(&When::Month { year, month }),
                    format!("{year:04}-{month:02}")
                );
                let month_only = Dated {
                    date: Date {
                        year,
                        month,
                        day: 1,
                    },
                    month_only: true,
                };
                assert_eq!(month_only.to_string(), format!("{year:04}-{month:02}"));
                for day in [0, 1, 9, 31, 99, 100, 255] {
                    let date = Date { year, month, day };
                    let padded = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(date.to_string(), padded);
                    assert_eq!(machine(&When::Date(date)), padded);
                    assert_eq!(
                        serde_json::to_string(&date).unwrap(),
                        format!("\"{padded}\"")
                    );
                }
            }
        }
    }

    #[test]
    fn published_dates_can_be_a_month() {
        use super::Dated;
        let month = |t: &str| Dated::parse(t).map(|d| d.to_string());
        assert_eq!(month("April 2017").as_deref(), Some("2017-04"));
        assert_eq!(month("2017-04").as_deref(), Some("2017-04"));
        assert_eq!(month("12 April 2017").as_deref(), Some("2017-04-12"));
        assert_eq!(month("2017-04-12").as_deref(), Some("2017-04-12"));
        assert!(Dated::parse("2017-4").is_none());
        assert!(Dated::parse("31 April 2017").is_none());
        assert!(Dated::parse("Spring 2017").is_none());
        let at = |t: &str| Dated::parse(t).unwrap();
        assert!(!at("April 2017").is_before(&at("2017-04-12")));
        assert!(!at("2017-04-12").is_before(&at("April 2017")));
        assert!(at("2017-04-11").is_before(&at("2017-04-12")));
        assert!(at("March 2017").is_before(&at("2017-04-01")));
    }

    #[test]
    fn overdue_is_said_in_months() {
        let d = |y, m, day| super::Date::new(y, m, day).unwrap();
        assert_eq!(
            super::overdue_words(d(2013, 3, 1), d(2013, 3, 31)),
            "less than a month overdue"
        );
        assert_eq!(
            super::overdue_words(d(2012, 12, 31), d(2013, 3, 31)),
            "3 months overdue"
        );
        assert_eq!(
            super::overdue_words(d(2013, 2, 28), d(2013, 3, 31)),
            "1 month overdue"
        );
    }

    #[test]
    fn timescales_are_due_by_their_last_day() {
        let due = |t: &str| {
            super::Timescale::parse(t)
                .unwrap()
                .due_by()
                .map(|d| d.to_string())
        };
        assert_eq!(due("Dec 2012").as_deref(), Some("2012-12-31"));
        assert_eq!(due("February 2012").as_deref(), Some("2012-02-29"));
        assert_eq!(due("2013").as_deref(), Some("2013-12-31"));
        assert_eq!(due("Q1 2013").as_deref(), Some("2013-03-31"));
        assert_eq!(due("Q1 2012/13").as_deref(), Some("2012-06-30"));
        assert_eq!(due("Q4 2012/13").as_deref(), Some("2013-03-31"));
        assert_eq!(due("Ongoing"), None);
        assert_eq!(due("July 2010 onwards"), None);
    }

    use super::*;

    fn when(text: &str) -> When {
        Timescale::parse(text).unwrap().when
    }

    #[test]
    fn months_with_years_in_every_spelling() {
        assert_eq!(
            when("March 2013"),
            When::Month {
                year: 2013,
                month: 3
            }
        );
        assert_eq!(
            when("Dec 2012"),
            When::Month {
                year: 2012,
                month: 12
            }
        );
        assert_eq!(
            when("Sept 2012"),
            When::Month {
                year: 2012,
                month: 9
            }
        );
        assert_eq!(
            when("by January 2013"),
            When::Month {
                year: 2013,
                month: 1
            }
        );
        assert_eq!(
            when("2013-03"),
            When::Month {
                year: 2013,
                month: 3
            }
        );
    }

    #[test]
    fn onwards_in_both_phrasings() {
        let july = Box::new(When::Month {
            year: 2010,
            month: 7,
        });
        assert_eq!(when("July 2010 onwards"), When::From(july.clone()));
        assert_eq!(when("From July 2010 onwards"), When::From(july.clone()));
        assert_eq!(when("from July 2010"), When::From(july));
    }

    #[test]
    fn ongoing_month_only_dates_years_quarters() {
        assert_eq!(when("Ongoing"), When::Ongoing);
        assert_eq!(when("On-going"), When::Ongoing);
        assert_eq!(when("October"), When::MonthOnly { month: 10 });
        assert_eq!(
            when("2013-03-31"),
            When::Date(Date::new(2013, 3, 31).unwrap())
        );
        assert_eq!(
            when("21st October 2010"),
            When::Date(Date::new(2010, 10, 21).unwrap())
        );
        assert_eq!(when("2013"), When::Year(2013));
        assert_eq!(
            when("Q3 2012"),
            When::Quarter {
                year: 2012,
                quarter: 3
            }
        );
        assert_eq!(
            when("Q1 2012/13"),
            When::FinancialQuarter {
                start_year: 2012,
                quarter: 1
            }
        );
    }

    #[test]
    fn keeps_the_wording_and_gives_a_machine_form() {
        let t = Timescale::parse("  From July 2010 onwards ").unwrap();
        assert_eq!(t.text, "From July 2010 onwards");
        assert_eq!(t.machine(), "from 2010-07");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        for bad in [
            "",
            "soon",
            "2013-02-30",
            "Q5 2012",
            "Marchh 2013",
            "13/2013",
            "Q1 2012/15",
            "ma 2013",
        ] {
            assert!(Timescale::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn periods_in_the_forms_plans_use() {
        let p = Period::parse("2012-2013").unwrap();
        assert_eq!(
            (p.start.to_string(), p.end.to_string()),
            ("2012-04-01".into(), "2013-03-31".into())
        );
        assert!(p.financial);
        for text in ["2012-13", "2012/13", "2012 to 2013", "2012–13"] {
            assert_eq!(
                Period::parse(text).unwrap().end,
                Date::new(2013, 3, 31).unwrap(),
                "{text}"
            );
        }
        assert_eq!(
            Period::parse("2015 to 2018").unwrap().start,
            Date::new(2015, 4, 1).unwrap()
        );
        assert_eq!(Period::parse("2099-00").unwrap().end.year, 2100);
        let months = Period::parse("April 2012 to March 2014").unwrap();
        assert_eq!(months.end, Date::new(2014, 3, 31).unwrap());
        assert!(!months.financial);
        let year = Period::parse(" 2013 ").unwrap();
        assert_eq!(
            (year.text.as_str(), year.start.month, year.end.day),
            ("2013", 1, 31)
        );
        for bad in [
            "",
            "soon",
            "2013-2012",
            "2013-13",
            "2025-2026 <b>",
            "March 2014 to April 2012",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
