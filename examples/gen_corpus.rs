//! Writes a deterministic benchmark site: B boards × D documents, each
//! document with five Markdown sections (about 1,200 words in all), about 60
//! milestones across four priorities (each with an id, a lead and a
//! monitoring group), and two data series shown as charts. Each board's
//! members are three agencies with their leads, and one monitoring group
//! is written two ways (an alias).
//!
//! `cargo run --release --example gen_corpus -- --boards 150 --docs 10 --out /dev/shm/national`
//! gives the national scale: 1,500 documents, ~90,000 milestones, 3,000 charts.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

const WORDS: &[&str] = &[
    "safeguarding",
    "children",
    "partners",
    "practice",
    "assurance",
    "learning",
    "review",
    "families",
    "neglect",
    "exploitation",
    "audit",
    "training",
    "the",
    "board",
    "will",
    "and",
    "of",
    "to",
    "in",
    "with",
    "early",
    "help",
    "multi-agency",
    "evidence",
    "impact",
    "voice",
    "young",
    "people",
    "schools",
    "police",
    "health",
    "council",
    "improve",
    "develop",
    "ensure",
    "quality",
    "data",
    "thresholds",
];
const LEADS: &[&str] = &[
    "Independent Chair",
    "QA Sub-group",
    "Learning and Development Sub-group",
    "Business Manager",
    "Designated Nurse",
    "Detective Inspector, Public Protection",
    "Head of Early Help",
    "CDOP Chair",
];
/// Monitoring groups, one written as an alias of another (board.yaml).
const MONITORS: &[&str] = &[
    "QA Sub-group",
    "Quality Assurance Sub-group",
    "Executive Group",
];
const STATUSES: &[&str] = &["blue", "red", "amber", "green"];
const MONTHS: &[&str] = &["April", "June", "September", "December", "March", "Ongoing"];

/// A small deterministic generator (no dependency, same output everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.pick(WORDS)).collect();
        let first = s[0].to_string();
        let capital = first[..1].to_uppercase() + &first[1..];
        s[0] = &capital;
        format!("{}.", s.join(" "))
    }
}

/// Write the whole site under `out` (which must not exist or be empty).
pub fn generate(out: &Path, boards: usize, docs: usize) -> io::Result<()> {
    let mut rng = Rng(0x5eed);
    fs::create_dir_all(out.join("content/boards"))?;
    fs::write(
        out.join("content/site.yaml"),
        "title: Safeguarding plans in England (benchmark corpus)\n",
    )?;
    for b in 0..boards {
        let dir = out.join(format!("content/boards/board-{b:03}"));
        fs::create_dir_all(dir.join("data"))?;
        fs::write(dir.join("board.yaml"), board_yaml(b))?;
        for (name, base) in [("cp-plans", 40.0), ("looked-after", 60.0)] {
            fs::write(dir.join(format!("data/{name}.yaml")), series_yaml(name))?;
            fs::write(
                dir.join(format!("data/{name}.csv")),
                series_csv(&mut rng, base),
            )?;
        }
        for d in 0..docs {
            write_document(
                &dir.join(format!("documents/plan-{}", 2010 + d)),
                2010 + d,
                &mut rng,
            )?;
        }
    }
    Ok(())
}

fn board_yaml(b: usize) -> String {
    format!(
        "name: Board {b:03} Safeguarding Children Partnership\nshort_name: B{b:03}\nareas: [Area {b:03}]\n\
         vision: Every child in Area {b:03} is safe and heard.\nprinciples:\n  - lead: Child-centred\n    text: we hear the child.\n\
         glossary:\n  - term: CP\n    meaning: Child protection\n\
         members:\n  - name: Area {b:03} Council\n    id: council\n    sector: Local authority\n    leads: [Head of Early Help, Business Manager]\n\
         \x20 - name: Area {b:03} Police\n    id: police\n    sector: Police\n    leads: [\"Detective Inspector, Public Protection\"]\n\
         \x20 - name: Area {b:03} Health Trust\n    id: health\n    sector: Health\n    leads: [Designated Nurse, CDOP Chair]\n\
         leads:\n  - name: QA Sub-group\n    aliases: [Quality Assurance Sub-group]\n\
         accessibility:\n  contact: access@board{b:03}.example.org\n"
    )
}

fn series_yaml(name: &str) -> String {
    format!(
        "title: The {name} rate changed over ten years\nmeasure: rate-per-10000\nsource: Illustrative figures\n\
         areas:\n  - column: local\n    label: This area\n  - column: neighbours\n    label: Statistical neighbours\n    role: neighbours\n  - column: england\n    label: England\n    role: england\n"
    )
}

fn series_csv(rng: &mut Rng, base: f64) -> String {
    let mut csv = String::from("period,local,neighbours,england\n");
    for year in 2014..2025 {
        let v = |r: &mut Rng| base + (r.next() % 300) as f64 / 10.0;
        let _ = writeln!(csv, "{year},{:.1},{:.1},{:.1}", v(rng), v(rng), v(rng));
    }
    csv
}

fn write_document(dir: &Path, year: usize, rng: &mut Rng) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("document.yaml"),
        format!(
            "title: Business Plan {year}-{}\nkind: business-plan\nperiod: \"{year}-{}\"\npublished: {year}-04-01\nas_at: {year}-09-30\n\
             charts: [cp-plans, looked-after]\nstatus_key:\n  title: BRAG rating\n  statuses:\n    - {{id: blue, label: Blue, meaning: Not yet started}}\n    - {{id: red, label: Red, meaning: Will not be achieved}}\n    - {{id: amber, label: Amber, meaning: At risk}}\n    - {{id: green, label: Green, meaning: On track}}\n",
            year + 1,
            (year + 1) % 100
        ),
    )?;
    for (i, title) in [
        "Foreword",
        "Introduction",
        "Context",
        "Achievements",
        "Learning from reviews",
    ]
    .iter()
    .enumerate()
    {
        let mut body = format!("---\ntitle: {title}\norder: {}\n---\n", (i + 1) * 10);
        // About 240 words a section: two headed parts of three paragraphs.
        for part in 0..2 {
            let _ = writeln!(body, "\n## Part {}\n", part + 1);
            for _ in 0..3 {
                let _ = writeln!(
                    body,
                    "{} {} {}\n",
                    rng.sentence(14),
                    rng.sentence(12),
                    rng.sentence(14)
                );
            }
        }
        fs::write(dir.join(format!("{}-section.md", (i + 1) * 10)), body)?;
    }
    fs::write(dir.join("plan.yaml"), plan_yaml(year, rng))
}

fn plan_yaml(year: usize, rng: &mut Rng) -> String {
    let mut y = String::from("title: Our priorities\norder: 35\npriorities:\n");
    for p in 1..=4 {
        let _ = write!(
            y,
            "  - id: p{p}\n    number: \"{p}\"\n    title: {}\n    objectives:\n",
            rng.sentence(6).trim_end_matches('.')
        );
        for o in 1..=3 {
            let _ = write!(
                y,
                "      - number: \"{p}.{o}\"\n        title: {}\n        milestones:\n",
                rng.sentence(8).trim_end_matches('.')
            );
            for m in 1..=5 {
                let month = rng.pick(MONTHS);
                let when = if month == "Ongoing" {
                    month.to_string()
                } else {
                    format!("{month} {}", year + 1)
                };
                let _ = write!(
                    y,
                    "          - id: m{p}-{o}-{m}\n            text: {}\n            leads: [\"{}\"]\n            monitored_by: [\"{}\"]\n            timescale: {when}\n            status: {}\n",
                    rng.sentence(16),
                    rng.pick(LEADS),
                    rng.pick(MONITORS),
                    rng.pick(STATUSES)
                );
            }
        }
    }
    y
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(boards), Some(docs), Some(out)) =
        (value("--boards"), value("--docs"), value("--out"))
    else {
        eprintln!("usage: gen_corpus --boards B --docs D --out DIR");
        std::process::exit(2);
    };
    let (Ok(boards), Ok(docs)) = (boards.parse(), docs.parse()) else {
        eprintln!("--boards and --docs take whole numbers");
        std::process::exit(2);
    };
    let out = Path::new(&out);
    if out.exists()
        && fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("{} is not empty; choose a new folder", out.display());
        std::process::exit(2);
    }
    match generate(out, boards, docs) {
        Ok(()) => println!(
            "wrote {boards} boards × {docs} documents to {}",
            out.display()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
