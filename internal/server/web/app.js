// Protokol's page: a form over a meeting document, kept in the browser.
//
// The document is the JSON object itself (model): every input edits one
// path of it in place, so fields the form does not show are kept as they
// were, and an import exported unchanged is the same JSON. Nothing is
// sent anywhere but this server's own API.
"use strict";

const TEXT = {
  da: {
    meetingTab: "Møde", budgetTab: "Budget", import: "Importér JSON", export: "Eksportér JSON", clear: "Nyt dokument",
    confirmClear: "Slette det nuværende dokument fra browseren og begynde forfra?",
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
    filesMissing: " Bilag uden valgt fil er ikke vedlagt.", aloneNote: " Bilagenes filer er ikke valgt: dagsordenen alene.",
    working: "Danner …", ready: "PDF dannet: {pages} ({size}).", failed: "Ikke dannet: {detail}",
    fieldErrors: "Dokumentet har fejl: se felterne markeret med rødt.", network: "Serveren svarer ikke: {detail}",
    imported: "{file} er indlæst.", badJSON: "{file} er ikke gyldig JSON: {detail}", notObject: "{file} er ikke et JSON-objekt.",
    budgetOK: "Budgettet er gyldigt.", budgetNone: "Importér et budget først.", downloaded: "{file} er hentet.",
    budgetSummary: "{title}: {tables} tabeller, {rows} rækker.", restored: "Dokumentet fra sidste gang er hentet frem.",
  },
  en: {
    meetingTab: "Meeting", budgetTab: "Budget", import: "Import JSON", export: "Export JSON", clear: "New document",
    confirmClear: "Delete the current document from the browser and start over?",
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
    imported: "{file} is loaded.", badJSON: "{file} is not valid JSON: {detail}", notObject: "{file} is not a JSON object.",
    budgetOK: "The budget is valid.", budgetNone: "Import a budget first.", downloaded: "{file} is downloaded.",
    budgetSummary: "{title}: {tables} tables, {rows} rows.", restored: "The document from last time is back.",
  },
};

const STORE = "protokol.meeting", STORE_BUDGET = "protokol.budget", STORE_OPTIONS = "protokol.options";

const lang = pickLanguage();
const T = TEXT[lang];
let model = {};          // the meeting document
let budget = null;       // the budget document, as imported
let previewURL = null;   // the object URL of the last good preview
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

function save() {
  try { localStorage.setItem(STORE, JSON.stringify(model)); } catch (e) { showAlerts([String(e)]); }
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

// field makes a labelled input bound to a path of the model.
function field(path, label, opts = {}) {
  const id = "f" + ++uid;
  const errId = id + "-error";
  const cur = getPath(path);
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
  } else if (opts.multiline) {
    input = el("textarea", { id, rows: opts.rows || 3 });
    input.value = cur ?? "";
  } else {
    input = el("input", { id, type: opts.type || "text" });
    input.value = opts.type === "datetime-local" ? toLocalInput(cur) : cur ?? "";
  }
  input.dataset.field = path;
  input.setAttribute("aria-describedby", errId);
  if (opts.required) input.required = true;
  const commit = () => {
    let v = input.value;
    if (opts.type === "datetime-local") v = fromLocalInput(v, getPath(path));
    setPath(path, v, opts.required);
    clearError(input);
    if (opts.onchange) opts.onchange();
  };
  input.addEventListener(opts.options ? "change" : "input", commit);
  return el("div", { class: "field" + (opts.multiline ? " wide" : "") },
    el("label", { for: id, text: label }), input, el("span", { class: "error", id: errId }));
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
    field("committee", T.committee, { required: true }),
    field("title", T.title),
    field("start", T.start, { type: "datetime-local", required: true }),
    field("end", T.end, { type: "datetime-local" }),
    field("location", T.location, { required: true }),
    field("status", T.status, { options: [["final", T.statusFinal], ["draft", T.statusDraft]] }),
    field("note", T.note, { multiline: true }),
  );
  renderParticipants();
  renderItems();
}

// row is a fieldset for one element of a list, with its move and remove buttons.
function row(listPath, i, n, legend, kids, rerender) {
  const a = list(listPath);
  const move = (d) => { const [x] = a.splice(i, 1); a.splice(i + d, 0, x); save(); rerender(); };
  const tools = el("div", { class: "row-tools" },
    button(T.up, () => move(-1), { disabled: i === 0, "aria-label": T.up + ": " + legend }),
    button(T.down, () => move(1), { disabled: i === n - 1, "aria-label": T.down + ": " + legend }),
    button(T.remove, () => { a.splice(i, 1); save(); rerender(); }, { "aria-label": T.remove + ": " + legend }));
  return el("fieldset", { class: "row" }, el("legend", { text: legend }), ...kids, tools);
}

function renderParticipants() {
  const box = document.getElementById("participants");
  const ps = arrayAt("participants");
  box.replaceChildren(...ps.map((p, i) => {
    const at = `participants[${i}]`;
    return row("participants", i, ps.length, `${T.participant} ${i + 1}${p && p.name ? ": " + p.name : ""}`, [
      field(at + ".name", T.name, { required: true }),
      field(at + ".party", T.party),
      field(at + ".role", T.role, { options: choices(["member", "chair", "vice_chair", "substitute", "official", "guest", "minute_taker"], true) }),
      field(at + ".title", T.ptitle),
      field(at + ".attendance", T.attendance, { options: choices(["present", "absent", "apologies"], true) }),
      field(at + ".note", T.pnote),
    ], renderParticipants);
  }));
}

function renderItems() {
  const box = document.getElementById("items");
  const items = arrayAt("items");
  box.replaceChildren(...items.map((it, i) => {
    const at = `items[${i}]`;
    const sections = el("div", { class: "sub" });
    const attachments = el("div", { class: "sub" });
    const drawSections = () => {
      const ss = arrayAt(at + ".sections");
      sections.replaceChildren(el("h4", { text: T.sections }), ...ss.map((s, j) =>
        row(at + ".sections", j, ss.length, `${T.section} ${j + 1}`, [
          field(`${at}.sections[${j}].heading`, T.heading, { required: true }),
          field(`${at}.sections[${j}].body`, T.body, { multiline: true, rows: 5 }),
        ], drawSections)),
      button(T.addSection, () => { list(at + ".sections").push({ heading: "", body: "" }); save(); drawSections(); }));
    };
    const drawAttachments = () => {
      const as = arrayAt(at + ".attachments");
      attachments.replaceChildren(el("h4", { text: T.attachments }), ...as.map((a, j) =>
        row(at + ".attachments", j, as.length, `${T.attachment} ${j + 1}`, [
          field(`${at}.attachments[${j}].title`, T.atitle, { required: true }),
          field(`${at}.attachments[${j}].number`, T.anumber),
          field(`${at}.attachments[${j}].access`, T.access, { options: [["open", T.open], ["closed", T.closed]] }),
          fileField(`${at}.attachments[${j}]`, drawAttachments),
        ], drawAttachments)),
      button(T.addAttachment, () => { list(at + ".attachments").push({ title: "" }); save(); drawAttachments(); }));
    };
    drawSections();
    drawAttachments();
    return row("items", i, items.length, `${T.item} ${it && it.number ? it.number : i + 1}${it && it.title ? ": " + it.title : ""}`, [
      field(at + ".number", T.number, { required: true }),
      field(at + ".title", T.ititle, { required: true }),
      field(at + ".kind", T.kind, { options: choices(["decision", "information", "discussion", "other"], true) }),
      field(at + ".access", T.access, { options: [["open", T.open], ["closed", T.closed]] }),
      field(at + ".case_number", T.case_number),
      field(at + ".summary", T.summary, { multiline: true }),
      sections,
      field(at + ".recommendation", T.recommendation, { multiline: true }),
      field(at + ".decision", T.idecision, { multiline: true }),
      attachments,
    ], renderItems);
  }));
}

// ---- errors ----

function clearError(input) {
  input.removeAttribute("aria-invalid");
  const e = document.getElementById(input.getAttribute("aria-describedby"));
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
    const input = scope && e.field ? scope.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
    if (!input) { loose.push(e.field ? `${e.field}: ${e.message}` : e.message); continue; }
    input.setAttribute("aria-invalid", "true");
    const msg = document.getElementById(input.getAttribute("aria-describedby"));
    if (msg) msg.textContent = e.message;
    first = first || input;
  }
  if (!(p.errors || []).length) loose.push(p.detail || p.title || String(p.status));
  showAlerts(loose);
  if (first) first.focus();
  return first !== null;
}

// ---- talking to the API ----

// post sends a document; with attachment files, as the packet upload
// (multipart: the JSON as the part "meeting", each file under its name).
async function post(path, doc, params, attached) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== false));
  const url = path + (q.toString() ? "?" + q : "");
  let init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) };
  if (attached && attached.size) {
    const form = new FormData();
    form.append("meeting", init.body); // a string: a Blob would be sent as a file named "blob"
    for (const [name, f] of attached) form.append("file", f, name);
    init = { method: "POST", body: form };
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

function size(n) { return n < 1024 * 1024 ? Math.max(1, Math.round(n / 1024)) + " KB" : (n / 1024 / 1024).toFixed(1) + " MB"; }

function options() {
  return {
    document: document.getElementById("document").value,
    template: document.getElementById("template").value,
    lang: document.getElementById("language").value,
    public: document.getElementById("public").checked,
  };
}

function saveOptions() { try { localStorage.setItem(STORE_OPTIONS, JSON.stringify(options())); } catch { /* not kept */ } }

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
  let r;
  try {
    r = await post("/v1/" + o.document, doc, { template: o.template, lang: o.lang, public: o.public ? "true" : "" }, attached);
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
  const frame = document.getElementById("pdf");
  frame.src = previewURL;
  frame.hidden = false;
  const a = document.getElementById("download");
  a.href = previewURL;
  a.download = filenameOf(r.res, o.document + ".pdf");
  a.hidden = false;
  const pages = r.res.headers.get("X-Page-Count");
  let note = "";
  if (missing) note = attached.size ? T.filesMissing : T.aloneNote;
  status.textContent = fmt(T.ready, { pages: pages ? pages + (lang === "da" ? " sider" : " pages") : a.download, size: size(r.blob.size) }) + note;
  status.dataset.state = "ready";
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

// ---- the budget tab ----

function budgetSummary() {
  const out = document.getElementById("budget-summary");
  if (!budget) { out.textContent = ""; return; }
  const tables = Array.isArray(budget.tables) ? budget.tables : [];
  let rows = 0;
  for (const t of tables) rows += Array.isArray(t && t.rows) ? t.rows.length : 0;
  out.textContent = fmt(T.budgetSummary, { title: budget.title || budget.municipality || "", tables: tables.length, rows });
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
  if (!fetchFile) { status.textContent = T.budgetOK; return; }
  const name = filenameOf(r.res, "budget." + format);
  download(r.blob, name);
  status.textContent = fmt(T.downloaded, { file: name });
}

// ---- start ----

function selectTab(which) {
  for (const t of ["meeting", "budget"]) {
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
    const { templates } = await res.json();
    const keep = sel.value;
    sel.replaceChildren(...templates.map((t) => el("option", { value: t.name, text: t.name })));
    sel.value = templates.some((t) => t.name === keep) ? keep : "default";
  } catch { /* the default set stays the only choice */ }
}

function restore() {
  try {
    const m = JSON.parse(localStorage.getItem(STORE) || "null");
    if (m && typeof m === "object" && !Array.isArray(m)) { model = m; document.getElementById("status").textContent = T.restored; }
    const b = JSON.parse(localStorage.getItem(STORE_BUDGET) || "null");
    if (b && typeof b === "object") budget = b;
    return JSON.parse(localStorage.getItem(STORE_OPTIONS) || "null");
  } catch { return null; }
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
  }
  renderMeeting();
  budgetSummary();

  const on = (id, ev, f) => document.getElementById(id).addEventListener(ev, f);
  on("tab-meeting", "click", () => selectTab("meeting"));
  on("tab-budget", "click", () => selectTab("budget"));
  for (const id of ["tab-meeting", "tab-budget"]) {
    on(id, "keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      const next = id === "tab-meeting" ? "budget" : "meeting";
      selectTab(next);
      document.getElementById("tab-" + next).focus();
    });
  }
  on("import", "change", (e) => readJSONFile(e.target, (doc, name) => {
    model = doc; save(); clearErrors(); renderMeeting();
    document.getElementById("status").textContent = fmt(T.imported, { file: name });
  }));
  on("export", "click", () => {
    const name = ((model.committee || "protokol") + " " + toLocalInput(model.start).slice(0, 10)).trim().replace(/[\\/:*?"<>|]+/g, "-") + ".json";
    download(new Blob([JSON.stringify(model, null, 2) + "\n"], { type: "application/json" }), name);
  });
  on("clear", "click", () => {
    if (!window.confirm(T.confirmClear)) return;
    model = {}; save(); clearErrors(); renderMeeting();
  });
  on("add-participant", "click", () => { list("participants").push({ name: "" }); save(); renderParticipants(); });
  on("add-item", "click", () => {
    const items = list("items");
    items.push({ number: String(items.length + 1), title: "" });
    save(); renderItems();
  });
  for (const id of ["document", "template", "language", "public"]) on(id, "change", saveOptions);
  on("preview", "click", preview);
  on("import-budget", "change", (e) => readJSONFile(e.target, (doc, name) => {
    budget = doc;
    try { localStorage.setItem(STORE_BUDGET, JSON.stringify(doc)); } catch { /* kept for this visit only */ }
    budgetSummary();
    document.getElementById("budget-status").textContent = fmt(T.imported, { file: name });
  }));
  on("check-budget", "click", () => budgetRequest("xlsx", false));
  on("budget-xlsx", "click", () => budgetRequest("xlsx", true));
  on("budget-pdf", "click", () => budgetRequest("pdf", true));
  document.body.dataset.ready = "true";
}

start();
