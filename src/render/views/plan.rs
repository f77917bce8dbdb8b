//! The view of a plan: priorities grouped by family, their objectives and
//! milestones, with status counts and footnote links.

use serde::Serialize;

use super::document::{DocContext, block_options};
use super::priorities;
use super::report::{ReportedProgress, reported, reports_on};
use super::{Rating, StandardIndex, StandardRef};
use crate::diagnostics::Position;
use crate::model::checked::Terms;
use crate::model::checked::{self, Columns, Footnote, Plan};
use crate::render::charts::FigureView;
use crate::render::markdown::Fragment;
use crate::render::markdown::{self, inline};
use crate::render::templates::{Context, RowLayout, Theme, escape_into};
use crate::render::{Problems, template_error};

#[derive(Serialize)]
pub struct PlanView<'a> {
    pub anchor: &'static str,
    pub title: &'a str,
    /// The plan's introduction, with any charts in place.
    pub intro: Vec<Fragment>,
    pub terms: &'a Terms,
    pub key_outcome_area: Option<&'a str>,
    pub matrix: Option<MatrixView<'a>>,
    #[serde(skip_serializing_if = "Groups::unread")]
    pub groups: Groups<'a>,
    /// How many priorities the plan has (the matrix's columns).
    /// The priorities matrix's widest row: what a row across it spans.
    pub matrix_width: usize,
    pub footnotes: Vec<FootnoteView>,
    pub columns: Columns,
    pub any_revised: bool,
    pub any_carried_over: bool,
    /// Milestones by status for each priority (set after the view is built).
    pub status_chart: Option<crate::render::templates::Written<FigureView>>,
    /// The priorities as `priorities.html` renders them, written by
    /// boardpress while that template is the built-in one (see
    /// [`super::priorities`]); none for a theme's own.
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub priorities_html: Option<String>,
}

/// The plan's priorities under their families. Templates are given them
/// unless the built-in `document_body.html` would not read them (its
/// priorities come written, as `priorities_html`, and there is no matrix
/// to draw from them): making every priority, objective and table into
/// Tera's values only to drop them was over a hundredth of a build.
pub struct Groups<'a> {
    list: Vec<FamilyGroup<'a>>,
    unread: bool,
}

impl<'a> Groups<'a> {
    fn unread(&self) -> bool {
        self.unread
    }
}

impl<'a> std::ops::Deref for Groups<'a> {
    type Target = [FamilyGroup<'a>];
    fn deref(&self) -> &[FamilyGroup<'a>] {
        &self.list
    }
}

impl Serialize for Groups<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(serializer)
    }
}

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub title: &'a str,
    pub core_business: &'a [String],
}

#[derive(Serialize)]
pub struct FamilyGroup<'a> {
    pub title: Option<&'a str>,
    pub anchor: Option<&'a str>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub description_html: Option<String>,
    pub priorities: Vec<PriorityView<'a>>,
}

#[derive(Serialize)]
pub struct PriorityView<'a> {
    pub anchor: &'a str,
    pub number: Option<&'a str>,
    pub title: &'a str,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub title_html: String,
    /// Caption for the table of milestones directly under the priority.
    pub caption: String,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub outcome_html: Option<String>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub description_html: Option<String>,
    pub description_label: Option<&'a str>,
    pub description_first: bool,
    pub leads: &'a [String],
    pub footnotes: Vec<FootnoteRef>,
    pub objectives: Vec<ObjectiveView<'a>>,
    /// Its milestones: templates are given them as `milestones_html`.
    #[serde(skip)]
    pub milestones: Vec<MilestoneView<'a>>,
    /// The rows of their table, as [`ROW`] renders them.
    #[serde(serialize_with = "crate::render::templates::html")]
    pub milestones_html: String,
    pub milestone_count: usize,
    pub status_counts: Vec<StatusCount<'a>>,
}

#[derive(Serialize)]
pub struct ObjectiveView<'a> {
    pub anchor: &'a str,
    pub number: Option<&'a str>,
    pub title: &'a str,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub title_html: String,
    /// Caption for the objective's table of milestones.
    pub caption: String,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub description_html: Option<String>,
    pub year: Option<&'a str>,
    #[serde(serialize_with = "crate::render::templates::html_list")]
    pub impact_measures_html: Vec<String>,
    pub carried_over: Option<&'a str>,
    pub footnotes: Vec<FootnoteRef>,
    /// Its milestones: templates are given them as `milestones_html`.
    #[serde(skip)]
    pub milestones: Vec<MilestoneView<'a>>,
    /// The rows of their table, as [`ROW`] renders them.
    #[serde(serialize_with = "crate::render::templates::html")]
    pub milestones_html: String,
}

#[derive(Serialize)]
pub struct MilestoneView<'a> {
    pub anchor: Option<&'a str>,
    pub number: Option<&'a str>,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub text_html: String,
    /// The text holds paragraphs or a list, so is shown in a `<div>`.
    pub text_block: bool,
    pub leads: &'a [String],
    pub monitored_by: &'a [String],
    pub timescale: Option<&'a str>,
    pub timescale_machine: Option<String>,
    pub status: Option<&'a Rating<'a>>,
    pub revised: bool,
    pub carried_over: Option<&'a str>,
    pub standards: Vec<StandardRef>,
    #[serde(serialize_with = "crate::render::templates::html_opt")]
    pub notes_html: Option<String>,
    pub footnotes: Vec<FootnoteRef>,
    /// What each report on the plan says of the milestone.
    pub progress: Vec<ReportedProgress>,
}

#[derive(Serialize)]
pub struct StatusCount<'a> {
    pub status: Option<&'a Rating<'a>>,
    pub count: usize,
}

#[derive(Serialize)]
pub struct FootnoteView {
    pub number: usize,
    pub anchor: String,
    #[serde(serialize_with = "crate::render::templates::html")]
    pub text_html: String,
}

#[derive(Serialize, Clone)]
pub struct FootnoteRef {
    pub number: usize,
    pub href: String,
}

pub fn plan_view<'a>(
    plan: &'a Plan,
    doc: &'a checked::Document,
    statuses: &'a [Rating<'a>],
    ctx: &DocContext<'a>,
    problems: &mut Problems,
) -> PlanView<'a> {
    let builder = PlanBuilder {
        terms: &plan.terms,
        statuses,
        index: StandardIndex::new(
            ctx.board,
            format!("{}standards/index.html", ctx.links.board_root),
        ),
        footnotes: &plan.footnotes,
        reports: reports_on(doc, ctx.board),
        tags: ctx.tags,
    };
    let intro = plan.intro.as_ref().map(|intro| {
        let opts = block_options("plan", &doc.dir, doc, ctx);
        let mut block = markdown::block(&intro.text, &opts);
        let start = intro.start.unwrap_or(Position::new(1, 1));
        problems.markdown(
            &intro.file,
            &intro.text,
            start,
            std::mem::take(&mut block.problems),
        );
        problems.assets.extend(std::mem::take(&mut block.assets));
        let fragments = block.fragments();
        problems.fragments(&fragments);
        fragments
    });
    let mut groups = builder.groups(plan);
    let mut rows = Rows::new(ctx.theme, plan);
    for p in groups.iter_mut().flat_map(|g| &mut g.priorities) {
        p.milestones_html = rows.html(&p.milestones, doc, problems);
        for o in &mut p.objectives {
            o.milestones_html = rows.html(&o.milestones, doc, problems);
        }
    }
    let priorities_html = priorities::builtin(ctx.theme).then(|| {
        let mut out = String::new();
        priorities::write_priorities(&groups, &plan.terms, plan.columns, &mut out);
        out
    });
    let unread = priorities_html.is_some()
        && plan.matrix.is_none()
        && ctx.theme.is_builtin("document_body.html");
    PlanView {
        anchor: "plan",
        title: &plan.title,
        intro: intro.unwrap_or_default(),
        terms: &plan.terms,
        key_outcome_area: plan.key_outcome_area.as_deref(),
        matrix: plan.matrix.as_ref().map(|m| MatrixView {
            title: &m.title,
            core_business: &m.core_business,
        }),
        matrix_width: groups.iter().map(|g| g.priorities.len()).max().unwrap_or(0),
        groups: Groups {
            list: groups,
            unread,
        },
        footnotes: plan
            .footnotes
            .iter()
            .map(|f| FootnoteView {
                number: f.number,
                anchor: f.anchor.clone(),
                text_html: inline(&f.text),
            })
            .collect(),
        columns: plan.columns,
        any_revised: plan.any_revised,
        status_chart: None,
        any_carried_over: plan.any_carried_over,
        priorities_html,
    }
}

struct PlanBuilder<'a> {
    terms: &'a Terms,
    statuses: &'a [Rating<'a>],
    index: StandardIndex<'a>,
    footnotes: &'a [Footnote],
    /// The reports on this plan, earliest first.
    reports: Vec<&'a checked::Document>,
    tags: &'a super::StatusTags,
}

impl<'a> PlanBuilder<'a> {
    /// Priorities grouped under their families, in the families' order;
    /// priorities without a family come first, in their own group.
    fn groups(&self, plan: &'a Plan) -> Vec<FamilyGroup<'a>> {
        let mut groups = Vec::new();
        let unfamilied: Vec<PriorityView> = plan
            .priorities
            .iter()
            .filter(|p| p.family.is_none())
            .map(|p| self.priority(p))
            .collect();
        if !unfamilied.is_empty() {
            groups.push(FamilyGroup {
                title: None,
                anchor: None,
                description_html: None,
                priorities: unfamilied,
            });
        }
        for (i, family) in plan.families.iter().enumerate() {
            let priorities = plan
                .priorities
                .iter()
                .filter(|p| p.family == Some(i))
                .map(|p| self.priority(p))
                .collect();
            groups.push(FamilyGroup {
                title: Some(&family.title),
                anchor: Some(&family.anchor),
                description_html: family.description.as_deref().map(inline),
                priorities,
            });
        }
        groups
    }

    fn priority(&self, p: &'a checked::Priority) -> PriorityView<'a> {
        let objectives: Vec<ObjectiveView> =
            p.objectives.iter().map(|o| self.objective(o)).collect();
        let milestones: Vec<MilestoneView> =
            p.milestones.iter().map(|m| self.milestone(m)).collect();
        let all: Vec<&MilestoneView> = milestones
            .iter()
            .chain(objectives.iter().flat_map(|o| &o.milestones))
            .collect();
        PriorityView {
            anchor: &p.anchor,
            number: p.number.as_deref(),
            title: &p.title,
            title_html: inline(&p.title),
            caption: format!("{}: {}", self.terms.milestones, markdown::plain(&p.title)),
            outcome_html: p.outcome.as_deref().map(inline),
            description_html: p.description.as_deref().map(inline),
            description_label: p.description_label.as_deref(),
            description_first: p.description_first,
            leads: &p.leads,
            footnotes: self.footnote_refs(&p.footnotes),
            milestone_count: all.len(),
            status_counts: self.status_counts(&all),
            objectives,
            milestones,
            milestones_html: String::new(),
        }
    }

    fn status_counts(&self, milestones: &[&MilestoneView<'a>]) -> Vec<StatusCount<'a>> {
        if self.statuses.is_empty() {
            return Vec::new();
        }
        let mut counts: Vec<StatusCount> = self
            .statuses
            .iter()
            .map(|s| StatusCount {
                status: Some(s),
                count: 0,
            })
            .collect();
        let mut none = 0;
        for m in milestones {
            match m
                .status
                .and_then(|s| self.statuses.iter().position(|x| std::ptr::eq(x, s)))
            {
                Some(i) => counts[i].count += 1,
                None => none += 1,
            }
        }
        if none > 0 {
            counts.push(StatusCount {
                status: None,
                count: none,
            });
        }
        counts
    }

    fn objective(&self, o: &'a checked::Objective) -> ObjectiveView<'a> {
        let title = markdown::plain(&o.title);
        ObjectiveView {
            anchor: &o.anchor,
            number: o.number.as_deref(),
            title: &o.title,
            title_html: inline(&o.title),
            caption: match &o.number {
                Some(n) => format!("{}: {n} {title}", self.terms.milestones),
                None => format!("{}: {title}", self.terms.milestones),
            },
            description_html: o.description.as_deref().map(inline),
            year: o.year.as_deref(),
            impact_measures_html: o.impact_measures.iter().map(|m| inline(m)).collect(),
            carried_over: o.carried_over.as_deref(),
            footnotes: self.footnote_refs(&o.footnotes),
            milestones: o.milestones.iter().map(|m| self.milestone(m)).collect(),
            milestones_html: String::new(),
        }
    }

    fn milestone(&self, m: &'a checked::Milestone) -> MilestoneView<'a> {
        let text_html = inline(&m.text);
        MilestoneView {
            anchor: m.id.as_deref(),
            number: m.number.as_deref(),
            text_block: markdown::has_blocks(&text_html),
            text_html,
            leads: &m.leads,
            monitored_by: &m.monitored_by,
            timescale: m.timescale.as_ref().map(|t| t.text.as_str()),
            timescale_machine: m.timescale.as_ref().map(|t| t.machine()),
            status: m.status.map(|i| &self.statuses[i]),
            revised: m.revised,
            carried_over: m.carried_over.as_deref(),
            standards: self.index.refs(&m.standards),
            notes_html: m.notes.as_deref().map(inline),
            footnotes: self.footnote_refs(&m.footnotes),
            progress: reported(&self.reports, m.id.as_deref(), self.tags),
        }
    }

    fn footnote_refs(&self, refs: &[usize]) -> Vec<FootnoteRef> {
        refs.iter()
            .map(|&i| FootnoteRef {
                number: self.footnotes[i].number,
                href: format!("#{}", self.footnotes[i].anchor),
            })
            .collect()
    }
}

/// The template of one milestone's row.
const ROW: &str = "milestone_row.html";

/// How a plan's tables of milestones get their rows (see
/// [`crate::render::templates::Theme::rows_html`]).
struct Rows<'t> {
    theme: &'t Theme,
    terms: &'t Terms,
    columns: Columns,
    /// `t` and `c`, for a theme's own row template.
    context: Context,
    /// Whether the row template and the components it calls are the
    /// built-in ones, which [`write_row`] writes.
    builtin: bool,
}

impl<'t> Rows<'t> {
    fn new(theme: &'t Theme, plan: &'t Plan) -> Self {
        let mut context = Context::new();
        context.insert("t", &plan.terms);
        context.insert("c", &plan.columns);
        Rows {
            theme,
            terms: &plan.terms,
            columns: plan.columns,
            context,
            builtin: theme.is_builtin(ROW) && theme.is_builtin("components.html"),
        }
    }

    /// A table's rows, laid out as milestone_table.html's loop did; a
    /// theme's row template that fails is reported against the document.
    fn html(
        &mut self,
        rows: &[MilestoneView],
        doc: &checked::Document,
        problems: &mut Problems,
    ) -> String {
        let layout = RowLayout {
            before: "\n    ",
            after: "\n  ",
        };
        let (terms, columns) = (self.terms, self.columns);
        let made = self.theme.rows_html(
            (ROW, self.builtin),
            rows,
            &mut self.context,
            layout,
            |r, out| write_row(r, columns, terms, out),
        );
        made.unwrap_or_else(|e| {
            problems.push(template_error(ROW, &doc.slug, &e));
            String::new()
        })
    }
}

/// A row as the built-in `milestone_row.html` renders it, with the
/// components it calls as components.html draws them.
fn write_row(r: &MilestoneView, c: Columns, t: &Terms, out: &mut String) {
    out.push_str("<tr");
    if let Some(anchor) = r.anchor.filter(|a| !a.is_empty()) {
        out.push_str(" id=\"");
        escape_into(anchor, out);
        out.push('"');
    }
    out.push_str(">\n      <th scope=\"row\" class=\"milestone__text\">");
    if let Some(number) = r.number.filter(|n| !n.is_empty()) {
        out.push_str("<span class=\"milestone__number\">");
        escape_into(number, out);
        out.push_str("</span> ");
    }
    let (open, close) = match r.text_block {
        true => ("<div class=\"milestone__body\">", "</div>"),
        false => ("<span class=\"milestone__body\">", "</span>"),
    };
    out.push_str(open);
    out.push_str(&r.text_html);
    out.push_str(close);
    if r.revised {
        out.push_str(" <abbr class=\"revised\" title=\"");
        escape_into(&t.revised, out);
        out.push_str("\">*</abbr><span class=\"visually-hidden\">(");
        escape_into(&t.revised, out);
        out.push_str(")</span>");
    }
    if let Some(carried) = r.carried_over.filter(|c| !c.is_empty()) {
        out.push_str(" <span class=\"tag\">");
        escape_into(carried, out);
        out.push_str("</span>");
    }
    priorities::write_footnote_refs(&r.footnotes, out);
    out.push_str("\n        ");
    write_standards(&r.standards, &t.standards, out);
    out.push_str("\n        ");
    if let Some(notes) = r.notes_html.as_deref().filter(|n| !n.is_empty()) {
        out.push_str("<div class=\"milestone__notes\">");
        out.push_str(notes);
        out.push_str("</div>");
    }
    // The template's `{%- for` takes the line's end and indent before it.
    for p in &r.progress {
        out.push_str("<p class=\"milestone__progress\"><a href=\"");
        escape_into(&p.href, out);
        out.push_str("\">");
        escape_into(&p.report, out);
        out.push_str("</a>: ");
        match &p.status {
            Some(s) => out.push_str(&s.tag),
            None => out.push_str(NO_UPDATE),
        }
        out.push_str("</p>");
    }
    out.push_str("\n      </th>\n      ");
    if c.leads {
        write_names(&t.lead, r.leads, out);
    }
    out.push_str("\n      ");
    if c.monitored_by {
        write_names(&t.monitored_by, r.monitored_by, out);
    }
    out.push_str("\n      ");
    if c.timescale {
        write_cell_start(&t.timescale, out);
        if let Some(timescale) = r.timescale.filter(|t| !t.is_empty()) {
            out.push_str("<span data-when=\"");
            escape_into(r.timescale_machine.as_deref().unwrap_or_default(), out);
            out.push_str("\">");
            escape_into(timescale, out);
            out.push_str("</span>");
        }
        out.push_str("</td>");
    }
    out.push_str("\n      ");
    if c.status {
        write_cell_start(&t.status, out);
        if let Some(s) = r.status {
            out.push_str(s.tag);
        }
        out.push_str("</td>");
    }
    out.push_str("\n    </tr>");
}

/// The `progress_status` component's words for no update.
const NO_UPDATE: &str = "<span class=\"status status--none\"><span class=\"status__swatch\" aria-hidden=\"true\"></span><span class=\"status__label\">No update</span></span>";

/// `<br>` and the `standard_refs` component, for a milestone that cites any.
fn write_standards(refs: &[StandardRef], term: &str, out: &mut String) {
    if refs.is_empty() {
        return;
    }
    out.push_str("<br><span class=\"standard-refs\"><span class=\"visually-hidden\">");
    escape_into(term, out);
    out.push_str(": </span>");
    for (i, s) in refs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str("<a class=\"tag\" href=\"");
        escape_into(&s.href, out);
        out.push_str("\" title=\"");
        escape_into(&s.text, out);
        out.push_str("\">");
        escape_into(&s.label, out);
        out.push_str("</a>");
    }
    out.push_str("</span>");
}

fn write_cell_start(label: &str, out: &mut String) {
    out.push_str("<td data-label=\"");
    escape_into(label, out);
    out.push_str("\">");
}

/// A cell of names, one to a line.
fn write_names(label: &str, names: &[String], out: &mut String) {
    write_cell_start(label, out);
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        escape_into(n, out);
    }
    out.push_str("</td>");
}
