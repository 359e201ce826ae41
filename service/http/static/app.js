// tm web page: translator, glossary and pretranslation views over the JSON API (the
// administration view is in admin.js).
"use strict";

const $ = (selector) => document.querySelector(selector);
const KEY_STORE = "tm.key";
const STATUS_FR = { preferred: "privilégié", admitted: "admis", deprecated: "déconseillé", superseded: "remplacé" };
const ROLE_FR = { translator: "traducteur", maintainer: "terminologue", admin: "administrateur" };
const REVIEWERS = new Set(["maintainer", "admin"]); // roles that may reject or confirm a pair
let callerRole = null; // the key's role, as GET /whoami tells

// ---------------------------------------------------------------- API key and requests

function readKey() {
  const match = location.hash.match(/key=([^&]+)/);
  if (match) {
    localStorage.setItem(KEY_STORE, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return localStorage.getItem(KEY_STORE) || "";
}

function say(message, kind = "ok") {
  const status = $("#status");
  status.textContent = message;
  status.className = "status " + kind;
}

// A message shown in `form` itself (its `.form-message`), where the user is looking, and
// scrolled into view; an empty message hides it.
function sayAt(form, message, kind = "error") {
  let box = form.querySelector(".form-message");
  if (!box) {
    box = el("p", { class: "form-message", role: "alert" });
    form.prepend(box);
  }
  box.textContent = message;
  box.className = "form-message " + kind;
  box.hidden = !message;
  if (message) box.scrollIntoView({ block: "nearest" });
}

// A validation error's items as "field: message" (FastAPI's 422 detail is a list).
function describeDetail(detail) {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return JSON.stringify(detail);
  return detail.map((d) => {
    const where = (d.loc || []).filter((part) => part !== "body" && part !== "query").join(".");
    return where ? `${where} : ${d.msg}` : d.msg;
  }).join(" ; ");
}

// A request with the stored key; JSON or text back (a Blob with `blob: true`); a 4xx/5xx
// answer throws an Error carrying the status and the API's reason.
async function api(path, { method = "GET", body, headers = {}, form, blob = false } = {}) {
  const key = localStorage.getItem(KEY_STORE);
  const sent = { "Accept-Language": "fr", ...headers }; // the API's messages in French
  if (key) sent["Authorization"] = "Bearer " + key;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    sent["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers: sent, body: payload });
  const type = response.headers.get("content-type") || "";
  let data;
  if (type.includes("json")) data = await response.json();
  else data = blob && response.ok ? await response.blob() : await response.text();
  if (!response.ok) {
    const detail = data && data.detail ? data.detail : data || response.statusText;
    const error = new Error(describeDetail(detail));
    error.status = response.status;
    throw error;
  }
  return { data, response };
}

function explain(error) {
  const prefix = { 400: "Requête refusée", 401: "Clé d’API requise ou inconnue", 403: "Rôle insuffisant",
    404: "Introuvable", 409: "Conflit",
    412: "Modifié entre-temps par quelqu’un d’autre — rechargez", 413: "Fichier trop volumineux",
    422: "Entrée refusée", 428: "Version manquante", 503: "Service surchargé, réessayez" }[error.status];
  return prefix ? `${prefix} : ${error.message}` : error.message;
}

// ---------------------------------------------------------------- rendering helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// Text with [start, end, makeNode] spans replaced by nodes (spans sorted, non-overlapping).
function withSpans(text, spans) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end, make] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    fragment.append(text.slice(at, start), make(text.slice(start, end)));
    at = end;
  }
  fragment.append(text.slice(at));
  return fragment;
}

// Word tokens with their character offsets.
function tokens(text) {
  const found = [];
  const pattern = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[^\s\p{L}\p{N}]/gu;
  let match;
  while ((match = pattern.exec(text))) found.push({ word: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  return found;
}

// Character spans of the TM source's tokens that are not in the query (word-level LCS).
function differing(query, source) {
  const a = tokens(query), b = tokens(source);
  const table = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i][j] = a[i].word === b[j].word ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const kept = new Set();
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i].word === b[j].word) { kept.add(j); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return b.filter((_, j) => !kept.has(j)).map((t) => [t.start, t.end]);
}

// Where `part` occurs in `text` from `from` as whole words (not "les" inside "Bruxelles").
function wordIndex(text, part, from) {
  const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu");
  pattern.lastIndex = from;
  const found = pattern.exec(text);
  return found ? found.index : -1;
}

// Spans of the TM source to highlight: from the engine's edits when given, else computed.
function diffSpans(query, match) {
  if (match.edits && match.edits.length) {
    const spans = [];
    let from = 0;
    for (const edit of match.edits) {
      if (!edit.source_text) continue;
      const at = wordIndex(match.source, edit.source_text, from);
      if (at >= 0) { spans.push([at, at + edit.source_text.length]); from = at + edit.source_text.length; }
    }
    if (spans.length) return spans;
  }
  return differing(query, match.source);
}

const diffMark = (text) => el("mark", { class: "diff", title: "diffère de votre texte" }, text);

// ---------------------------------------------------------------- translator view

let lookupTimer = null;
let lookupSerial = 0;

function renderTerms(query, terms) {
  const view = $("#query-view");
  view.replaceChildren(withSpans(query, terms.map((t) => [t.start, t.end, (text) => el("mark", {
    class: "term" + (t.status === "deprecated" || t.status === "superseded" ? " deprecated" : ""),
    title: `${t.fr} → ${t.en || "—"}`,
  }, text)])));
  $("#terms").replaceChildren(...terms.map((t) => el("li", { class: "term-entry" },
    el("span", { lang: "fr", text: t.text }), " → ", el("strong", { lang: "en", text: t.en || "(pas d’équivalent)" }),
    t.status !== "preferred" ? ` (${STATUS_FR[t.status] || t.status})` : "")));
}

// The suggested English with each span adapted to the query (a date, a number…) marked, and
// the TM's original beside it.
function adaptedTarget(match, target) {
  if (target !== match.adapted_target || !(match.adaptations || []).length) return target;
  return withSpans(target, match.adaptations.map((a) => [a.start, a.end, (text) => el("span", { class: "adaptation" },
    el("mark", { class: "adapted", title: `adapté au texte ; mémoire : ${a.original}` }, text),
    el("span", { class: "original", lang: "en", text: ` (mémoire : ${a.original})` }))]));
}

function renderMatch(query, match) {
  const target = match.adapted_target || match.target;
  const item = el("li", { class: "suggestion" },
    el("header", {},
      el("span", { class: "score", text: `${Math.round(match.score * 10) / 10} %` }),
      el("span", { class: `band band-${match.band}`, text: match.band === "none" ? "sans correspondance" : `tranche ${match.band}` }),
      el("span", { class: "hint", text: [match.origin, match.document].filter(Boolean).join(" · ") })),
    el("p", { class: "source", lang: "fr" }, withSpans(match.source, diffSpans(query, match).map(([s, e]) => [s, e, diffMark]))),
    el("p", { class: "target", lang: "en" }, adaptedTarget(match, target)));
  if (match.count > 1) {
    item.querySelector("header").append(el("span", {
      class: "badge merged",
      title: `Paires identiques : n° ${[match.id, ...match.merged].join(", n° ")}`,
      text: `× ${match.count} paires identiques`,
    }));
  }
  if (match.penalties.length) {
    item.append(el("p", { class: "hint penalties", text: "Pénalités : " + match.penalties.map((p) => `${p.label || p.code} −${p.points}${p.detail ? " (" + p.detail + ")" : ""}`).join(", ") }));
  }
  const notes = [...(match.notes || []).map((n) => ({ severity: "info", message: n })), ...match.findings];
  if (notes.length) {
    item.append(el("ul", { class: "findings", "aria-label": "Avertissements" },
      ...notes.map((f) => el("li", { class: f.severity, text: f.message }))));
  }
  const use = el("button", { type: "button", class: "secondary", text: "Reprendre cette traduction" });
  use.addEventListener("click", () => { $("#translation").value = target; $("#translation").focus(); });
  const actions = el("div", { class: "actions" }, use);
  if (REVIEWERS.has(callerRole)) actions.append(...reviewButtons(match));
  item.append(actions);
  if (match.status === "flagged") {
    item.classList.add("flagged");
    item.querySelector("header").append(el("span", { class: "badge doubt", text: "paire douteuse" }));
  }
  return item;
}

// A maintainer's review of a suggested pair: reject it (never suggested again) with a reason,
// or, for a pair the quality check doubts, confirm it (POST /segments/reject|confirm, audited
// under the key's name).
function reviewButtons(match) {
  const reject = el("button", { type: "button", class: "secondary danger", text: "Rejeter cette paire" });
  const note = el("input", { type: "text", class: "reject-note", "aria-label": "Motif du rejet", placeholder: "Motif du rejet (facultatif)", maxlength: "2000" });
  const sure = el("button", { type: "button", class: "danger", text: "Confirmer le rejet" });
  const form = el("span", { class: "reject-form" }, note, sure);
  form.hidden = true;
  reject.addEventListener("click", () => { form.hidden = false; note.focus(); });
  sure.addEventListener("click", () => review("reject", match, note.value.trim()));
  const buttons = [reject, form];
  if (match.status === "flagged") {
    const confirm = el("button", { type: "button", class: "secondary", text: "Paire correcte" });
    confirm.addEventListener("click", () => review("confirm", match, ""));
    buttons.unshift(confirm);
  }
  return buttons;
}

async function review(action, match, note) {
  try {
    await api(`/segments/${action}`, { method: "POST", body: { ids: [match.id], note } });
    say(action === "reject"
      ? `Paire n° ${match.id} rejetée : elle ne sera plus proposée.`
      : `Paire n° ${match.id} confirmée.`);
    clearTimeout(lookupTimer);
    lookup();
  } catch (error) {
    say(explain(error), "error");
  }
}

async function lookup() {
  const text = $("#query").value.trim();
  const serial = ++lookupSerial;
  if (!text) {
    $("#suggestions").replaceChildren();
    $("#query-view").replaceChildren();
    $("#terms").replaceChildren();
    $("#no-match").hidden = true;
    return;
  }
  try {
    const threshold = Number($("#threshold").value) || 0;
    const { data } = await api("/lookup", { method: "POST", body: { text, limit: 5, threshold } });
    if (serial !== lookupSerial) return; // a newer query is on its way
    renderTerms(data.query, data.terms);
    $("#suggestions").replaceChildren(...data.matches.map((m) => renderMatch(data.query, m)));
    $("#no-match").hidden = data.matches.length > 0;
    if ($("#status").classList.contains("error")) say("");
  } catch (error) {
    if (serial === lookupSerial) say(explain(error), "error");
  }
}

function scheduleLookup() {
  clearTimeout(lookupTimer);
  lookupTimer = setTimeout(lookup, 250);
}

async function save(event) {
  event.preventDefault();
  const source = $("#query").value.trim();
  const target = $("#translation").value.trim();
  if (!source || !target) { say("Saisissez le texte français et sa traduction.", "error"); return; }
  try {
    const { data } = await api("/segments", { method: "POST", body: { source, target, origin: "web" } });
    say(`Traduction enregistrée (segment n° ${data.id}).`);
    clearTimeout(lookupTimer);
    lookup();
  } catch (error) {
    say(explain(error), "error");
  }
}

// The French of the API's `note` (service/pipelines/concordance.py, `note`): why a search
// stopped before checking every segment holding the phrase's words ("" when it did not).
function concordanceNote(stopped) {
  if (!stopped.length) return "";
  const [first] = stopped;
  const why = stopped.some((s) => s.reason === "time")
    ? "La recherche a atteint sa limite de temps" : "L'expression est très courante";
  const where = stopped.length > 1 ? "de chaque côté" : first.side === "source" ? "côté français" : "côté anglais";
  return `${why} : seuls les ${first.checked.toLocaleString("fr-FR")} segments les plus récents contenant ses mots (${where}) ont été examinés ; ajoutez un mot pour affiner la recherche.`;
}

async function concordance(event) {
  event.preventDefault();
  const q = $("#concordance").value.trim();
  if (q.length < 2) { say("Saisissez au moins deux caractères.", "error"); return; }
  $("#concordance-note").hidden = true;
  try {
    const params = new URLSearchParams({ q, side: $("#concordance-side").value, limit: "50" });
    const { data } = await api("/concordance?" + params);
    const hit = (text) => el("mark", { class: "hit" }, text);
    const rows = data.occurrences.map((o) => el("tr", {},
      el("td", { lang: "fr" }, withSpans(o.source, o.source_spans.map(([s, e]) => [s, e, hit]))),
      el("td", { lang: "en" }, withSpans(o.target, o.target_spans.map(([s, e]) => [s, e, hit]))),
      el("td", { class: "hint", text: [o.origin, o.document, o.status === "flagged" ? "paire douteuse" : ""].filter(Boolean).join(" · ") })));
    $("#concordance-results tbody").replaceChildren(...rows);
    $("#concordance-results").hidden = false;
    $("#concordance-note").textContent = concordanceNote(data.stopped);
    $("#concordance-note").hidden = data.complete;
    say(`${rows.length} occurrence(s).`);
  } catch (error) {
    say(explain(error), "error");
  }
}

// ---------------------------------------------------------------- glossary view

const EDITORS = new Set(["maintainer", "admin"]); // roles that may edit the glossary
const LANGUAGE_FR = { fr: "Français", en: "Anglais" };
const FIELD_FR = { text: "terme", status: "statut", note: "note", source: "source" };

// One card per concept: its definition, then its French and English terms with their
// statuses and notes; edit buttons only for a key that may edit.
function conceptCard(concept) {
  const card = el("article", { class: "concept", "data-concept": concept.id, "aria-label": `Concept ${concept.id}` },
    el("header", {}, el("strong", { text: `Concept ${concept.id}` }),
      concept.subject ? el("span", { class: "hint", text: ` · ${concept.subject}` }) : ""));
  if (concept.definition) card.append(el("p", { class: "definition", text: concept.definition }));
  const sides = el("div", { class: "concept-sides" });
  for (const language of ["fr", "en"]) {
    const terms = concept.terms.filter((t) => t.language === language);
    sides.append(el("section", { class: `side side-${language}`, "aria-label": LANGUAGE_FR[language] },
      el("h4", { text: LANGUAGE_FR[language] }),
      terms.length ? el("ul", { class: "concept-terms" }, ...terms.map(termRow)) : el("p", { class: "empty", text: "(aucun terme)" })));
  }
  card.append(sides);
  return card;
}

function termRow(term) {
  const row = el("li", { class: "term-row", "data-term": String(term.id) },
    el("span", { class: "term-text", lang: term.language, text: term.text }), " ",
    el("span", { class: "term-status status-" + term.status, text: STATUS_FR[term.status] || term.status }),
    term.note ? el("span", { class: "hint term-note", text: ` — ${term.note}` }) : "", " ");
  const actions = el("span", { class: "nowrap term-actions" });
  if (EDITORS.has(callerRole)) {
    const edit = el("button", { type: "button", class: "secondary", text: "Modifier", "aria-label": `Modifier ${term.text}` });
    edit.addEventListener("click", () => openTerm(term.id, row));
    actions.append(edit, " ");
  }
  const past = el("button", { type: "button", class: "secondary", text: "Historique", "aria-label": `Historique de ${term.text}` });
  past.addEventListener("click", () => showHistory(term.id, term.text, row));
  actions.append(past);
  row.append(actions);
  return row;
}

async function searchGlossary(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams({ q: $("#glossary-query").value.trim(), limit: "100" });
  if ($("#glossary-status").value) params.set("status", $("#glossary-status").value);
  try {
    const { data } = await api("/glossary/concepts?" + params);
    parkGlossaryPanels();
    $("#glossary-results").replaceChildren(...data.concepts.map(conceptCard));
    $("#glossary-results").hidden = data.concepts.length === 0;
    $("#glossary-count").textContent = `${data.total} concept(s) trouvé(s).`;
  } catch (error) {
    say(explain(error), "error");
  }
}

// The edit form and the history panel go back under the results before these are redrawn.
function parkGlossaryPanels() {
  const home = $("#glossary-panels");
  for (const panel of [$("#term-form"), $("#history-panel")]) {
    panel.hidden = true;
    home.append(panel);
  }
}

// Open the edit form at the term's row (not at the bottom of a long list).
async function openTerm(id, row) {
  const form = $("#term-form");
  try {
    const { data, response } = await api(`/glossary/terms/${id}`);
    $("#term-id").value = data.id;
    $("#term-etag").value = response.headers.get("ETag") || "";
    $("#term-text").value = data.text;
    $("#term-status").value = data.status;
    $("#term-note").value = data.note;
    $("#term-title").textContent = `Modifier le terme n° ${data.id} (version ${data.version})`;
    sayAt(form, "");
    row.append(form);
    form.hidden = false;
    $("#term-text").focus();
  } catch (error) {
    say(explain(error), "error");
  }
}

async function saveTerm(event) {
  event.preventDefault();
  const form = $("#term-form");
  const id = $("#term-id").value;
  try {
    await api(`/glossary/terms/${id}`, {
      method: "PATCH",
      headers: { "If-Match": $("#term-etag").value },
      body: { text: $("#term-text").value, status: $("#term-status").value, note: $("#term-note").value },
    });
    form.hidden = true;
    say(`Terme n° ${id} enregistré.`);
    searchGlossary();
  } catch (error) {
    sayAt(form, explain(error)); // at the form, where the user is looking
  }
}

// What one change did, field by field ("note : « » → « Sans trait d’union. »").
function describeChange(change) {
  const shown = (field, value) => (field === "status" ? STATUS_FR[value] || value : `« ${value ?? ""} »`);
  if (!change.old) return `création : ${change.new.text} (${STATUS_FR[change.new.status] || change.new.status})`;
  if (!change.new) return `suppression de ${change.old.text}`;
  const changed = Object.keys(FIELD_FR).filter((f) => (change.old[f] ?? "") !== (change.new[f] ?? ""));
  if (!changed.length) return "aucun changement";
  return changed.map((f) => `${FIELD_FR[f]} : ${shown(f, change.old[f])} → ${shown(f, change.new[f])}`).join(" ; ");
}

const ACTION_FR = { add: "ajout", edit: "modification", deprecate: "dépréciation", delete: "suppression", import: "import" };

async function showHistory(id, text, row) {
  const panel = $("#history-panel");
  try {
    const { data } = await api(`/glossary/terms/${id}/history`);
    $("#history-title").textContent = `Historique de « ${text} »`;
    $("#history").replaceChildren(...data.map((change) => el("li", { "data-action": change.action },
      `${change.at.slice(0, 19).replace("T", " ")} · ${change.author || "?"} · ${ACTION_FR[change.action] || change.action} : `,
      el("span", { class: "change", text: describeChange(change) }))));
    row.append(panel);
    panel.hidden = false;
  } catch (error) {
    say(explain(error), "error");
  }
}

// ---------------------------------------------------------------- pretranslation view

async function pretranslate(event) {
  event.preventDefault();
  const form = new FormData();
  for (const file of $("#release").files) form.append("files", file, file.name);
  form.append("threshold", $("#pt-threshold").value);
  form.append("format", $("#pt-format").value);
  say("Prétraduction en cours…");
  try {
    const { data } = await api("/pretranslate", { method: "POST", form });
    const links = data.drafts.map((draft) => {
      if (draft.error) return el("li", { class: "error", text: `${draft.input} : ${draft.error}` });
      const type = draft.output.endsWith(".txt") ? "text/plain" : "application/xml";
      const url = URL.createObjectURL(new Blob([draft.content], { type }));
      return el("li", {}, el("a", { href: url, download: draft.output, text: `Télécharger ${draft.output}` }));
    });
    const csv = URL.createObjectURL(new Blob([data.analysis_csv], { type: "text/csv" }));
    links.push(el("li", {}, el("a", { href: csv, download: "analysis.csv", text: "Télécharger l’analyse (CSV)" })));
    $("#drafts").replaceChildren(...links);
    renderAnalysis(data.analysis);
    const failed = data.drafts.filter((draft) => draft.error).length;
    if (failed) say(`Prétraduction incomplète : ${failed} fichier(s) sur ${data.drafts.length} en échec (voir la liste).`, "warning");
    else say("Prétraduction terminée.");
  } catch (error) {
    say(explain(error), "error");
  }
}

function renderAnalysis(report) {
  const categories = report.order; // 101 first (Object.keys would put "100" before "101")
  const head = el("tr", {}, el("th", { scope: "col", text: "Fichier" }),
    ...categories.map((c) => el("th", { scope: "col", "data-category": c, text: report.categories[c] })), el("th", { scope: "col", text: "Total" }));
  const row = (item) => el("tr", {}, el("th", { scope: "row", text: item.name }),
    ...categories.map((c) => el("td", { text: `${item.categories[c].segments} seg. · ${item.categories[c].words} mots` })),
    el("td", { text: `${item.total.segments} seg. · ${item.total.words} mots` }));
  $("#analysis thead").replaceChildren(head);
  $("#analysis tbody").replaceChildren(...report.files.map(row), row({ ...report.batch, name: "Total du lot" }));
  $("#analysis").hidden = false;
}

// ---------------------------------------------------------------- tabs and start-up

function selectTab(tab, { focus = true } = {}) {
  if (tab.getAttribute("aria-selected") !== "true") say(""); // a message of another view
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $("#" + other.getAttribute("aria-controls")).hidden = !selected;
  }
  if (focus) tab.focus();
}

// Ask the service who the key is; show its name and role, and the administration view only
// to an admin key (the routes refuse the others anyway).
async function identify() {
  let caller = { role: null, name: null };
  try {
    caller = (await api("/whoami")).data;
  } catch (error) {
    say(explain(error), "error");
  }
  const who = $("#whoami");
  if (caller.role) who.textContent = `Clé « ${caller.name} » : ${ROLE_FR[caller.role] || caller.role}`;
  else who.textContent = localStorage.getItem(KEY_STORE) ? "Clé refusée" : "Sans clé : lecture seule, si le service l’autorise";
  who.dataset.role = caller.role || "";
  callerRole = caller.role;
  const admin = caller.role === "admin";
  $("#tab-admin").hidden = !admin;
  if (!admin && $("#tab-admin").getAttribute("aria-selected") === "true") selectTab($("#tab-translate"), { focus: false });
  if (admin) showJobs();
  if (!$("#glossary-results").hidden) searchGlossary(); // edit buttons follow the new role
}

function start() {
  $("#api-key").value = readKey();
  $("#key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(KEY_STORE, $("#api-key").value.trim());
    say("Clé enregistrée.");
    identify();
    lookup();
  });
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const shown = tabs.filter((t) => !t.hidden);
      const at = shown.indexOf(tab);
      selectTab(shown[(at + step + shown.length) % shown.length]);
    });
  }
  $("#query").addEventListener("input", scheduleLookup);
  $("#threshold").addEventListener("change", scheduleLookup);
  $("#save-form").addEventListener("submit", save);
  $("#concordance-form").addEventListener("submit", concordance);
  $("#glossary-form").addEventListener("submit", searchGlossary);
  $("#term-form").addEventListener("submit", saveTerm);
  $("#term-cancel").addEventListener("click", () => { $("#term-form").hidden = true; });
  $("#history-close").addEventListener("click", () => { $("#history-panel").hidden = true; });
  $("#pretranslate-form").addEventListener("submit", pretranslate);
  identify();
}

document.addEventListener("DOMContentLoaded", start);
