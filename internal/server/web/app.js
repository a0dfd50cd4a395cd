// Protokol's page: a form over a meeting document, kept in the browser.
//
// The document is the JSON object itself (model): every input edits one
// path of it in place, so fields the form does not show are kept as they
// were, and an import exported unchanged is the same JSON. Nothing is
// sent anywhere but this server's own API.
"use strict";

const TEXT = {
  da: {
    meetingTab: "Møde", budgetTab: "Budget", import: "Importér JSON eller ESDH-eksport", export: "Eksportér JSON", clear: "Nyt dokument",
    meeting: "Mødet", participants: "Deltagere", items: "Punkter", addParticipant: "Tilføj deltager", addItem: "Tilføj punkt",
    document: "Dokument", agenda: "Dagsorden", minutes: "Referat", decisions: "Beslutningsprotokol", template: "Skabelon",
    language: "Sprog", public: "Offentlig udgave", preview: "Forhåndsvis", download: "Hent PDF",
    importBudget: "Importér budget (JSON)", checkBudget: "Kontrollér", budgetXLSX: "Hent XLSX", budgetPDF: "Hent PDF",
    municipality: "Kommune", committee: "Udvalg", title: "Undertitel", start: "Start", end: "Slut", location: "Sted", note: "Bemærkninger",
    status: "Status", statusFinal: "Endelig", statusDraft: "Udkast",
    name: "Navn", party: "Parti", role: "Rolle", attendance: "Fremmøde", pnote: "Bemærkning", ptitle: "Stilling",
    chair: "Formand", vice_chair: "Næstformand", member: "Medlem", substitute: "Stedfortræder", official: "Embedsmand",
    guest: "Gæst", minute_taker: "Referent", present: "Til stede", absent: "Fraværende", apologies: "Afbud",
    participant: "Deltager", item: "Punkt", remove: "Fjern", up: "Flyt op", down: "Flyt ned",
    number: "Nummer", ititle: "Titel", kind: "Type", decision: "Beslutning", information: "Orientering",
    discussion: "Drøftelse", other: "Andet", access: "Adgang", open: "Åben", closed: "Lukket", case_number: "Sagsnr.",
    summary: "Sagsresumé", sections: "Afsnit", section: "Afsnit", heading: "Overskrift", body: "Tekst", addSection: "Tilføj afsnit",
    recommendation: "Indstilling", idecision: "Beslutning", attachments: "Bilag", attachment: "Bilag", atitle: "Titel",
    anumber: "Nummer", addAttachment: "Tilføj bilag", none: "–",
    pdfFile: "PDF-fil", removeFile: "Fjern fil", noFile: "Ingen fil: bilaget nævnes, men vedlægges ikke.",
    fileNotLoaded: "{file} er ikke valgt i denne browser: vælg den igen for at vedlægge den.",
    filesMissing: " Bilag uden valgt fil er ikke vedlagt.", aloneNote: " Bilagenes filer er ikke valgt: dokumentet uden bilag.",
    working: "Danner …", ready: "PDF dannet: {pages} ({size}).", failed: "Ikke dannet: {detail}",
    fieldErrors: "Dokumentet har fejl: se felterne markeret med rødt.", network: "Serveren svarer ikke: {detail}",
    imported: "{file} er indlæst.", importedExport: "{file} er indlæst fra {format}: {items} punkter.",
    leftOut: "Ikke overført (linje {line}, {path}): {message}", formats: { sbsys: "SBSYS", edoc: "eDoc", fujitsu: "Fujitsu eDoc", acadre: "Acadre", agman: "AGMAN" }, badJSON: "{file} er ikke gyldig JSON: {detail}", notObject: "{file} er ikke et JSON-objekt.",
    budgetOK: "Budgettet er gyldigt.", budgetNone: "Importér et budget først.", downloaded: "{file} er hentet.",
    budgetSummary: "{title}: {tables} tabeller, {rows} linjer og {groups} grupper.", restored: "Dokumentet fra sidste gang er hentet frem.",
    confirmNew: "Slette «{what}» ({items} punkter, {people} deltagere) fra browseren og begynde forfra? Du kan fortryde bagefter.",
    confirmForget: "Glemme «{what}» i denne browser? Det kan ikke fortrydes; eksportér det først, hvis du vil beholde det.",
    untitled: "dokumentet uden navn", cleared: "Dokumentet er ryddet.", forgotten: "Dokumentet er glemt i denne browser.",
    removed: "{what} er fjernet.", undo: "Fortryd", undone: "{what} er sat ind igen.",
    stale: "Forhåndsvisningen er forældet: dokumentet er ændret siden. Forhåndsvis igen for at hente PDF.",
    privacyNote: "Dokumentet gemmes i denne browser (også lukkede punkter), så det er her, når du kommer tilbage.",
    privacySession: "Dokumentet gemmes kun, til fanen lukkes.", sessionOnly: "Gem intet, når fanen lukkes", forget: "Glem dokumentet",
    itemsNav: "Punkter", collapse: "Fold sammen", expand: "Fold ud", noItems: "Ingen punkter endnu.",
    groups: "Grupper", groupsHint: "Valgfrit: overskrifter punkterne samles under (fx A: Sager til afgørelse).", addGroup: "Tilføj gruppe",
    groupRow: "Gruppe", gcode: "Kode", gtitle: "Overskrift", group: "Gruppe",
    decided_by: "Sagen afgøres i", addendum: "Tillæg (kom efter dagsordenen)", duration: "Varighed (minutter)",
    absentItem: "Ikke til stede under punktet", dissents: "Protokoltilførsler", dissent: "Protokoltilførsel", addDissent: "Tilføj protokoltilførsel",
    by: "Af", dtext: "Tekst", reference: "Reference (fx sagsnummer eller link)", guestItems: "Deltager i punkterne",
    signatures: "Med underskriftsark", sealDoc: "Forsegl med kommunens segl", addendumDoc: "Kun tillægsdagsorden", kindDecision: "Beslutningssag",
    mdHelp: "Markdown: **fed**, *kursiv*, linjer der starter med - bliver punkter, [tekst](https://…) bliver links.",
    approvals: "Godkendelser", approvalsHint: "Medlemmernes digitale godkendelser af referatet; de står på underskriftsbladet.",
    addApproval: "Tilføj godkendelse", approval: "Godkendelse", approvedBy: "Godkendt af", approvedAt: "Tidspunkt", method: "Metode (fx FirstAgenda)",
    chars: "{n} af højst {max} tegn", previewBudget: "Vis budgettet", budgetReady: "Budgettet er vist: {size}.", noneChecked: "Ingen deltagere endnu.",
    verifyTab: "Tjek segl", verifyFile: "Vælg en PDF", verifying: "Tjekker {file} …", verifyFailed: "Ikke tjekket: {detail}", tooLarge: "{file} fylder {size}; serveren tager højst {max}.",
    leftOut: " Bilagenes sider er med, men ikke det, der virker i dem: {list}.",
    leftKinds: { links: ["link", "links"], "form-fields": ["formularfelt", "formularfelter"], comments: ["kommentar", "kommentarer"], "attached-files": ["vedhæftet fil", "vedhæftede filer"] }, packetTooLarge: "dokumentet og de valgte bilag fylder {size}; serveren tager højst {max}. Vælg færre bilagsfiler.",
    verifyHint: "Vælg et forseglet referat eller en beslutningsprotokol: serveren svarer, om seglet holder. Filen gemmes ikke.",
    verifyNone: "{file} har intet segl.", verifyHolds: "{file}: seglet holder.", verifyFails: "{file}: seglet holder ikke.",
    sealN: "Segl {i} af {n}", sealedBy: "Forseglet af", certificate: "Certifikat", issuer: "Udstedt af", sealTime: "Tidspunkt", unchanged: "Uændret",
    wholeFile: "Hele filen", trusted: "Betroet", revocation: "Spærring", yes: "ja", no: "nej", notes: "Bemærkninger",
    timeSources: { timestamp: "tidsstempel fra {tsa}", untrusted: "tidsstempel fra {tsa}, som ikke er betroet", claimed: "underskriverens egen angivelse", none: "ukendt" },
    revocations: { "not-checked": "ikke tjekket (serveren har ingen spærrelister)", good: "ikke spærret", revoked: "spærret {at}", unknown: "ukendt (ingen gyldig spærreliste fra udstederen)" },
  },
  en: {
    meetingTab: "Meeting", budgetTab: "Budget", import: "Import JSON or case-system export", export: "Export JSON", clear: "New document",
    meeting: "Meeting", participants: "Participants", items: "Items", addParticipant: "Add participant", addItem: "Add item",
    document: "Document", agenda: "Agenda", minutes: "Minutes", decisions: "Decisions", template: "Template",
    language: "Language", public: "Public version", preview: "Preview", download: "Download PDF",
    importBudget: "Import budget (JSON)", checkBudget: "Check", budgetXLSX: "Download XLSX", budgetPDF: "Download PDF",
    municipality: "Municipality", committee: "Committee", title: "Subtitle", start: "Start", end: "End", location: "Location", note: "Notes",
    status: "Status", statusFinal: "Final", statusDraft: "Draft",
    name: "Name", party: "Party", role: "Role", attendance: "Attendance", pnote: "Note", ptitle: "Job title",
    chair: "Chair", vice_chair: "Vice chair", member: "Member", substitute: "Substitute", official: "Official",
    guest: "Guest", minute_taker: "Minute-taker", present: "Present", absent: "Absent", apologies: "Apologies",
    participant: "Participant", item: "Item", remove: "Remove", up: "Move up", down: "Move down",
    number: "Number", ititle: "Title", kind: "Kind", decision: "Decision", information: "Information",
    discussion: "Discussion", other: "Other", access: "Access", open: "Open", closed: "Closed", case_number: "Case no.",
    summary: "Summary", sections: "Sections", section: "Section", heading: "Heading", body: "Text", addSection: "Add section",
    recommendation: "Recommendation", idecision: "Decision", attachments: "Attachments", attachment: "Attachment", atitle: "Title",
    anumber: "Number", addAttachment: "Add attachment", none: "–",
    pdfFile: "PDF file", removeFile: "Remove file", noFile: "No file: the attachment is listed, not included.",
    fileNotLoaded: "{file} is not chosen in this browser: choose it again to include it.",
    filesMissing: " Attachments without a chosen file are not included.", aloneNote: " The attachments' files are not chosen: the document alone.",
    working: "Rendering …", ready: "PDF ready: {pages} ({size}).", failed: "Not rendered: {detail}",
    fieldErrors: "The document has errors: see the fields marked in red.", network: "The server does not answer: {detail}",
    imported: "{file} is loaded.", importedExport: "{file} is loaded from {format}: {items} items.",
    leftOut: "Not taken (line {line}, {path}): {message}", formats: { sbsys: "SBSYS", edoc: "eDoc", fujitsu: "Fujitsu eDoc", acadre: "Acadre", agman: "AGMAN" }, badJSON: "{file} is not valid JSON: {detail}", notObject: "{file} is not a JSON object.",
    budgetOK: "The budget is valid.", budgetNone: "Import a budget first.", downloaded: "{file} is downloaded.",
    budgetSummary: "{title}: {tables} tables, {rows} lines and {groups} groups.", restored: "The document from last time is back.",
    confirmNew: "Delete “{what}” ({items} items, {people} participants) from the browser and start over? You can undo it afterwards.",
    confirmForget: "Forget “{what}” in this browser? This cannot be undone; export it first to keep it.",
    untitled: "the untitled document", cleared: "The document is cleared.", forgotten: "The document is forgotten in this browser.",
    removed: "{what} is removed.", undo: "Undo", undone: "{what} is back.",
    stale: "The preview is out of date: the document has changed since. Preview again to download the PDF.",
    privacyNote: "The document is kept in this browser (closed items too), so it is here when you come back.",
    privacySession: "The document is kept only until the tab closes.", sessionOnly: "Keep nothing when the tab closes", forget: "Forget the document",
    itemsNav: "Items", collapse: "Collapse", expand: "Expand", noItems: "No items yet.",
    groups: "Groups", groupsHint: "Optional: headings the items are gathered under (e.g. A: Cases for decision).", addGroup: "Add group",
    groupRow: "Group", gcode: "Code", gtitle: "Heading", group: "Group",
    decided_by: "Decided by", addendum: "Addendum (came after the agenda)", duration: "Duration (minutes)",
    absentItem: "Not present for the item", dissents: "Statements for the record", dissent: "Statement", addDissent: "Add statement",
    by: "By", dtext: "Text", reference: "Reference (e.g. case number or link)", guestItems: "Attends the items",
    signatures: "With signature sheet", sealDoc: "Seal with the municipality's seal", addendumDoc: "Supplementary agenda only", kindDecision: "Case for decision",
    mdHelp: "Markdown: **bold**, *italic*, lines starting with - become bullets, [text](https://…) becomes a link.",
    approvals: "Approvals", approvalsHint: "The members' digital approvals of the minutes; they are printed on the signature sheet.",
    addApproval: "Add approval", approval: "Approval", approvedBy: "Approved by", approvedAt: "Time", method: "Method (e.g. FirstAgenda)",
    chars: "{n} of at most {max} characters", previewBudget: "Show the budget", budgetReady: "The budget is shown: {size}.", noneChecked: "No participants yet.",
    verifyTab: "Check a seal", verifyFile: "Choose a PDF", verifying: "Checking {file} …", verifyFailed: "Not checked: {detail}", tooLarge: "{file} is {size}; the server takes at most {max}.",
    leftOut: " The attachments' pages are in, but not what acts in them: {list}.",
    leftKinds: { links: ["link", "links"], "form-fields": ["form field", "form fields"], comments: ["comment", "comments"], "attached-files": ["attached file", "attached files"] }, packetTooLarge: "the document and the files chosen are {size}; the server takes at most {max}. Choose fewer attachment files.",
    verifyHint: "Choose sealed minutes or a decision record: the server answers whether the seal holds. The file is not kept.",
    verifyNone: "{file} has no seal.", verifyHolds: "{file}: the seal holds.", verifyFails: "{file}: the seal does not hold.",
    sealN: "Seal {i} of {n}", sealedBy: "Sealed by", certificate: "Certificate", issuer: "Issued by", sealTime: "Time", unchanged: "Unchanged",
    wholeFile: "Whole file", trusted: "Trusted", revocation: "Revocation", yes: "yes", no: "no", notes: "Notes",
    timeSources: { timestamp: "timestamp from {tsa}", untrusted: "timestamp from {tsa}, not trusted", claimed: "as the signer claims", none: "unknown" },
    revocations: { "not-checked": "not checked (the server has no revocation lists)", good: "not revoked", revoked: "revoked {at}", unknown: "unknown (no current list from the issuer)" },
  },
};

const STORE = "protokol.meeting", STORE_BUDGET = "protokol.budget", STORE_OPTIONS = "protokol.options";
// the choice to keep nothing after the tab closes; the preference itself
// is kept in localStorage (it holds no document)
const STORE_SESSION = "protokol.sessionOnly";

const lang = pickLanguage();
const T = TEXT[lang];
let model = {};          // the meeting document
let budget = null;       // the budget document, as imported
let previewURL = null;   // the object URL of the last good preview
let stale = false;       // the document or the options changed since that preview
let edits = 0;           // changes made, to tell whether one came while a preview was on its way
const collapsed = new Set(); // items folded, by index
// the attachments' PDFs chosen in this session, by file name: a page
// cannot keep files, so after a reload the document still names them
// (its file fields) and they are chosen again
const files = new Map();

function pickLanguage() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q && TEXT[q]) return q;
  for (const l of navigator.languages || [navigator.language || ""]) {
    const base = l.toLowerCase().split("-")[0];
    if (base === "da" || base === "nb" || base === "nn" || base === "no" || base === "sv") return "da";
    if (base === "en") return "en";
  }
  return "da";
}

function fmt(s, args) { return s.replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m)); }

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}

// ---- the model: paths like items[2].sections[0].body ----

function parsePath(p) { return p.replace(/\[(\d+)\]/g, ".$1").split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)); }

function getPath(p) {
  let o = model;
  for (const k of parsePath(p)) { if (o == null) return undefined; o = o[k]; }
  return o;
}

// setPath writes v at p; an empty v removes an optional field, so a field
// that was absent and is left empty stays absent.
function setPath(p, v, keepEmpty) {
  const ks = parsePath(p);
  let o = model;
  for (let i = 0; i < ks.length - 1; i++) {
    if (o[ks[i]] == null) o[ks[i]] = typeof ks[i + 1] === "number" ? [] : {};
    o = o[ks[i]];
  }
  const last = ks[ks.length - 1];
  if (v === "" && !keepEmpty) delete o[last];
  else o[last] = v;
  save();
}

function sessionOnly() { try { return localStorage.getItem(STORE_SESSION) === "1"; } catch { return false; } }

// storage is where documents are kept: this browser's, or only this tab's.
function storage() { return sessionOnly() ? sessionStorage : localStorage; }

function save() {
  try { storage().setItem(STORE, JSON.stringify(model)); } catch (e) { showAlerts([String(e)]); }
  edits++;
  markStale();
  renderNav();
}

// markStale says at once, when the document changes after a preview, that
// the preview is out of date, and takes its download away until the next.
function markStale() {
  if (!previewURL || stale) return;
  stale = true;
  const status = document.getElementById("status");
  status.textContent = T.stale;
  status.dataset.state = "stale";
  document.getElementById("pdf").classList.add("stale");
  document.getElementById("download").hidden = true;
}

// offerUndo says what was removed, with a button that puts it back.
function offerUndo(what, restore) {
  const box = document.getElementById("undo");
  const b = button(T.undo, () => {
    restore();
    box.replaceChildren(el("p", { text: fmt(T.undone, { what }) }));
  }, { "aria-label": T.undo + ": " + what });
  box.replaceChildren(el("p", {}, fmt(T.removed, { what }) + " ", b));
  b.focus();
}

// arrayOf is a list the form can show: what a document has there if it
// is a list, else none (the value stays in the document as it was, for
// the service to name; an imported "items": {} must not break the page).
function arrayOf(v) { return Array.isArray(v) ? v : []; }
function arrayAt(p) { return arrayOf(getPath(p)); }

function list(p) {
  let a = getPath(p);
  if (!Array.isArray(a)) { a = []; setPath(p, a); }
  return a;
}

// ---- times: the form shows wall time, the document keeps its offset ----

function toLocalInput(ts) {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})/.exec(ts || "");
  return m ? m[1] + "T" + m[2] : "";
}

function fromLocalInput(v, old) {
  if (!v) return "";
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(old || "");
  if (m && m[1] === v) return old; // unchanged: the very same text
  let off = m && m[3];
  if (!off) {
    const mins = -new Date(v).getTimezoneOffset();
    const a = Math.abs(mins);
    off = (mins < 0 ? "-" : "+") + String(Math.floor(a / 60)).padStart(2, "0") + ":" + String(a % 60).padStart(2, "0");
  }
  return v + ":00" + off;
}

// ---- building the form ----

let uid = 0;

// Limits the service holds texts to, in characters (the contract's).
const MAX_SHORT = 500, MAX_MARKDOWN = 100000;

// field makes a labelled input bound to a path of the model. opts:
// options (a select), multiline, markdown (a Markdown field: its help and
// limit), type ("datetime-local", "number", "checkbox"), required.
function field(path, label, opts = {}) {
  const id = "f" + ++uid;
  const errId = id + "-error", countId = id + "-count", helpId = id + "-help";
  const cur = getPath(path);
  const multiline = opts.multiline || opts.markdown;
  let input;
  if (opts.options) {
    input = el("select", { id });
    for (const [v, l] of opts.options) input.append(el("option", { value: v, text: l }));
    input.value = cur === undefined ? opts.options[0][0] : String(cur);
    if (input.value !== String(cur ?? opts.options[0][0])) {
      // a value the form does not know is kept and shown as it is
      input.append(el("option", { value: cur, text: String(cur) }));
      input.value = String(cur);
    }
  } else if (multiline) {
    input = el("textarea", { id, rows: opts.rows || 3 });
    input.value = cur ?? "";
  } else if (opts.type === "checkbox") {
    input = el("input", { id, type: "checkbox" });
    input.checked = cur === true;
  } else {
    input = el("input", { id, type: opts.type || "text" });
    if (opts.type === "number") { input.min = "0"; input.max = opts.max || ""; input.step = "1"; }
    input.value = opts.type === "datetime-local" ? toLocalInput(cur) : cur ?? "";
  }
  input.dataset.field = path;
  const describedBy = [errId];
  const max = opts.type ? 0 : opts.markdown ? MAX_MARKDOWN : MAX_SHORT;
  const count = max ? el("span", { class: "count", id: countId }) : null;
  const help = opts.markdown ? el("span", { class: "hint", id: helpId, text: T.mdHelp }) : null;
  if (help) describedBy.push(helpId);
  if (count) describedBy.push(countId);
  input.setAttribute("aria-describedby", describedBy.join(" "));
  if (opts.required) input.required = true;
  // the count shows near the limit (a Markdown field's always)
  const counted = () => {
    if (!count) return;
    const n = [...input.value].length;
    count.textContent = opts.markdown || n >= max * 0.8 ? fmt(T.chars, { n: n.toLocaleString(lang), max: max.toLocaleString(lang) }) : "";
    count.classList.toggle("over", n > max);
  };
  counted();
  const commit = () => {
    let v = input.value;
    if (opts.type === "datetime-local") v = fromLocalInput(v, getPath(path));
    if (opts.type === "checkbox") v = input.checked ? true : "";
    if (opts.type === "number") v = v === "" || isNaN(Number(v)) ? "" : Number(v);
    setPath(path, v, opts.required);
    clearError(input);
    counted();
  };
  input.addEventListener(opts.options || opts.type === "checkbox" ? "change" : "input", commit);
  // what depends on the field is drawn again when it is done (not at
  // every key), keeping the focus where it was
  if (opts.onchange) input.addEventListener("change", () => keepFocus(opts.onchange));
  if (opts.type === "checkbox") {
    return el("div", { class: "field check" }, input, el("label", { for: id, text: label }), el("span", { class: "error", id: errId }));
  }
  return el("div", { class: "field" + (multiline || opts.wide ? " wide" : "") },
    el("label", { for: id, text: label }), input, help, count, el("span", { class: "error", id: errId }));
}

// keepFocus draws part of the form again and puts the focus back on the
// same field of the new form.
function keepFocus(redraw) {
  const a = document.activeElement;
  const f = a && a.dataset ? a.dataset.field : undefined;
  const controls = a && a.getAttribute ? a.getAttribute("aria-controls") : null;
  redraw();
  const again = f ? document.querySelector(`[data-field="${CSS.escape(f)}"]`)
    : controls ? document.querySelector(`[aria-controls="${CSS.escape(controls)}"]`) : null;
  if (again) again.focus();
}

// checks is a group of checkboxes bound to a list of strings at path:
// one box for each of the values, in their order; values the list has
// beyond them are kept and shown checked.
function checks(path, label, values, empty) {
  const id = "f" + ++uid;
  const errId = id + "-error";
  const cur = arrayOf(getPath(path)).filter((n) => typeof n === "string");
  const all = [...new Set([...values, ...cur])];
  const box = el("fieldset", { class: "names wide", id, "aria-describedby": errId });
  box.dataset.field = path;
  box.append(el("legend", { text: label }));
  if (!all.length && empty) box.append(el("span", { class: "hint", text: empty }));
  for (const n of all) {
    const cid = "f" + ++uid;
    const cb = el("input", { type: "checkbox", id: cid });
    cb.checked = cur.includes(n);
    cb.addEventListener("change", () => {
      const now = arrayOf(getPath(path)).filter((x) => x !== n);
      if (cb.checked) now.push(n);
      const ordered = all.filter((x) => now.includes(x));
      setPath(path, ordered.length ? ordered : "", false);
      clearError(box);
    });
    box.append(el("span", { class: "check" }, cb, el("label", { for: cid, text: n })));
  }
  box.append(el("span", { class: "error", id: errId }));
  return box;
}

// names are checkboxes over the participants' names (an item's absent
// list, a statement's authors).
function names(path, label) {
  const people = arrayAt("participants").map((p) => p && p.name).filter((n) => typeof n === "string" && n !== "");
  return checks(path, label, people, T.noneChecked);
}

// fileField chooses an attachment's PDF: the document keeps its name (the
// attachment's file), the session the file. Problems with the file are
// answered for the attachment's path, so they show here.
function fileField(path, redraw) {
  const errId = "f" + ++uid + "-error";
  const name = getPath(path + ".file");
  const chosen = name ? files.get(name) : undefined;
  const input = el("input", { type: "file", accept: "application/pdf,.pdf", "aria-describedby": errId });
  input.dataset.field = path;
  input.addEventListener("change", () => {
    const f = input.files && input.files[0];
    if (!f) return;
    files.set(f.name, f);
    setPath(path + ".file", f.name);
    redraw();
  });
  const state = !name ? T.noFile : chosen ? `${name} · ${size(chosen.size)}` : fmt(T.fileNotLoaded, { file: name });
  return el("div", { class: "field wide attach" },
    el("label", { class: "file" }, el("span", { text: T.pdfFile }), input),
    el("span", { class: "filestate", text: state }),
    name ? button(T.removeFile, () => { setPath(path + ".file", ""); redraw(); }, { "aria-label": T.removeFile + ": " + name }) : null,
    el("span", { class: "error", id: errId }));
}

// chosenFiles are the chosen files the document names, and whether it
// names any it has not got.
function chosenFiles() {
  const out = new Map();
  let missing = false;
  for (const it of arrayAt("items")) {
    for (const a of arrayOf(it && it.attachments)) {
      if (!a || !a.file) continue;
      if (files.has(a.file)) out.set(a.file, files.get(a.file));
      else missing = true;
    }
  }
  return { out, missing };
}

function choices(keys, withDefault) {
  const o = keys.map((k) => [k, T[k] || k]);
  return withDefault ? [["", T.none], ...o] : o;
}

function button(text, onclick, attrs = {}) { return el("button", { type: "button", onclick, ...attrs, text }); }

function renderMeeting() {
  uid = 0;
  const mf = document.getElementById("meeting-fields");
  mf.replaceChildren(
    field("municipality", T.municipality, { required: true }),
    field("committee", T.committee, { required: true, wide: true }),
    field("title", T.title, { wide: true }),
    field("start", T.start, { type: "datetime-local", required: true }),
    field("end", T.end, { type: "datetime-local" }),
    field("location", T.location, { required: true, wide: true }),
    field("status", T.status, { options: [["final", T.statusFinal], ["draft", T.statusDraft]] }),
    field("note", T.note, { markdown: true }),
  );
  renderGroups();
  renderParticipants();
  renderItems();
  renderApprovals();
  renderNav();
}

// renderApprovals lists the members' digital approvals: who (a member),
// when, how.
function renderApprovals() {
  const box = document.getElementById("approvals");
  const as = arrayAt("approvals");
  // the members present: only they approve the minutes
  const members = arrayAt("participants").filter((p) => p && typeof p.name === "string" && p.name &&
    ["chair", "vice_chair", "member", "substitute", undefined, ""].includes(p.role) &&
    [undefined, "", "present"].includes(p.attendance)).map((p) => [p.name, p.name]);
  box.replaceChildren(...as.map((a, i) => row("approvals", i, as.length, `${T.approval} ${i + 1}${a && a.by ? ": " + a.by : ""}`, [
    field(`approvals[${i}].by`, T.approvedBy, { options: [["", T.none], ...members], required: true }),
    field(`approvals[${i}].at`, T.approvedAt, { type: "datetime-local", required: true }),
    field(`approvals[${i}].method`, T.method),
  ], renderApprovals)));
}

// row is a fieldset for one element of a list, with its move and remove
// buttons; a removal can be undone, exactly where it was. A foldable row
// (an item) has a button that folds all but its first fields away.
function row(listPath, i, n, legend, kids, rerender, fold) {
  const a = list(listPath);
  const move = (d) => { const [x] = a.splice(i, 1); a.splice(i + d, 0, x); save(); rerender(); };
  const remove = () => {
    const [x] = a.splice(i, 1);
    save(); rerender();
    offerUndo(legend, () => { list(listPath).splice(i, 0, x); save(); rerender(); });
  };
  const tools = el("div", { class: "row-tools" },
    button(T.up, () => move(-1), { disabled: i === 0, "aria-label": T.up + ": " + legend }),
    button(T.down, () => move(1), { disabled: i === n - 1, "aria-label": T.down + ": " + legend }),
    button(T.remove, remove, { "aria-label": T.remove + ": " + legend }));
  const fs = el("fieldset", { class: "row", id: fold ? fold.id : undefined, tabindex: fold ? "-1" : undefined }, el("legend", { text: legend }));
  if (fold) {
    const shut = fold.collapsed;
    const body = el("div", { class: "fold", id: fold.id + "-body", hidden: shut }, ...kids);
    fs.append(button(shut ? T.expand : T.collapse, () => { fold.toggle(); keepFocus(fold.redraw); },
      { "aria-expanded": String(!shut), "aria-controls": fold.id + "-body", "aria-label": (shut ? T.expand : T.collapse) + ": " + legend, class: "fold-toggle" }), body, tools);
  } else {
    fs.append(...kids, tools);
  }
  return fs;
}

function renderGroups() {
  const box = document.getElementById("groups");
  const gs = arrayAt("groups");
  box.replaceChildren(...gs.map((g, i) => row("groups", i, gs.length, `${T.groupRow} ${g && g.code ? g.code : i + 1}`, [
    field(`groups[${i}].code`, T.gcode, { required: true, onchange: renderItems }),
    field(`groups[${i}].title`, T.gtitle, { required: true, wide: true, onchange: renderItems }),
  ], () => { renderGroups(); renderItems(); })));
}

function renderParticipants() {
  const box = document.getElementById("participants");
  const ps = arrayAt("participants");
  const numbers = arrayAt("items").map((it) => it && it.number).filter((n) => typeof n === "string" && n !== "");
  box.replaceChildren(...ps.map((p, i) => {
    const at = `participants[${i}]`;
    const role = p && p.role;
    const kids = [
      field(at + ".name", T.name, { required: true, onchange: () => { renderItems(); renderApprovals(); } }),
      field(at + ".party", T.party),
      field(at + ".role", T.role, { options: choices(["member", "chair", "vice_chair", "substitute", "official", "guest", "minute_taker"], true), onchange: () => { renderParticipants(); renderApprovals(); } }),
      field(at + ".title", T.ptitle),
      field(at + ".attendance", T.attendance, { options: choices(["present", "absent", "apologies"], true), onchange: renderApprovals }),
      field(at + ".note", T.pnote),
    ];
    if (role === "guest" || role === "official" || arrayOf(p && p.items).length) kids.push(itemNumbers(at + ".items", T.guestItems, numbers));
    return row("participants", i, ps.length, `${T.participant} ${i + 1}${p && p.name ? ": " + p.name : ""}`, kids, () => { renderParticipants(); renderItems(); });
  }));
}

// itemNumbers are checkboxes over the items' numbers (the items a guest
// attends).
function itemNumbers(path, label, numbers) { return checks(path, label, numbers); }

// itemParts are the lists inside an item: sections, attachments and
// statements for the record, each drawn again on its own.
function itemParts(at) {
  const sections = el("div", { class: "sub" });
  const attachments = el("div", { class: "sub" });
  const dissents = el("div", { class: "sub" });
  const drawSections = () => {
    const ss = arrayAt(at + ".sections");
    sections.replaceChildren(el("h4", { text: T.sections }), ...ss.map((s, j) =>
      row(at + ".sections", j, ss.length, `${T.section} ${j + 1}`, [
        field(`${at}.sections[${j}].heading`, T.heading, { required: true, wide: true }),
        field(`${at}.sections[${j}].body`, T.body, { markdown: true, rows: 5 }),
      ], drawSections)),
    button(T.addSection, () => { list(at + ".sections").push({ heading: "", body: "" }); save(); drawSections(); }));
  };
  const drawAttachments = () => {
    const as = arrayAt(at + ".attachments");
    attachments.replaceChildren(el("h4", { text: T.attachments }), ...as.map((a, j) =>
      row(at + ".attachments", j, as.length, `${T.attachment} ${j + 1}`, [
        field(`${at}.attachments[${j}].title`, T.atitle, { required: true, wide: true }),
        field(`${at}.attachments[${j}].number`, T.anumber),
        field(`${at}.attachments[${j}].access`, T.access, { options: [["open", T.open], ["closed", T.closed]] }),
        field(`${at}.attachments[${j}].reference`, T.reference, { wide: true }),
        fileField(`${at}.attachments[${j}]`, drawAttachments),
      ], drawAttachments)),
    button(T.addAttachment, () => { list(at + ".attachments").push({ title: "" }); save(); drawAttachments(); }));
  };
  const drawDissents = () => {
    const ds = arrayAt(at + ".dissents");
    dissents.replaceChildren(el("h4", { text: T.dissents }), ...ds.map((d, j) =>
      row(at + ".dissents", j, ds.length, `${T.dissent} ${j + 1}`, [
        names(`${at}.dissents[${j}].by`, T.by),
        field(`${at}.dissents[${j}].text`, T.dtext, { markdown: true, required: true }),
      ], drawDissents)),
    button(T.addDissent, () => { list(at + ".dissents").push({ by: [], text: "" }); save(); drawDissents(); }));
  };
  drawSections();
  drawAttachments();
  drawDissents();
  return { sections, attachments, dissents };
}

function renderItems() {
  const box = document.getElementById("items");
  const items = arrayAt("items");
  const groups = arrayAt("groups").map((g) => g && g.code).filter((c) => typeof c === "string" && c !== "");
  box.replaceChildren(...items.map((it, i) => {
    const at = `items[${i}]`;
    const { sections, attachments, dissents } = itemParts(at);
    const kids = [
      field(at + ".number", T.number, { required: true }),
      field(at + ".title", T.ititle, { required: true, wide: true }),
      field(at + ".kind", T.kind, { options: [["", T.none], ["decision", T.kindDecision], ["information", T.information], ["discussion", T.discussion], ["other", T.other]] }),
      field(at + ".access", T.access, { options: [["open", T.open], ["closed", T.closed]] }),
      field(at + ".case_number", T.case_number),
      field(at + ".decided_by", T.decided_by),
      field(at + ".duration_minutes", T.duration, { type: "number", max: 1440 }),
    ];
    if (groups.length || (it && it.group)) kids.push(field(at + ".group", T.group, { options: [["", T.none], ...groups.map((g) => [g, g])] }));
    kids.push(field(at + ".addendum", T.addendum, { type: "checkbox" }),
      field(at + ".summary", T.summary, { markdown: true }),
      sections,
      field(at + ".recommendation", T.recommendation, { markdown: true }),
      names(at + ".absent", T.absentItem),
      field(at + ".decision", T.idecision, { markdown: true }),
      dissents,
      attachments);
    const fold = { id: "item-" + i, collapsed: collapsed.has(i), toggle: () => (collapsed.has(i) ? collapsed.delete(i) : collapsed.add(i)), redraw: renderItems };
    return row("items", i, items.length, itemLabel(it, i), kids, () => { collapsed.clear(); renderItems(); renderParticipants(); }, fold);
  }));
}

function itemLabel(it, i) { return `${T.item} ${it && it.number ? it.number : i + 1}${it && it.title ? ": " + it.title : ""}`; }

// renderNav lists the items beside the form: number, title, open or
// closed; a link opens the item (unfolded) and moves there.
function renderNav() {
  const ol = document.getElementById("item-list");
  if (!ol) return;
  const items = arrayAt("items");
  if (!items.length) { ol.replaceChildren(el("li", { class: "hint", text: T.noItems })); return; }
  ol.replaceChildren(...items.map((it, i) => {
    const closed = it && it.access === "closed";
    const a = el("a", { href: "#item-" + i, text: `${it && it.number ? it.number + ". " : ""}${it && it.title ? it.title : T.item + " " + (i + 1)}` });
    a.addEventListener("click", (e) => {
      e.preventDefault();
      if (collapsed.delete(i)) renderItems();
      const target = document.getElementById("item-" + i);
      if (target) { target.scrollIntoView({ block: "start" }); target.focus(); }
    });
    return el("li", {}, a, el("span", { class: "access" + (closed ? " closed" : ""), text: " · " + (closed ? T.closed : T.open) }));
  }));
}

// ---- errors ----

// errorOf is the element that shows an input's problem: the first it is
// described by (its help and count come after).
function errorOf(input) { return document.getElementById((input.getAttribute("aria-describedby") || "").split(" ")[0]); }

function clearError(input) {
  input.removeAttribute("aria-invalid");
  const e = errorOf(input);
  if (e) e.textContent = "";
}

function clearErrors() {
  for (const i of document.querySelectorAll("[aria-invalid]")) clearError(i);
  showAlerts([]);
}

function showAlerts(msgs) {
  const box = document.getElementById("alerts");
  box.replaceChildren();
  if (msgs.length) box.append(el("ul", {}, ...msgs.map((m) => el("li", { text: m }))));
}

// showProblem marks the inputs a problem's errors name and lists the rest.
function showProblem(p, scope) {
  const loose = [];
  let first = null;
  for (const e of p.errors || []) {
    const input = scope && e.field ? fieldFor(scope, e.field) : null;
    if (!input) { loose.push(e.field ? `${e.location || e.field}: ${e.message}` : e.message); continue; }
    if (input.closest(".fold[hidden]")) {
      // a problem in a folded item unfolds it
      const item = /^items\[(\d+)\]/.exec(e.field);
      if (item && collapsed.delete(Number(item[1]))) { renderItems(); return showProblem(p, scope); }
    }
    input.setAttribute("aria-invalid", "true");
    const msg = errorOf(input);
    if (msg) msg.textContent = e.message;
    first = first || input;
  }
  if (!(p.errors || []).length) loose.push(p.detail || p.title || String(p.status));
  showAlerts(loose);
  if (first) first.focus();
  return first !== null;
}

// fieldFor is the input a problem's path names, or the nearest one that
// holds it: items[0].absent[1] is the item's absent list.
function fieldFor(scope, path) {
  for (let p = path; p; p = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, "")) {
    const input = scope.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (input) return input;
    if (!/(\[\d+\]|\.[^.[\]]+)$/.test(p)) break;
  }
  return null;
}

// ---- talking to the API ----

// post sends a document; with attachment files, as the packet upload
// (multipart: the JSON as the part "meeting", each file under its name).
async function post(path, doc, params, attached) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== false));
  const url = path + (q.toString() ? "?" + q : "");
  // the service's answers in the page's language, whatever the browser's
  let init = { method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": lang }, body: JSON.stringify(doc) };
  if (attached && attached.size) {
    const form = new FormData();
    form.append("meeting", init.body); // a string: a Blob would be sent as a file named "blob"
    for (const [name, f] of attached) form.append("file", f, name);
    init = { method: "POST", headers: { "Accept-Language": lang }, body: form };
  }
  const res = await fetch(url, init);
  if (res.ok) return { res, blob: await res.blob() };
  let problem;
  try { problem = await res.json(); } catch { problem = { status: res.status, title: res.statusText }; }
  return { res, problem };
}

function filenameOf(res, fallback) {
  const cd = res.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) { try { return decodeURIComponent(star[1]); } catch { /* the plain name below */ } }
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

// size is a file's size for people: "48 KB", "9,0 MB" (a decimal comma in Danish).
function size(n) {
  if (n < 1024 * 1024) return Math.max(1, Math.round(n / 1024)) + " KB";
  const mb = (n / 1024 / 1024).toFixed(1);
  return (lang === "da" ? mb.replace(".", ",") : mb) + " MB";
}

function options() {
  return {
    document: document.getElementById("document").value,
    template: document.getElementById("template").value,
    lang: document.getElementById("language").value,
    public: document.getElementById("public").checked,
    signatures: document.getElementById("signatures").checked,
    addendum: document.getElementById("addendum").checked,
    seal: document.getElementById("seal").checked,
  };
}

// canSeal: the service has a seal configured; bodyLimit: the largest
// body it takes, 0 unknown (GET /v1/templates says both).
let canSeal = false, bodyLimit = 0;

// showDocumentOptions offers the options that apply to the document
// chosen: a signature sheet for minutes, the supplementary agenda for
// agendas.
function showDocumentOptions() {
  const d = document.getElementById("document").value;
  document.getElementById("signatures-option").hidden = d !== "minutes";
  document.getElementById("addendum-option").hidden = d !== "agenda";
  // minutes and decision records are what the members approve: those are sealed
  document.getElementById("seal-option").hidden = !canSeal || (d !== "minutes" && d !== "decisions");
}

function saveOptions() {
  try { localStorage.setItem(STORE_OPTIONS, JSON.stringify(options())); } catch { /* not kept */ }
  showDocumentOptions();
  edits++;
  markStale();
}

async function preview() {
  const status = document.getElementById("status");
  const o = options();
  clearErrors();
  status.textContent = T.working;
  status.dataset.state = "working";
  // the packet is for agendas and minutes; a decision record has no attachments
  const { out: attached, missing } = o.document === "decisions" ? { out: new Map(), missing: false } : chosenFiles();
  let doc = model;
  if (attached.size && missing) {
    // a packet of the files at hand: the others are listed, not included
    doc = JSON.parse(JSON.stringify(model));
    for (const it of arrayOf(doc.items)) for (const a of arrayOf(it && it.attachments)) if (a && a.file && !attached.has(a.file)) delete a.file;
  }
  // the document and the files chosen, over the service's body limit:
  // said here, in the page's words, without uploading megabytes to be refused
  // (and a browser cut off mid-upload may report only a network error)
  const bytes = new Blob([JSON.stringify(doc)]).size + [...attached.values()].reduce((n, f) => n + f.size, 0);
  if (bodyLimit && bytes > bodyLimit) {
    status.textContent = fmt(T.failed, { detail: fmt(T.packetTooLarge, { size: size(bytes), max: size(bodyLimit) }) });
    status.dataset.state = "error";
    return;
  }
  let r;
  const sent = edits;
  try {
    r = await post("/v1/" + o.document, doc, {
      template: o.template, lang: o.lang, public: o.public ? "true" : "",
      signatures: o.signatures && o.document === "minutes" ? "true" : "",
      addendum: o.addendum && o.document === "agenda" ? "true" : "",
      seal: o.seal && canSeal && o.document !== "agenda" ? "true" : "",
    }, attached);
  } catch (e) {
    status.textContent = fmt(T.network, { detail: String(e) });
    status.dataset.state = "error";
    return;
  }
  if (r.problem) {
    // the last good preview stays: an error never blanks it
    const atField = showProblem(r.problem, document.getElementById("meeting-form"));
    status.textContent = atField ? T.fieldErrors : fmt(T.failed, { detail: r.problem.detail || r.problem.title || r.res.status });
    status.dataset.state = "error";
    return;
  }
  if (previewURL) URL.revokeObjectURL(previewURL);
  previewURL = URL.createObjectURL(r.blob);
  stale = false;
  const frame = document.getElementById("pdf");
  frame.src = previewURL;
  frame.hidden = false;
  frame.classList.remove("stale");
  const a = document.getElementById("download");
  a.href = previewURL;
  a.download = filenameOf(r.res, o.document + ".pdf");
  a.hidden = false;
  const pages = r.res.headers.get("X-Page-Count");
  let note = "";
  if (missing) note = attached.size ? T.filesMissing : T.aloneNote;
  const left = leftOut(r.res.headers.get("X-Left-Out"));
  if (left) note += fmt(T.leftOut, { list: left });
  status.textContent = fmt(T.ready, { pages: pages ? pages + (lang === "da" ? " sider" : " pages") : a.download, size: size(r.blob.size) }) + note;
  status.dataset.state = "ready";
  if (edits !== sent) markStale(); // changed while it was on its way
}

// leftOut says what the packet's attachment files held that it does not
// carry, from the service's X-Left-Out ("forlig.pdf; links=3, b.pdf;
// comments=1"): "forlig.pdf (3 links), b.pdf (1 kommentar)"; "" for none.
function leftOut(header) {
  if (!header) return "";
  return header.split(",").map((v) => {
    const [name, ...counts] = v.trim().split(";").map((p) => p.trim());
    let file = name;
    try { file = decodeURIComponent(name); } catch { /* as sent */ }
    const what = counts.map((c) => {
      const [kind, n] = c.split("=");
      const words = T.leftKinds[kind] || [kind, kind];
      return `${n} ${Number(n) === 1 ? words[0] : words[1]}`;
    });
    return `${file} (${what.join(", ")})`;
  }).join(", ");
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function readJSONFile(input, then) {
  const f = input.files && input.files[0];
  if (!f) return;
  f.text().then((text) => {
    input.value = "";
    let doc;
    try { doc = JSON.parse(text.replace(/^\uFEFF/, "")); } catch (e) { showAlerts([fmt(T.badJSON, { file: f.name, detail: e.message })]); return; }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) { showAlerts([fmt(T.notObject, { file: f.name })]); return; }
    showAlerts([]);
    then(doc, f.name);
  });
}

// importExport reads a case system's export (SBSYS, eDoc, Fujitsu eDoc,
// Acadre, AGMAN) through the service: the meeting it holds becomes the
// page's document, what it lacks is marked at its fields, and what could
// not be taken is listed.
async function importExport(input) {
  const f = input.files[0];
  input.value = "";
  const res = await fetch("/v1/import?lang=" + encodeURIComponent(lang), { method: "POST", headers: { "Content-Type": "application/xml" }, body: f });
  let ans;
  try { ans = await res.json(); } catch { ans = { status: res.status, title: res.statusText }; }
  if (!res.ok) { showProblem(ans, null); return; }
  model = ans.meeting; collapsed.clear(); save(); clearErrors(); renderMeeting();
  document.getElementById("document").value = ans.document;
  saveOptions();
  const msg = fmt(T.importedExport, { file: f.name, format: T.formats[ans.format] || ans.format, items: arrayAt("items").length });
  document.getElementById("status").textContent = msg;
  document.getElementById("import-state").textContent = msg;
  const errors = ans.problems.concat(ans.left_out.map((p) => ({ message: fmt(T.leftOut, p) })));
  if (errors.length) showProblem({ errors }, document.getElementById("meeting-form"));
}

// ---- the budget tab ----

function budgetSummary() {
  const out = document.getElementById("budget-summary");
  if (!budget) { out.textContent = ""; return; }
  const tables = Array.isArray(budget.tables) ? budget.tables : [];
  // lines and groups at every depth (a group is a row with rows)
  let rows = 0, groups = 0;
  const count = (rs, depth) => {
    for (const r of arrayOf(rs)) {
      if (r && Array.isArray(r.rows) && depth < 8) { groups++; count(r.rows, depth + 1); } else rows++;
    }
  };
  for (const t of tables) count(t && t.rows, 0);
  out.textContent = fmt(T.budgetSummary, { title: budget.title || budget.municipality || "", tables: tables.length, rows, groups });
}

async function budgetRequest(format, fetchFile) {
  const status = document.getElementById("budget-status");
  clearErrors();
  if (!budget) { status.textContent = T.budgetNone; status.dataset.state = "error"; return; }
  status.textContent = T.working;
  status.dataset.state = "working";
  let r;
  try { r = await post("/v1/budget", budget, { format }); } catch (e) {
    status.textContent = fmt(T.network, { detail: String(e) }); status.dataset.state = "error"; return;
  }
  if (r.problem) {
    showProblem(r.problem, null);
    status.textContent = fmt(T.failed, { detail: r.problem.detail || r.problem.title || r.res.status });
    status.dataset.state = "error";
    return;
  }
  status.dataset.state = "ready";
  if (fetchFile === "show") {
    const frame = document.getElementById("budget-pdf-frame");
    if (frame.src.startsWith("blob:")) URL.revokeObjectURL(frame.src);
    frame.src = URL.createObjectURL(r.blob);
    frame.hidden = false;
    status.textContent = fmt(T.budgetReady, { size: size(r.blob.size) });
    return;
  }
  if (!fetchFile) { status.textContent = T.budgetOK; return; }
  const name = filenameOf(r.res, "budget." + format);
  download(r.blob, name);
  status.textContent = fmt(T.downloaded, { file: name });
}

// ---- the seal tab ----

// when is a time for people, in Danish time.
function when(ts) {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return new Intl.DateTimeFormat(lang === "da" ? "da-DK" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Copenhagen" }).format(d);
}

// sealReport shows one seal's answers as a list of terms.
function sealReport(s, i, n) {
  const yes = (b) => el("dd", { class: b ? "" : "no", text: b ? T.yes : T.no });
  let source = T.timeSources[s.time_source] || T.timeSources.none;
  if (s.time_source === "timestamp" && !s.time_proven) source = T.timeSources.untrusted;
  const time = (s.time ? when(s.time) + " (" : "") + fmt(source, { tsa: s.timestamp_authority || "" }) + (s.time ? ")" : "");
  const rev = fmt(T.revocations[s.revocation] || T.revocations["not-checked"], { at: s.revoked_at ? when(s.revoked_at) : "" });
  const dl = el("dl", {},
    el("dt", { text: T.sealedBy }), el("dd", { text: s.organization || s.signer || "–" }),
    el("dt", { text: T.certificate }), el("dd", { text: s.signer || "–" }),
    el("dt", { text: T.issuer }), el("dd", { text: s.issuer || "–" }),
    el("dt", { text: T.sealTime }), el("dd", { text: time }),
    el("dt", { text: T.unchanged }), yes(s.intact),
    el("dt", { text: T.wholeFile }), yes(s.covers_whole_file),
    el("dt", { text: T.trusted }), yes(s.trusted),
    el("dt", { text: T.revocation }), el("dd", { class: s.revocation === "revoked" ? "no" : "", text: rev }));
  const kids = [el("h2", { text: fmt(T.sealN, { i: i + 1, n }) }), dl];
  if ((s.problems || []).length) kids.push(el("p", { class: "hint", text: T.notes }), el("ul", {}, ...s.problems.map((p) => el("li", { text: p }))));
  return el("section", { "aria-label": fmt(T.sealN, { i: i + 1, n }) }, ...kids);
}

// verifyFile asks the server what the chosen PDF's seals prove.
async function verifyFile(input) {
  const f = input.files && input.files[0];
  input.value = ""; // the same file may be chosen again
  if (!f) return;
  const status = document.getElementById("verify-status"), out = document.getElementById("verify-report");
  out.replaceChildren();
  if (bodyLimit && f.size > bodyLimit) {
    // said here, without uploading it to be refused (see preview)
    status.textContent = fmt(T.verifyFailed, { detail: fmt(T.tooLarge, { file: f.name, size: size(f.size), max: size(bodyLimit) }) });
    status.dataset.state = "error";
    return;
  }
  status.textContent = fmt(T.verifying, { file: f.name });
  status.dataset.state = "working";
  let res, rep;
  try {
    res = await fetch("/v1/verify?lang=" + lang, { method: "POST", headers: { "Content-Type": "application/pdf" }, body: f });
  } catch (e) {
    status.textContent = fmt(T.network, { detail: String(e) }); status.dataset.state = "error"; return;
  }
  try { rep = await res.json(); } catch { rep = { title: res.statusText || String(res.status) }; } // a proxy's page, say
  if (!res.ok) {
    status.textContent = fmt(T.verifyFailed, { detail: rep.detail || rep.title || res.status }); status.dataset.state = "error"; return;
  }
  const seals = Array.isArray(rep.seals) ? rep.seals : [];
  const holds = seals.length > 0 && seals.every((s) => s.intact && s.covers_whole_file && s.trusted);
  status.textContent = fmt(seals.length === 0 ? T.verifyNone : holds ? T.verifyHolds : T.verifyFails, { file: f.name });
  status.dataset.state = seals.length === 0 ? "none" : holds ? "holds" : "fails";
  out.replaceChildren(...seals.map((s, i) => sealReport(s, i, seals.length)));
}

// ---- start ----

const TABS = ["meeting", "budget", "verify"];

function selectTab(which) {
  for (const t of TABS) {
    const on = t === which;
    document.getElementById("tab-" + t).setAttribute("aria-selected", String(on));
    document.getElementById("tab-" + t).tabIndex = on ? 0 : -1;
    document.getElementById(t).hidden = !on;
  }
}

async function loadTemplates() {
  const sel = document.getElementById("template");
  try {
    const res = await fetch("/v1/templates");
    const { templates, seal, body_limit: limit } = await res.json();
    canSeal = seal === true;
    bodyLimit = Number.isInteger(limit) && limit > 0 ? limit : 0;
    const keep = sel.value;
    // a set's name for people (its set.json), in the page's language
    sel.replaceChildren(...templates.map((t) => el("option", {
      value: t.name, text: (t.title && (t.title[lang] || t.title.da || t.title.en)) || t.name,
      title: t.description && (t.description[lang] || t.description.da || t.description.en),
    })));
    sel.value = templates.some((t) => t.name === keep) ? keep : "default";
  } catch { /* the default set stays the only choice */ }
}

function restore() {
  try {
    const m = JSON.parse(storage().getItem(STORE) || "null");
    if (m && typeof m === "object" && !Array.isArray(m)) { model = m; document.getElementById("status").textContent = T.restored; }
    const b = JSON.parse(storage().getItem(STORE_BUDGET) || "null");
    if (b && typeof b === "object") budget = b;
    return JSON.parse(localStorage.getItem(STORE_OPTIONS) || "null");
  } catch { return null; }
}

// documentName names the document for a question about it.
function documentName() {
  const when = toLocalInput(model.start).slice(0, 10);
  const name = [typeof model.committee === "string" ? model.committee : "", when].filter(Boolean).join(" ");
  return name || T.untitled;
}

// showPrivacy says where the document is kept.
function showPrivacy() {
  const only = sessionOnly();
  document.getElementById("session-only").checked = only;
  document.getElementById("privacy-note").textContent = only ? T.privacySession : T.privacyNote;
}

async function start() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = T[e.dataset.i18n];
  const saved = restore();
  await loadTemplates();
  if (saved) {
    for (const k of ["document", "template", "language"]) {
      const sel = document.getElementById(k === "language" ? "language" : k);
      const v = saved[k === "language" ? "lang" : k];
      if ([...sel.options].some((o) => o.value === v)) sel.value = v;
    }
    document.getElementById("public").checked = !!saved.public;
    document.getElementById("signatures").checked = !!saved.signatures;
    document.getElementById("addendum").checked = !!saved.addendum;
    document.getElementById("seal").checked = !!saved.seal;
  }
  showDocumentOptions();
  showPrivacy();
  renderMeeting();
  budgetSummary();

  const on = (id, ev, f) => document.getElementById(id).addEventListener(ev, f);
  TABS.forEach((t, i) => {
    on("tab-" + t, "click", () => selectTab(t));
    on("tab-" + t, "keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
      selectTab(next);
      document.getElementById("tab-" + next).focus();
    });
  });
  on("import", "change", (e) => {
    const f = e.target.files && e.target.files[0];
    if (f && /\.xml$/i.test(f.name)) { importExport(e.target); return; }
    readJSONFile(e.target, (doc, name) => {
      model = doc; collapsed.clear(); save(); clearErrors(); renderMeeting();
      document.getElementById("status").textContent = fmt(T.imported, { file: name });
      document.getElementById("import-state").textContent = fmt(T.imported, { file: name });
    });
  });
  on("export", "click", () => {
    const name = ((model.committee || "protokol") + " " + toLocalInput(model.start).slice(0, 10)).trim().replace(/[\\/:*?"<>|]+/g, "-") + ".json";
    download(new Blob([JSON.stringify(model, null, 2) + "\n"], { type: "application/json" }), name);
  });
  on("clear", "click", () => {
    const what = documentName();
    if (!window.confirm(fmt(T.confirmNew, { what, items: arrayAt("items").length, people: arrayAt("participants").length }))) return;
    const old = model;
    model = {}; collapsed.clear(); save(); clearErrors(); renderMeeting();
    offerUndo(what, () => { model = old; save(); renderMeeting(); });
  });
  on("forget", "click", () => {
    if (!window.confirm(fmt(T.confirmForget, { what: documentName() }))) return;
    for (const s of [localStorage, sessionStorage]) { try { s.removeItem(STORE); s.removeItem(STORE_BUDGET); } catch { /* nothing kept */ } }
    model = {}; budget = null; collapsed.clear(); clearErrors(); renderMeeting(); budgetSummary();
    try { storage().removeItem(STORE); } catch { /* nothing kept */ }
    document.getElementById("undo").replaceChildren();
    document.getElementById("status").textContent = T.forgotten;
  });
  on("session-only", "change", (e) => {
    // move what is kept to where it is to be kept, and nowhere else
    try {
      if (e.target.checked) localStorage.setItem(STORE_SESSION, "1"); else localStorage.removeItem(STORE_SESSION);
      const [from, to] = e.target.checked ? [localStorage, sessionStorage] : [sessionStorage, localStorage];
      for (const k of [STORE, STORE_BUDGET]) {
        const v = from.getItem(k);
        if (v !== null) to.setItem(k, v);
        from.removeItem(k);
      }
    } catch { /* storage refused: nothing to move */ }
    showPrivacy();
  });
  on("add-approval", "click", () => { list("approvals").push({ by: "", at: "" }); save(); renderApprovals(); });
  on("add-group", "click", () => { list("groups").push({ code: "", title: "" }); save(); renderGroups(); renderItems(); });
  on("add-participant", "click", () => { list("participants").push({ name: "" }); save(); renderParticipants(); });
  on("add-item", "click", () => {
    const items = list("items");
    items.push({ number: String(items.length + 1), title: "" });
    save(); renderItems();
  });
  for (const id of ["document", "template", "language", "public", "signatures", "addendum", "seal"]) on(id, "change", saveOptions);
  on("preview", "click", preview);
  on("import-budget", "change", (e) => readJSONFile(e.target, (doc, name) => {
    budget = doc;
    try { storage().setItem(STORE_BUDGET, JSON.stringify(doc)); } catch { /* kept for this visit only */ }
    budgetSummary();
    document.getElementById("budget-status").textContent = fmt(T.imported, { file: name });
  }));
  on("check-budget", "click", () => budgetRequest("xlsx", false));
  on("preview-budget", "click", () => budgetRequest("pdf", "show"));
  on("budget-xlsx", "click", () => budgetRequest("xlsx", true));
  on("budget-pdf", "click", () => budgetRequest("pdf", true));
  on("verify-file", "change", (e) => verifyFile(e.target));
  document.body.dataset.ready = "true";
}

start();
