//! Figures quoted in prose: `{{value SERIES AREA PERIOD}}` becomes the
//! figure as the series' chart table shows it, `{{change SERIES AREA
//! PERIOD}}` the change from the period before, in words ("down 13 from 113
//! in 2024"). AREA is a role (`local`, `neighbours`, `region`, `england`) or
//! an area's label as the legend shows it, in quotes when it has spaces;
//! typographic quotes count, since smart punctuation makes them.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::{CODES, Cell, Dataset, Measure, Role, Series, format_number};
use crate::diagnostics::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Value,
    Change,
}

/// A figure reference as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Directive {
    pub kind: Kind,
    pub series: String,
    pub area: String,
    pub period: String,
}

/// A `{{…}}` in a run of text: its byte range, and what it says or why it
/// cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub directive: Result<Directive, Problem>,
}

/// What is wrong, and how to put it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub message: String,
    pub help: String,
}

fn problem(message: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        help: help.into(),
    }
}

const FORM: &str = "write {{value SERIES AREA PERIOD}} or {{change SERIES AREA PERIOD}}, e.g. {{value cla-rate local 2025}}; put an area's name in quotes when it has spaces. To show braces as they are, put them in backticks";

const QUOTES: [char; 3] = ['"', '\u{201c}', '\u{201d}'];

/// Every `{{…}}` in `text`, in order.
pub(super) fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let inner_start = start + 2;
        let Some(j) = text[inner_start..].find("}}") else {
            found.push(Found {
                start,
                end: text.len(),
                directive: Err(problem("this figure reference has no closing `}}`", FORM)),
            });
            break;
        };
        let end = inner_start + j + 2;
        found.push(Found {
            start,
            end,
            directive: parse(&text[inner_start..inner_start + j]),
        });
        from = end;
    }
    found
}

/// The words inside the braces.
pub(super) fn parse(inner: &str) -> Result<Directive, Problem> {
    let words = split(inner)?;
    let shown = format!("{{{{{}}}}}", inner.trim());
    let kind = match words.first().map(String::as_str) {
        Some("value") => Kind::Value,
        Some("change") => Kind::Change,
        Some(other) => {
            let help = did_you_mean(other, &["value", "change"])
                .map_or_else(|| FORM.to_string(), |d| format!("{d} {FORM}"));
            return Err(problem(
                format!(
                    "`{shown}` is not a figure reference: it must start with `value` or `change`"
                ),
                help,
            ));
        }
        None => return Err(problem("`{{}}` is an empty figure reference", FORM)),
    };
    let [_, series, area, period] = <[String; 4]>::try_from(words).map_err(|words| {
        let what = match words.len() {
            1 => "the series, the area and the period are missing".to_string(),
            2 => "the area and the period are missing".to_string(),
            3 => "the period is missing".to_string(),
            n => format!(
                "it has {n} parts where it needs 4 (an area's name with spaces needs quotes)"
            ),
        };
        problem(format!("cannot read `{shown}`: {what}"), FORM)
    })?;
    Ok(Directive {
        kind,
        series,
        area,
        period,
    })
}

/// Words split at whitespace; a word in quotes (straight or typographic)
/// may hold spaces.
fn split(inner: &str) -> Result<Vec<String>, Problem> {
    let mut words = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if QUOTES.contains(&c) {
            chars.next();
            let mut word = String::new();
            loop {
                match chars.next() {
                    Some(q) if QUOTES.contains(&q) => break,
                    Some(c) => word.push(c),
                    None => {
                        return Err(problem(
                            format!(
                                "the quoted name `{c}{word}` in a figure reference has no closing quote"
                            ),
                            FORM,
                        ));
                    }
                }
            }
            words.push(word.split_whitespace().collect::<Vec<_>>().join(" "));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(word);
        }
    }
    Ok(words)
}

/// The words a directive stands for; `Ok(None)` for a series whose file
/// had mistakes, already reported, so the directive is left as it is.
pub(super) fn resolve(
    d: &Directive,
    datasets: &BTreeMap<String, Dataset>,
    broken: &BTreeSet<String>,
) -> Result<Option<String>, Problem> {
    if broken.contains(&d.series) {
        return Ok(None);
    }
    let Some(ds) = datasets.get(&d.series) else {
        let known: Vec<&str> = datasets.keys().map(String::as_str).collect();
        let help = did_you_mean(&d.series, &known).unwrap_or_else(|| match known[..] {
            [] => "add the series to the board's data/ folder (a .yaml description beside its figures)".into(),
            _ => format!("the series are: {}", known.join(", ")),
        });
        return Err(problem(
            format!("there is no data series `{}`", d.series),
            help,
        ));
    };
    let series = area(ds, &d.area)?;
    let Some(i) = ds.periods.iter().position(|p| p == d.period.trim()) else {
        let known: Vec<&str> = ds.periods.iter().map(String::as_str).collect();
        let list = format!("the periods of `{}` are: {}", ds.id, known.join(", "));
        let help = match did_you_mean(&d.period, &known) {
            Some(d) => format!("{d} ({list})"),
            None => list,
        };
        return Err(problem(
            format!("the series `{}` has no period `{}`", ds.id, d.period),
            help,
        ));
    };
    let m = ds.spec.measure;
    let now = figure(ds, series, i, "")?;
    match d.kind {
        Kind::Value => Ok(Some(m.format(now))),
        Kind::Change => {
            let Some(before_i) = i.checked_sub(1) else {
                return Err(problem(
                    format!(
                        "`{}` starts in {}, so there is no earlier period to give the change from",
                        ds.id, ds.periods[i]
                    ),
                    "quote a later period, or give the figure itself with {{value …}}",
                ));
            };
            let before = figure(
                ds,
                series,
                before_i,
                &format!(", the period before {}", ds.periods[i]),
            )?;
            Ok(Some(change(m, now, before, &ds.periods[before_i])))
        }
    }
}

/// The series an area names: a role's first area, or a label.
fn area<'a>(ds: &'a Dataset, name: &str) -> Result<&'a Series, Problem> {
    let role = match name {
        "local" => Some(Role::Local),
        "neighbours" => Some(Role::Neighbours),
        "region" => Some(Role::Region),
        "england" => Some(Role::England),
        _ => None,
    };
    let plain = |s: &str| s.replace(['\u{2018}', '\u{2019}'], "'");
    let found = role
        .and_then(|r| ds.series.iter().find(|s| s.role == r))
        .or_else(|| ds.series.iter().find(|s| plain(&s.label) == plain(name)));
    found.ok_or_else(|| {
        let roles: Vec<&str> = ds.series.iter().filter_map(|s| role_word(s.role)).collect();
        let mut roles = roles;
        roles.dedup();
        let labels: Vec<String> = ds
            .series
            .iter()
            .map(|s| format!("\"{}\"", s.label))
            .collect();
        let names: Vec<&str> = ds
            .series
            .iter()
            .map(|s| s.label.as_str())
            .chain(roles.iter().copied())
            .collect();
        let hint = did_you_mean(name, &names)
            .map(|d| format!("{d} "))
            .unwrap_or_default();
        let by_role = if roles.is_empty() {
            String::new()
        } else {
            format!("{}, or ", roles.join(", "))
        };
        problem(
            format!("the series `{}` has no area `{name}`", ds.id),
            format!(
                "{hint}its areas are: {by_role}by name {}",
                labels.join(", ")
            ),
        )
    })
}

fn role_word(role: Role) -> Option<&'static str> {
    match role {
        Role::Local => Some("local"),
        Role::Neighbours => Some("neighbours"),
        Role::Region => Some("region"),
        Role::England => Some("england"),
        Role::Other => None,
    }
}

/// The figure of `series` in period `i`, or why there is none; `which`
/// says more about the period.
fn figure(ds: &Dataset, series: &Series, i: usize, which: &str) -> Result<f64, Problem> {
    match series.cells.get(i) {
        Some(Cell::Value(v)) => Ok(*v),
        Some(Cell::Missing(code)) if !code.is_empty() => {
            let why = CODES
                .iter()
                .find(|(c, _)| c == code)
                .map_or("not available", |(_, w)| w);
            Err(problem(
                format!(
                    "`{}` has no figure for {} in {}{which}: {why} (shown as \u{201c}{code}\u{201d} in the source)",
                    ds.id, series.label, ds.periods[i]
                ),
                "quote a period or area that has a figure, or write the sentence without it",
            ))
        }
        _ => Err(problem(
            format!(
                "`{}` has no figure for {} in {}{which}",
                ds.id, series.label, ds.periods[i]
            ),
            "quote a period or area that has a figure, or write the sentence without it",
        )),
    }
}

/// "down 13 from 113 in 2024", "up 2.5 percentage points from 12% in 2024",
/// "unchanged from 2024": worked out from the figures as the table shows
/// them, so the words agree with the table.
pub(super) fn change(m: Measure, now: f64, before: f64, before_period: &str) -> String {
    let shown = |v: f64| (v * 100.0).round() / 100.0;
    let diff = shown(now) - shown(before);
    let amount = format_number(diff.abs());
    if amount == "0" {
        return format!("unchanged from {before_period}");
    }
    let unit = match (m, amount.as_str()) {
        (Measure::Percentage, "1") => " percentage point",
        (Measure::Percentage, _) => " percentage points",
        _ => "",
    };
    let way = if diff > 0.0 { "up" } else { "down" };
    format!(
        "{way} {amount}{unit} from {} in {before_period}",
        m.format(before)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(kind: Kind, series: &str, area: &str, period: &str) -> Directive {
        Directive {
            kind,
            series: series.into(),
            area: area.into(),
            period: period.into(),
        }
    }

    #[test]
    fn directives_are_found_and_read() {
        let text = "Rate {{value cla-rate local 2025}}, {{  change   cla-rate   england 2025 }}.";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(
            &text[found[0].start..found[0].end],
            "{{value cla-rate local 2025}}"
        );
        assert_eq!(
            found[0].directive,
            Ok(d(Kind::Value, "cla-rate", "local", "2025"))
        );
        assert_eq!(
            found[1].directive,
            Ok(d(Kind::Change, "cla-rate", "england", "2025"))
        );
        assert_eq!(found[1].end, text.len() - 1);
    }

    #[test]
    fn quoted_areas_may_have_spaces_and_typographic_quotes() {
        for inner in [
            "value cla-rate \"Statistical neighbours (median)\" 2025",
            "value cla-rate \u{201c}Statistical neighbours (median)\u{201d} 2025",
            "value cla-rate \u{201d}Statistical  neighbours (median)\u{201d} 2025",
        ] {
            assert_eq!(
                parse(inner),
                Ok(d(
                    Kind::Value,
                    "cla-rate",
                    "Statistical neighbours (median)",
                    "2025"
                )),
                "{inner}"
            );
        }
        assert_eq!(
            parse("change cp \"Herefordshire, County of\" \"Q1 2011-12\"")
                .unwrap()
                .period,
            "Q1 2011-12"
        );
    }

    #[test]
    fn malformed_directives_say_what_is_wrong() {
        let msg = |inner: &str| parse(inner).unwrap_err().message;
        assert!(msg("valeu cla local 2025").contains("must start with `value` or `change`"));
        assert!(
            parse("valeu cla local 2025")
                .unwrap_err()
                .help
                .contains("did you mean `value`?")
        );
        assert!(msg("value cla local").contains("the period is missing"));
        assert!(msg("value cla").contains("the area and the period are missing"));
        assert!(msg("value cla Statistical neighbours 2025").contains("it has 5 parts"));
        assert!(msg("value cla \"Statistical 2025").contains("no closing quote"));
        assert!(msg("").contains("empty"));
        let open = find("see {{value cla local 2025 and more");
        assert_eq!(open.len(), 1);
        assert!(
            open[0]
                .directive
                .as_ref()
                .unwrap_err()
                .message
                .contains("no closing `}}`")
        );
        assert!(find("no braces { here } at all").is_empty());
    }

    #[test]
    fn changes_in_words() {
        assert_eq!(
            change(Measure::RatePer10000, 100.0, 113.0, "2024"),
            "down 13 from 113 in 2024"
        );
        assert_eq!(
            change(Measure::Count, 100.0, 96.0, "2024"),
            "up 4 from 96 in 2024"
        );
        assert_eq!(
            change(Measure::Count, 1500.0, 1500.0, "2024"),
            "unchanged from 2024"
        );
        assert_eq!(
            change(Measure::RatePer10000, 40.4, 59.3, "2024"),
            "down 18.9 from 59.3 in 2024"
        );
        assert_eq!(
            change(Measure::Percentage, 14.5, 12.0, "2023-24"),
            "up 2.5 percentage points from 12% in 2023-24"
        );
        assert_eq!(
            change(Measure::Percentage, 11.0, 12.0, "2024"),
            "down 1 percentage point from 12% in 2024"
        );
        assert_eq!(
            change(Measure::Count, 2500.0, 1200.0, "2024"),
            "up 1,300 from 1,200 in 2024"
        );
    }
}
