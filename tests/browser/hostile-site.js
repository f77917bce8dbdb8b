// A "hostile" site: the starter site from `boardpress init`, with its content
// files rewritten so that every text field tries to inject markup or script.
// The built pages must show all of it as text: no <script>, no event handler
// attributes, no javascript: links, no frames, no dialogs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DOC = 'content/documents/business-plan-2025-26';
// Raw HTML images are not copied: these point at where the Markdown image
// ![A single grey pixel](pixel.png) is published, so that they load (and an
// onload handler, had it survived, would run).

/** A member's web address with quotes in it: refused (exit 1). */
export const QUOTED_URL = `url: "https://example.org/\\"onmouseover=\\"alert('url')"`;

/** The image link whose `../` path makes the build refuse (exit 1). */
export const ESCAPING_IMAGE = '![A file outside the site](../../../../etc/passwd.png)';

const SITE_YAML = `title: "Hostile site </title><script>alert('site-title')</script>"
`;

const BOARD_YAML = `name: "Hostile <script>alert('board-name')</script> Partnership"
short_name: "</script><script>alert('short-name')</script>"
areas: ["<img src=x onerror=alert('area')>", "Exampleshire"]
vision: >-
  "<script>alert('vision')</script>" with a [javascript link](javascript:alert('vision-link'))
  and <iframe src="javascript:alert('vision-frame')"></iframe> and a <b onclick="alert('vision-b')">bold</b>.
principles_title: "Principles </title></style></script><script>alert('principles-title')</script>"
principles:
  - lead: "<b onclick=\\"alert('lead')\\">Child-centred</b>"
    text: "we [click](javascript:alert('principle')) and [JaVaScRiPt](JaVaScRiPt:alert('mixed-case')) and [ok](https://example.org/?a=1&b=\\"2\\")."
    standards: ["1"]
members:
  - name: "Council <svg onload=alert('member')>"
    sector: "Local authority </style><script>alert('sector')</script>"
    url: "https://example.org/\\"onmouseover=\\"alert('url')"
  - name: "Police"
    sector: "Police"
structure_intro: "<script>alert('structure-intro')</script> [x](javascript:alert('structure-link'))"
structure:
  - name: "Board <img src=x onerror=alert('group')>"
    chair: "</script><script>alert('chair')</script>"
    description: "<script>alert('group-description')</script> *what it does*"
    groups:
      - name: "Sub-group <iframe src=javascript:alert('sub-group')>"
        short_name: "</script>"
        description: "onclick=alert('text') is just text"
glossary:
  - term: "<iframe src=javascript:alert('glossary')></iframe>"
    meaning: "' onfocus='alert(\\"glossary-meaning\\")' autofocus x='"
  - term: "CP plan"
    meaning: "Child protection plan </dd></dl><script>alert('dl')</script>"
standards:
  - id: hostile
    name: "Hostile framework <script>alert('framework')</script>"
    short_name: "HF </script>"
    description: "<img src=x onerror=alert('framework-description')>"
    standards:
      - number: "1"
        text: "A standard with <b onmouseover=\\"alert('standard')\\">markup</b> and \\"quotes\\" & ampersands"
`;

const DOCUMENT_YAML = `title: "Plan </title><script>alert('document-title')</script>"
kind: business-plan
period: "2025-2026"
published: 2025-04-01
as_at: 2025-04-01
summary: "Summary <img src=x onerror=alert('summary')> [js](javascript:alert('summary-link')) </p><script>alert('summary-p')</script>"
charts: [hostile]
status_key:
  title: "Rating <script>alert('status-key')</script>"
  statuses:
    - id: green
      label: "Green <b onmouseover=alert('label')>"
      meaning: "</script><script>alert('meaning')</script>"
    - id: amber
      label: Amber
      meaning: "In progress \\" onmouseover=\\"alert('meaning-attr')"
    - id: red
      label: Red
      meaning: Will not be achieved
`;

const PLAN_YAML = `title: "Our priorities <script>alert('plan-title')</script>"
order: 20
intro: |
  An intro with <script>alert('plan-intro')</script> and <img src="../assets/documents/business-plan-2025-26/pixel.png" onerror="alert('intro-img')" onload="alert('intro-img-load')" alt="A pixel">.
terms:
  priority: "Priority <i>"
  objective: "Objective </script>"
footnotes:
  - id: note
    text: "A note <script>alert('footnote')</script> [js](javascript:alert('footnote-link'))"
priorities:
  - id: neglect
    number: "1 <script>alert('number')</script>"
    title: "Tackle neglect <img src=x onerror=alert('priority-title')>"
    outcome: "Children <b onclick=alert('outcome')>helped</b> [x](javascript:alert('outcome-link'))."
    leads: ["</script><script>alert('priority-lead')</script>"]
    footnotes: [note]
    objectives:
      - number: "1.1"
        title: "Roll out <iframe src=javascript:alert('objective')></iframe>"
        impact_measures:
          - "<script>alert('impact')</script> measured"
        milestones:
          - id: toolkit-training
            text: "Train <script>alert('milestone')</script> practitioners. [js](javascript:alert('milestone-link'))"
            leads: "<img src=x onerror=alert('lead')>"
            monitored_by: "</td></tr></table><script>alert('monitored')</script>"
            timescale: September 2025
            status: green
            standards: ["1"]
            notes: "Notes with <svg onload=alert('notes')></svg>"
            footnotes: [note]
            revised: true
            carried_over: true
          - id: toolkit-audit
            text: Audit 30 cases for use of the toolkit.
            leads: [QA Sub-group, Exampleshire Council]
            timescale: March 2026
            status: amber
  - id: voice
    number: "2"
    title: Hear the voice of children
    milestones:
      - id: advisory-group
        text: Set up a young people's advisory group.
        leads: Business Manager
        timescale: Ongoing
        status: red
`;

// The starter's annual report, with every field of its progress hostile.
const REPORT = 'content/documents/annual-report-2025-26';
const PROGRESS_YAML = `title: "Progress </h2><script>alert('progress-title')</script>"
intro: "<script>alert('progress-intro')</script> [js](javascript:alert('progress-intro-link'))"
priorities:
  - id: neglect
    summary: "<img src=x onerror=alert('priority-summary')> summary"
milestones:
  - id: toolkit-training
    status: complete
    note: "<script>alert('progress-note')</script> note"
    evidence: "<iframe src=javascript:alert('evidence')></iframe> [js](javascript:alert('evidence-link'))"
  - id: toolkit-audit
    status: at-risk
    note: "</td></tr></table><svg onload=alert('limited-note')></svg>"
`;

// No raw HTML at all, so nothing for the sanitiser to see: heading
// attributes are the way in.
const HEADINGS_MD = `---
title: Headings
order: 20
---
## Hover here {#hover .note onmouseover=alert('heading-attr') style="position:fixed;inset:0"}

Text under it, [a javascript link](javascript:alert('plain-md-link')).
`;

const INTRODUCTION_MD = `---
title: "Introduction <script>alert('section-title')</script>"
order: 10
signed_by:
  - name: "<img src=x onerror=alert('signed')>"
    role: "</script><script>alert('role')</script>"
endorsed_by:
  - name: "Endorser \\" onclick=\\"alert('endorsed')"
---
Raw <script>alert('raw-script')</script> and <b onclick="alert('raw-b')">bold</b> text.

<iframe src="javascript:alert('raw-iframe')"></iframe>

![A single grey pixel](pixel.png)

<img src="../assets/documents/business-plan-2025-26/pixel.png" onerror="alert('raw-img')" onload="alert('raw-img-load')" alt="The same pixel, by raw HTML">

[A javascript link](javascript:alert('md-link')), [another](JAVASCRIPT:alert('md-upper')),
[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and
<a href="javascript:alert('raw-a')">a raw javascript link</a> and
<a href="#top" onclick="alert('raw-onclick')">a raw onclick</a>.

<div style="background:url(javascript:alert('style'))" onmouseover="alert('div')">A styled div</div>

<svg><script>alert('svg-script')</script></svg>

<form action="javascript:alert('form')"><button>Press</button></form>

<object data="javascript:alert('object')"></object> <embed src="javascript:alert('embed')">

<style>body { display: none }</style>

A string with \`</script>\` inside code, and in text: "</script><script>alert('string')</script>".

\`\`\`html
<script>alert('code-block')</script>
\`\`\`

\`\`\`chart
hostile
\`\`\`

${ESCAPING_IMAGE}
`;

const DATA_YAML = `title: "Cases <script>alert('chart-title')</script> went </text></svg><script>alert('chart-svg')</script> up"
measure: rate-per-10000
subject: "children </title><script>alert('subject')</script>"
place: "Exampleshire <img src=x onerror=alert('place')>"
source: "Made up </figcaption><script>alert('source')</script>"
notes:
  - "<script>alert('note')</script> & a note"
areas:
  - column: local
    label: "Exampleshire <script>alert('area-label')</script>"
    role: local
  - column: england
    label: "England </text><script>alert('england')</script>"
    role: england
`;

const DATA_CSV = `period,local,england
2021,10,12
2022,14,13
2023,12,c
2024,16,15
`;

// A 1x1 grey PNG.
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Rewrite the starter site in `dir` (made by `boardpress init`) into the
 * hostile site. The introduction keeps the escaping image link; call
 * removeEscapingImage() to make the site buildable.
 */
export function makeHostile(dir) {
  const write = (rel, text) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  // The starter's files must be where this expects them.
  for (const rel of ['content/board.yaml', `${DOC}/document.yaml`, `${DOC}/plan.yaml`, `${DOC}/10-introduction.md`]) {
    readFileSync(join(dir, rel));
  }
  write('content/site.yaml', SITE_YAML);
  write('content/board.yaml', BOARD_YAML);
  write(`${DOC}/document.yaml`, DOCUMENT_YAML);
  write(`${DOC}/plan.yaml`, PLAN_YAML);
  write(`${DOC}/10-introduction.md`, INTRODUCTION_MD);
  readFileSync(join(dir, REPORT, 'progress.yaml'));
  write(`${REPORT}/progress.yaml`, PROGRESS_YAML);
  write(`${DOC}/20-headings.md`, HEADINGS_MD);
  write(`${DOC}/pixel.png`, PIXEL_PNG);
  write('content/data/hostile.yaml', DATA_YAML);
  write('content/data/hostile.csv', DATA_CSV);
}

/** Remove what the build refuses: the image link that leaves the site
 * folder, and the quoted web address (replaced by an encoded one). */
export function removeRefusedInput(dir) {
  const file = join(dir, DOC, '10-introduction.md');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(ESCAPING_IMAGE)) throw new Error(`${file} has no escaping image link`);
  writeFileSync(file, text.replace(ESCAPING_IMAGE, ''));
  const board = join(dir, 'content/board.yaml');
  const yaml = readFileSync(board, 'utf8');
  if (!yaml.includes(QUOTED_URL)) throw new Error(`${board} has no quoted web address`);
  writeFileSync(board, yaml.replace(QUOTED_URL, `url: "https://example.org/?q=%22onmouseover%3Dalert('url')"`));
}
