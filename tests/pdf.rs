//! PDFs checked with real tools (poppler's pdfinfo and pdftotext, qpdf):
//! A4 pages, every milestone and lead in the text, contents page numbers
//! that match the pages, bookmarks, no blank pages. Engine failures (missing,
//! crashing, hanging) are tested with stand-in engines and leave no file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use boardpress::pdf::{EngineChoice, PdfOptions};
use boardpress::{BuildOptions, Error, build};
use common::*;

/// Run a tool (found by [`tools`]) and return what it printed.
fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run {cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn page_text(pdf: &str, page: usize) -> String {
    run(
        "pdftotext",
        &["-f", &page.to_string(), "-l", &page.to_string(), pdf, "-"],
    )
}

/// A page's text as laid out: a contents line keeps its number.
fn page_layout(pdf: &str, page: usize) -> String {
    run(
        "pdftotext",
        &[
            "-layout",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            pdf,
            "-",
        ],
    )
}

fn build_example_pdf(engine: EngineChoice) -> (tempfile::TempDir, PathBuf) {
    let (dir, pdf, _) = build_example_pdf_saying(engine);
    (dir, pdf)
}

/// The example's plan as a PDF, with the build's warnings as printed.
fn build_example_pdf_saying(engine: EngineChoice) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let mut opts = BuildOptions::new(Some(repo()), Some(out.clone()));
    opts.pdf = Some(PdfOptions {
        engine,
        ..PdfOptions::default()
    });
    let report = build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = report
        .warnings
        .warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    let pdf = out.join("business-plan-2012-13/business-plan-2012-13.pdf");
    assert!(pdf.is_file());
    (dir, pdf, warnings.join("\n"))
}

#[test]
fn the_example_pdf_is_a4_complete_and_navigable() {
    let test = "the_example_pdf_is_a4_complete_and_navigable";
    if tools(
        test,
        ["weasyprint", "pdfinfo", "pdftotext", "pdffonts", "qpdf"],
    )
    .is_none()
    {
        return;
    }
    let (_tmp, pdf) = build_example_pdf(EngineChoice::WeasyPrint);
    let pdf = pdf.to_str().unwrap();
    let info = run("pdfinfo", &[pdf]);
    assert!(info.contains("(A4)"), "{info}");
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    assert!(
        info.contains("Author:          Herefordshire Safeguarding Children Board"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((8..=40).contains(&pages), "{pages} pages");

    // Every milestone's text and lead. Compared without spaces: pdftotext
    // may break a line inside a word where the font changes (italics).
    let squash = |s: &str| normalise(s).replace(' ', "");
    let text = squash(&run("pdftotext", &["-raw", pdf, "-"]));
    let tsv = fs::read_to_string(repo().join("tests/expected/herefordshire.tsv")).unwrap();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            text.contains(&squash(cols[1])),
            "milestone missing from the PDF: {}",
            cols[1]
        );
        for lead in cols[2].split("; ") {
            assert!(text.contains(&squash(lead)), "lead missing: {lead}");
        }
    }

    // Table captions are for the web page's screen readers: none is laid
    // out on paper, where its words were interleaved with the first row's.
    assert!(
        !text.contains(&squash("Key milestones:")),
        "a visually hidden caption reached the PDF's text"
    );
    // One family throughout, running headers and footers included.
    let fonts = run("pdffonts", &[pdf]);
    for line in fonts.lines().skip(2) {
        let name = line.split_whitespace().next().unwrap_or_default();
        let name = name.split_once('+').map_or(name, |(_, n)| n);
        assert!(
            name.starts_with("Liberation-Sans"),
            "font {name} in the PDF:\n{fonts}"
        );
    }

    // No blank pages.
    for p in 1..=pages {
        assert!(!page_text(pdf, p).trim().is_empty(), "page {p} is blank");
    }

    contents_numbers_are_right(pdf);
    running_headers_name_the_part(pdf);

    // Bookmarks for every section and priority.
    let outline = run("qpdf", &["--json=2", "--json-key=outlines", pdf]);
    for title in [
        "Foreword by the Independent Chair",
        "Context",
        "Multi-agency safeguarding arrangements",
        "Joint safeguarding arrangements",
    ] {
        assert!(outline.contains(title), "no bookmark for {title}");
    }
}

/// The contents page's numbers point at the pages the headings are on.
fn contents_numbers_are_right(pdf: &str) {
    let contents = page_layout(pdf, 2);
    let mut checked = 0;
    for line in contents.lines() {
        let Some((title, number)) = line.trim_end().rsplit_once(' ') else {
            continue;
        };
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        // WeasyPrint's leader is dots; Chromium's is a dotted rule, which
        // pdftotext gives as spaces.
        let title = title.split(" .").next().unwrap_or(title).trim();
        if title.is_empty() || title.starts_with("Page ") {
            continue;
        }
        let on_page = normalise(&page_text(pdf, number));
        // A priority's heading shows its number and title on separate lines.
        let heading = title.rsplit_once(": ").map_or(title, |(_, t)| t);
        assert!(
            on_page.contains(&normalise(heading)),
            "contents says {title:?} is on page {number}"
        );
        checked += 1;
    }
    assert!(
        checked >= 8,
        "only {checked} contents entries had page numbers:\n{contents}"
    );
}

/// Every page after the cover is headed by the document's title and the
/// part it belongs to.
fn running_headers_name_the_part(pdf: &str) {
    let contents = page_layout(pdf, 2);
    let first_line = |p: usize| {
        page_layout(pdf, p)
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(normalise)
            .unwrap_or_default()
    };
    assert_eq!(
        first_line(2),
        "Business Plan 2012-2013 Contents",
        "{contents}"
    );
    let foreword = contents
        .lines()
        .find(|l| l.contains("Foreword by the Independent Chair"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse::<usize>().ok())
        .expect("the foreword in the contents");
    assert_eq!(
        first_line(foreword),
        "Business Plan 2012-2013 Foreword by the Independent Chair"
    );
}

#[test]
fn chromium_makes_a_pdf_too() {
    if tools(
        "chromium_makes_a_pdf_too",
        ["chromium", "pdfinfo", "pdftotext"],
    )
    .is_none()
    {
        return;
    }
    let (_tmp, pdf, warnings) = build_example_pdf_saying(EngineChoice::Chromium);
    // What Chromium cannot do, the build says.
    assert!(
        warnings.contains("made by Chromium, which leaves out the PDF/UA mark"),
        "{warnings}"
    );
    assert!(!warnings.contains("the PDF was made, but"), "{warnings}");
    let pdf = pdf.to_str().unwrap();
    let info = run("pdfinfo", &[pdf]);
    assert!(info.contains("Page size:       59"), "{info}");
    assert!(
        info.contains("Author:          Herefordshire Safeguarding Children Board"),
        "{info}"
    );
    assert!(
        info.contains("Subject:         Business plan, 2012-2013"),
        "{info}"
    );
    let text = normalise(&run("pdftotext", &["-raw", pdf, "-"]));
    assert!(text.contains("Model for Herefordshire MASH agreed."));
    contents_numbers_are_right(pdf);
    running_headers_name_the_part(pdf);
}

/// Chromium gets the document page as a file URL: a site folder whose name holds
/// `%`, `?`, `#`, spaces and non-ASCII letters must still reach it, with its
/// stylesheet (A4 pages), not an error page.
#[test]
fn chromium_reads_a_site_whose_path_needs_escaping() {
    let test = "chromium_reads_a_site_whose_path_needs_escaping";
    if tools(test, ["chromium", "pdfinfo", "pdftotext"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("Ynys Môn 100% #1 ?draft");
    boardpress::init::init(&root).unwrap();
    let out = root.join("output");
    let mut opts = BuildOptions::new(Some(root.clone()), Some(out.clone()));
    opts.pdf = Some(PdfOptions {
        engine: EngineChoice::Chromium,
        ..PdfOptions::default()
    });
    build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let pdf = out.join("business-plan-2025-26/business-plan-2025-26.pdf");
    let pdf = pdf.to_str().unwrap();
    let info = run("pdfinfo", &[pdf]);
    assert!(
        info.contains("Page size:       59"),
        "A4, from print.css: {info}"
    );
    let text = normalise(&run("pdftotext", &["-raw", pdf, "-"]));
    assert!(
        text.contains("Train 200 practitioners in the neglect toolkit."),
        "{text}"
    );
}

#[cfg(unix)]
mod failing_engines {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in for WeasyPrint: a shell script given the same arguments
    /// (`--pdf-variant=… --quiet SOURCE TARGET`).
    fn fake_engine(dir: &Path, body: &str) -> PathBuf {
        let path = dir.join("fake-weasyprint");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn pdf_with(
        engine: PathBuf,
        timeout: Duration,
    ) -> (
        tempfile::TempDir,
        PathBuf,
        Result<boardpress::BuildReport, Error>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        boardpress::init::init(&root).unwrap();
        let out = root.join("output");
        let mut opts = BuildOptions::new(Some(root), Some(out.clone()));
        opts.pdf = Some(PdfOptions {
            engine: EngineChoice::WeasyPrint,
            weasyprint: Some(engine),
            timeout,
            ..PdfOptions::default()
        });
        let result = build(&opts);
        (dir, out.join("business-plan-2025-26"), result)
    }

    fn leftovers(folder: &Path) -> Vec<String> {
        fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(".pdf"))
            .collect()
    }

    #[test]
    fn a_missing_engine_says_what_to_install() {
        let (_tmp, folder, result) = pdf_with(
            PathBuf::from("/nonexistent/weasyprint"),
            Duration::from_secs(5),
        );
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("WeasyPrint was not found")
                && message.contains("pip install weasyprint"),
            "{message}"
        );
        assert!(leftovers(&folder).is_empty());
    }

    #[test]
    fn a_crashing_engine_leaves_no_partial_pdf() {
        let tmp = tempfile::tempdir().unwrap();
        let engine = fake_engine(
            tmp.path(),
            "printf '%%PDF-1.7 half a file' > \"$4\"\necho 'Fontconfig error: out of cheese' >&2\nexit 3",
        );
        let (_site, folder, result) = pdf_with(engine, Duration::from_secs(5));
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("WeasyPrint failed") && message.contains("out of cheese"),
            "{message}"
        );
        assert!(leftovers(&folder).is_empty(), "{:?}", leftovers(&folder));
    }

    #[test]
    fn an_engine_that_writes_no_pdf_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let engine = fake_engine(tmp.path(), "echo 'not a pdf' > \"$4\"\nexit 0");
        let (_site, folder, result) = pdf_with(engine, Duration::from_secs(5));
        assert!(result.unwrap_err().to_string().contains("not a PDF"));
        assert!(leftovers(&folder).is_empty());
    }

    #[test]
    fn a_hung_engine_is_stopped_with_everything_it_started() {
        let tmp = tempfile::tempdir().unwrap();
        // The engine starts a helper of its own, then hangs.
        let engine = fake_engine(
            tmp.path(),
            "sleep 37.25 &\nprintf '%%PDF-' > \"$4\"\nsleep 38.25",
        );
        let start = Instant::now();
        let (_site, folder, result) = pdf_with(engine, Duration::from_secs(1));
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("took longer than 1 s and was stopped"),
            "{message}"
        );
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(leftovers(&folder).is_empty(), "{:?}", leftovers(&folder));
        std::thread::sleep(Duration::from_millis(200));
        let survivors = Command::new("pgrep")
            .args(["-f", "sleep 37.25"])
            .output()
            .unwrap();
        assert!(
            survivors.stdout.is_empty(),
            "the engine's helper outlived it"
        );
    }
}

#[test]
fn a_plain_build_keeps_the_pdfs_of_published_documents() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let out = root.join("output");
    let opts = BuildOptions::new(Some(root.clone()), Some(out.clone()));
    build(&opts).unwrap();
    let pdf = "business-plan-2025-26/business-plan-2025-26.pdf";
    fs::write(out.join(pdf), b"%PDF-1.7 made earlier").unwrap();
    boardpress::site::record(&out, &[pdf]).unwrap();
    build(&opts).unwrap();
    assert!(
        out.join(pdf).is_file(),
        "a rebuild keeps the document's PDF"
    );
    fs::rename(
        root.join("content/documents/business-plan-2025-26"),
        root.join("content/documents/plan-2025"),
    )
    .unwrap();
    let report = root.join("content/documents/annual-report-2025-26/document.yaml");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replace("plan: business-plan-2025-26", "plan: plan-2025"),
    )
    .unwrap();
    build(&opts).unwrap();
    assert!(
        !out.join(pdf).exists(),
        "the PDF of a document no longer published is removed"
    );
}

#[test]
fn an_unknown_document_name_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    boardpress::init::init(&root).unwrap();
    let out = root.join("output");
    build(&BuildOptions::new(Some(root.clone()), Some(out.clone()))).unwrap();
    let before = fs::read(out.join("business-plan-2025-26/index.html")).unwrap();
    let mut opts = BuildOptions::new(Some(root), Some(out.clone()));
    opts.pdf = Some(PdfOptions {
        documents: vec!["plan-2024".into()],
        ..PdfOptions::default()
    });
    let message = build(&opts).unwrap_err().to_string();
    assert!(
        message.contains("no document `plan-2024`") && message.contains("business-plan-2025-26"),
        "{message}"
    );
    assert_eq!(
        fs::read(out.join("business-plan-2025-26/index.html")).unwrap(),
        before,
        "no PDF link was added"
    );
}
