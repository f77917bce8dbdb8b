//! The standards page: what cites each standard, and each plan's coverage
//! matrix, checked against the citations on the plan's own page.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

const PLAN: &str = "business-plan-2012-14";

/// Standard anchor → milestone links (from the standards page), read from
/// the plan page's citation tags.
fn cited_on_plan(out: &std::path::Path) -> BTreeMap<String, BTreeSet<String>> {
    let plan = page(out, &format!("{PLAN}/index.html"));
    let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (n, row) in plan.select(&sel("table.milestones tbody tr")).enumerate() {
        // Without an id, a milestone is linked by its priority: its place
        // on the page stands for it here.
        let target = match row.value().attr("id") {
            Some(id) => format!("../{PLAN}/index.html#{id}"),
            None => format!("row {n}"),
        };
        for tag in row.select(&sel(".standard-refs a")) {
            let href = tag.value().attr("href").unwrap();
            let anchor = href.rsplit('#').next().unwrap().to_string();
            cited.entry(anchor).or_default().insert(target.clone());
        }
    }
    cited
}

#[test]
fn each_standard_lists_the_milestones_that_cite_it() {
    let (_dir, out) = build_into_temp(&repo().join("tests/sites/city-and-hackney"));
    let standards = page(&out, "standards/index.html");
    let cited = cited_on_plan(&out);
    let mut rows = 0;
    for row in standards.select(&sel("tr[id]")) {
        let anchor = row.value().attr("id").unwrap();
        let listed: BTreeSet<String> = row
            .select(&sel("td li a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .filter(|h| cited.values().flatten().any(|t| t == h))
            .collect();
        let expected: BTreeSet<String> = cited
            .get(anchor)
            .into_iter()
            .flatten()
            .filter(|t| !t.starts_with("row "))
            .cloned()
            .collect();
        assert_eq!(listed, expected, "{anchor}");
        let all = cited.get(anchor).map_or(0, |c| c.len());
        assert_eq!(row.select(&sel("td li a")).count(), all, "{anchor}");
        rows += 1;
    }
    assert_eq!(rows, 21);
    // The board's principles cite standards too.
    let principles = standards
        .select(&sel("tr[id] td li"))
        .filter(|li| text(*li).starts_with("Principle: "))
        .count();
    assert!(principles > 0);
}

#[test]
fn the_matrix_counts_each_plans_citations_by_priority() {
    let (_dir, out) = build_into_temp(&repo().join("tests/sites/city-and-hackney"));
    let standards = page(&out, "standards/index.html");
    let cited = cited_on_plan(&out);
    let matrix = standards.select(&sel("table.coverage")).next().unwrap();
    let mut uncovered = Vec::new();
    for row in matrix.select(&sel("tbody tr")) {
        let anchor = attr_of(row, "th a", "href")
            .trim_start_matches('#')
            .to_string();
        let cells: Vec<String> = row.select(&sel("td")).map(text).collect();
        let (total, per_priority) = cells.split_last().unwrap();
        let sum: usize = per_priority
            .iter()
            .map(|c| c.parse::<usize>().unwrap())
            .sum();
        let expected = cited.get(&anchor).map_or(0, |s| s.len());
        if expected == 0 {
            assert_eq!(total, "Not covered", "{anchor}");
            uncovered.push(anchor);
        } else {
            assert_eq!(total.parse::<usize>().unwrap(), sum, "{anchor}");
            assert_eq!(sum, expected, "{anchor}");
        }
    }
    // The sentence above the matrix names the same uncovered standards.
    let named: Vec<String> = standards
        .select(&sel("table.coverage"))
        .next()
        .map(|_| {
            standards
                .select(&sel("h4 + p a"))
                .map(|a| {
                    a.value()
                        .attr("href")
                        .unwrap()
                        .trim_start_matches('#')
                        .to_string()
                })
                .collect()
        })
        .unwrap();
    assert_eq!(named, uncovered);
    assert!(!uncovered.is_empty());
}
