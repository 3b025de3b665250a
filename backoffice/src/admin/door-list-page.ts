import type { DoorList } from "@sipario/api";

const WORDS = {
  it: {
    title: "Elenco di sala",
    cancelled: "REPLICA ANNULLATA",
    name: "Nome",
    code: "Codice",
    people: "Persone",
    source: "Origine",
    in: "Entrato",
    sources: { online: "sito", box_office: "botteghino", waitlist: "lista d'attesa" },
    totals: (t: DoorList["totals"]) => `${t.parties} gruppi · ${t.people} persone · ${t.checkedInPeople} già entrate`,
    empty: "Nessuna prenotazione confermata.",
  },
  en: {
    title: "Door list",
    cancelled: "PERFORMANCE CANCELLED",
    name: "Name",
    code: "Code",
    people: "People",
    source: "Source",
    in: "In",
    sources: { online: "website", box_office: "box office", waitlist: "waiting list" },
    totals: (t: DoorList["totals"]) => `${t.parties} parties · ${t.people} people · ${t.checkedInPeople} already in`,
    empty: "No confirmed reservations.",
  },
} as const;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The door list as one printable A4 page (portrait, repeated table header, no rows split
 * across pages): plain HTML and CSS, no script, every name escaped.
 */
export function renderDoorList(list: DoorList, language: "it" | "en"): string {
  const w = WORDS[language];
  const intl = language === "it" ? "it-IT" : "en-GB";
  const when = new Intl.DateTimeFormat(intl, { timeZone: list.timeZone, dateStyle: "full", timeStyle: "short" }).format(list.startsAt);
  const time = new Intl.DateTimeFormat(intl, { timeZone: list.timeZone, timeStyle: "short" });
  const rows = list.parties
    .map(
      (p) => `<tr${p.checkedInAt ? ' class="in"' : ""}>
  <td class="box">${p.checkedInAt ? "✔" : "☐"}</td>
  <td>${escapeHtml(p.name)}</td>
  <td class="code">${escapeHtml(p.bookingCode)}</td>
  <td class="num">${p.partySize}</td>
  <td>${w.sources[p.source]}</td>
  <td>${p.checkedInAt ? time.format(p.checkedInAt) : ""}</td>
</tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${w.title} · ${list.showTitle} · ${when}`)}</title>
<style>
  @page { size: A4 portrait; margin: 14mm 12mm; }
  * { box-sizing: border-box; }
  body { font: 11pt/1.35 system-ui, "Helvetica Neue", Arial, sans-serif; color: #000; margin: 0; padding: 16px; }
  h1 { font-size: 16pt; margin: 0 0 2px; }
  .meta { margin: 0 0 10px; }
  .cancelled { font-weight: 700; border: 2px solid #000; padding: 4px 8px; display: inline-block; margin-bottom: 8px; }
  table { width: 100%; border-collapse: collapse; }
  thead { display: table-header-group; }
  th, td { border-bottom: 1px solid #888; padding: 5px 6px; text-align: left; vertical-align: top; }
  th { border-bottom: 2px solid #000; font-size: 9.5pt; text-transform: uppercase; letter-spacing: .03em; }
  tr { break-inside: avoid; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  td.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
  td.box { width: 2em; font-size: 13pt; }
  tr.in td { color: #444; }
  .totals { margin-top: 10px; font-weight: 600; }
  @media print { body { padding: 0; } }
</style>
</head>
<body>
<h1>${escapeHtml(list.showTitle)}</h1>
<p class="meta">${escapeHtml(when)} · ${escapeHtml(list.venueName)} · ${w.title}</p>
${list.cancelled ? `<p class="cancelled">${w.cancelled}</p>` : ""}
${
  list.parties.length === 0
    ? `<p>${w.empty}</p>`
    : `<table>
<thead><tr><th></th><th>${w.name}</th><th>${w.code}</th><th class="num">${w.people}</th><th>${w.source}</th><th>${w.in}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
<p class="totals">${w.totals(list.totals)}</p>
</body>
</html>
`;
}
