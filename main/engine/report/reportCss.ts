// The report's stylesheet: inline, system fonts only (no web fonts, no requests), readable on
// screen, and paginated for A4 or Letter when printed (each part starts a page; rows, cards and
// charts never split; table headers repeat on every page).

export const REPORT_CSS = String.raw`
:root {
  --ink: #1b1f24; --muted: #5b6570; --line: #d5dae0; --soft: #f3f5f8; --accent: #1d4e89;
  --good: #1e6b34; --warn: #8a5a00; --bad: #a3172b;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: var(--ink); background: #e9ecf0;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 860px; margin: 24px auto; }
.page { background: #fff; padding: 36px 44px; margin-bottom: 24px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 6px; }
h2 { font-size: 18px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 14px; margin: 20px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
p { margin: 6px 0; }
code { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.brand { font-size: 11px; font-weight: 700; letter-spacing: .14em; text-transform: uppercase; color: var(--accent); }
.meta { color: var(--muted); font-size: 12.5px; }
.doc-head { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 18px; }

.verdict { border: 1px solid var(--line); border-left: 6px solid var(--accent); background: var(--soft); padding: 14px 18px; margin: 0 0 16px; }
.verdict.infeasible { border-left-color: var(--bad); }
.verdict .label { font-size: 11px; font-weight: 700; letter-spacing: .1em; text-transform: uppercase; color: var(--muted); }
.verdict .headline { font-size: 20px; font-weight: 700; margin: 2px 0 6px; }
.verdict ul { margin: 8px 0 0; padding-left: 20px; }

.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 12px 0 6px; }
.tile { border: 1px solid var(--line); padding: 8px 10px; }
.tile .k { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.tile .v { font-size: 19px; font-weight: 700; line-height: 1.2; margin-top: 2px; }
.tile .s { font-size: 11.5px; color: var(--muted); }

.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 22px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 10px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); border-bottom: 1.5px solid #9aa4ae; font-weight: 700; white-space: nowrap; }
tr.sub td { border-top: 0; padding-top: 0; }
table.data tr:has(+ tr.sub) td { border-bottom: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.kv th { width: 38%; text-transform: none; letter-spacing: 0; font-size: 12.5px; border-bottom: 1px solid var(--line); }
table.data { font-size: 12px; }
table.data tbody tr:nth-child(even) { background: #f7f8fa; }
table.plans tbody tr:nth-child(even) { background: none; }
tr.failed td { color: var(--muted); }
.flag { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 4px; margin: 1px 2px 1px 0; font-size: 10.5px; line-height: 1.45; white-space: nowrap; }
.flag.unstable, .flag.noisy, .flag.few { color: var(--warn); border-style: dashed; }
.flag.failed, .flag.over { color: var(--bad); border-width: 2px; }
.flag.ok { color: var(--good); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
dl.defs { display: grid; grid-template-columns: 150px 1fr; gap: 6px 16px; margin: 8px 0; }
dl.defs dt { font-weight: 700; }
dl.defs dd { margin: 0; }
figure { margin: 6px 0 18px; }
figure canvas { display: block; width: 100% !important; max-width: 720px; height: auto !important; margin: 0 auto; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
figure h3 { margin-top: 6px; }
ol.notes, ul.notes { font-size: 12px; padding-left: 22px; }
ul.explain li { margin: 3px 0; }
.callout { border: 1px dashed #9aa4ae; padding: 8px 12px; font-size: 12.5px; margin: 10px 0; }
.foot { font-size: 11px; color: var(--muted); margin-top: 18px; border-top: 1px solid var(--line); padding-top: 6px; }

@page { margin: 14mm 13mm 15mm; @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #5b6570; } @bottom-left { content: "Kneepoint report"; font: 8pt system-ui, sans-serif; color: #5b6570; } }
@media print {
  body { background: #fff; font-size: 9pt; line-height: 1.42; }
  main { max-width: none; margin: 0; }
  .page { box-shadow: none; padding: 0; margin: 0; break-before: page; }
  .page:first-child { break-before: auto; }
  h1 { font-size: 16pt; }
  h2 { font-size: 13pt; margin-bottom: 8px; }
  h3 { font-size: 8.5pt; margin: 12px 0 5px; }
  .verdict { padding: 10px 14px; margin-bottom: 10px; }
  .verdict .headline { font-size: 14pt; }
  .verdict p { margin: 3px 0; }
  .tile .v { font-size: 14pt; }
  .tile .s, .tile .k { font-size: 7.5pt; }
  table.kv th, table.kv td { font-size: 8.5pt; padding: 2px 5px; }
  dl.defs { grid-template-columns: 120px 1fr; gap: 4px 12px; font-size: 8.5pt; }
  .meta, .small, figcaption, ol.notes { font-size: 8pt; }
  code { font-size: 8pt; }
  h2, h3, figure h3 { break-after: avoid; }
  table.data { font-size: 7.8pt; }
  th { font-size: 7pt; }
  thead { display: table-header-group; }
  tr, .verdict, .tile, figure, .callout, dl.defs > * { break-inside: avoid; }
  figure canvas { max-width: 100%; }
  .tiles { grid-template-columns: repeat(4, 1fr); }
}
`;
