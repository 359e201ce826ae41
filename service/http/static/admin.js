// tm web page, administration view (admin keys): imports and alignments as jobs with live
// progress, TMX export, evaluation of a draft. Uses $, api, el, say and explain from app.js.
"use strict";

const JOB_KIND_FR = { import: "Import", align: "Alignement" };
const JOB_STATE_FR = { queued: "en attente", running: "en cours", done: "terminé", failed: "échec" };
const JOB_POLL_MS = 500;
const polling = new Set();

const plural = (count, word) => `${count} ${word}${count > 1 ? "s" : ""}`;
const moment = (stamp) => (stamp ? stamp.replace("T", " ").replace("Z", " UTC") : "");
// "2024-01-15 09:00:00 UTC → 09:00:02" (the end's date only when it differs).
function span(start, end) {
  if (!end) return moment(start);
  return `${moment(start)} → ${moment(end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end)}`;
}
const ended = (job) => job.state === "done" || job.state === "failed";

// A job's result in words, by kind (an unknown kind shows its fields as they come).
function describeResult(job) {
  const r = job.result || {};
  if (job.kind === "import") {
    const parts = [`${plural(r.imported ?? 0, "segment")} importé${(r.imported ?? 0) > 1 ? "s" : ""}`,
      plural(r.duplicates ?? 0, "doublon")];
    if (r.skipped_total) parts.push(`${plural(r.skipped_total, "unité")} ignorée${r.skipped_total > 1 ? "s" : ""}`);
    return parts.join(" · ");
  }
  if (job.kind === "align") {
    return [`${r.document} : ${plural(r.stored ?? 0, "paire")} enregistrée${(r.stored ?? 0) > 1 ? "s" : ""} sur ${r.beads}`,
      `confiance ${r.confidence}`, plural(r.duplicates ?? 0, "doublon"),
      `${r.flagged ?? 0} signalée(s)`, `${r.deletions ?? 0} phrase(s) sans équivalent`].join(" · ");
  }
  return Object.entries(r).map(([name, value]) => `${name} : ${JSON.stringify(value)}`).join(" · ");
}

function progressCell(job) {
  const label = `Progression du travail ${job.id}`;
  const bar = el("progress", { "aria-label": label });
  if (job.total) {
    bar.max = job.total;
    bar.value = Math.min(job.done, job.total);
  } else if (ended(job)) {
    bar.max = 1;
    bar.value = job.state === "done" ? 1 : 0;
  } // else indeterminate: the total is not known yet
  const count = job.total ? `${job.done} / ${job.total}` : plural(job.done, "unité");
  return el("td", { class: "progress" }, bar, " ", el("span", { class: "count", text: count }));
}

function resultCell(job) {
  if (job.state === "failed") return el("td", { class: "error", text: job.error || "échec sans message" });
  if (job.state !== "done") {
    const waiting = "en attente : un autre import écrit dans la mémoire (rien n’est encore écrit)";
    return el("td", { class: "hint", text: job.note ? waiting : "…" });
  }
  const cell = el("td", { class: "result", text: describeResult(job) });
  const skipped = (job.result && job.result.skipped) || [];
  if (skipped.length) {
    cell.append(el("details", {}, el("summary", { text: "Unités ignorées" }),
      el("ul", {}, ...skipped.slice(0, 50).map((s) => el("li", { text: `${s.where} : ${s.reason}` })))));
  }
  return cell;
}

// Insert or update a job's row (newest first).
function renderJob(job) {
  const row = el("tr", { id: `job-${job.id}`, "data-job": job.id, "data-state": job.state },
    el("th", { scope: "row" }, JOB_KIND_FR[job.kind] || job.kind, " ", el("span", { class: "hint", text: job.id })),
    el("td", {}, el("span", { class: `state state-${job.state}`, text: JOB_STATE_FR[job.state] || job.state })),
    progressCell(job),
    el("td", { class: "hint", text: span(job.created, job.finished) }),
    resultCell(job));
  const existing = document.getElementById(`job-${job.id}`);
  if (existing) existing.replaceWith(row);
  else $("#jobs tbody").prepend(row);
  $("#jobs").hidden = false;
  $("#jobs-empty").hidden = true;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll a job until it ends, updating its row; say how it ended.
async function follow(job, { announce = true } = {}) {
  if (polling.has(job.id)) return;
  polling.add(job.id);
  try {
    while (!ended(job)) {
      await pause(JOB_POLL_MS);
      job = (await api(job.url || `/jobs/${job.id}`)).data;
      renderJob(job);
    }
    if (announce) {
      const kind = JOB_KIND_FR[job.kind] || job.kind;
      if (job.state === "done") say(`${kind} terminé : ${describeResult(job)}.`);
      else say(`${kind} en échec : ${job.error}`, "error");
    }
  } catch (error) {
    say(explain(error), "error");
  } finally {
    polling.delete(job.id);
  }
}

// The job list (GET /jobs); jobs still running are followed.
async function showJobs() {
  try {
    const { data } = await api("/jobs");
    $("#jobs tbody").replaceChildren();
    for (const job of [...data].reverse()) renderJob(job);
    $("#jobs").hidden = data.length === 0;
    $("#jobs-empty").hidden = data.length > 0;
    for (const job of data) if (!ended(job)) follow(job, { announce: false });
  } catch (error) {
    say(explain(error), "error");
  }
}

async function submitJob(path, form, what) {
  say(`${what} : envoi des fichiers…`);
  try {
    const { data } = await api(path, { method: "POST", form });
    renderJob(data);
    say(`${what} lancé (travail ${data.id}).`);
    follow(data);
    return true;
  } catch (error) {
    say(explain(error), "error");
    return false;
  }
}

async function importFiles(event) {
  event.preventDefault();
  const form = new FormData();
  for (const file of $("#import-files").files) form.append("files", file, file.name);
  const origin = $("#import-origin").value.trim();
  if (origin) form.append("origin", origin);
  form.append("swap", String($("#import-swap").checked));
  if (await submitJob("/import", form, "Import")) $("#import-form").reset();
}

async function alignDocuments(event) {
  event.preventDefault();
  const [french] = $("#align-french").files;
  const [english] = $("#align-english").files;
  const form = new FormData();
  form.append("french", french, french.name);
  form.append("english", english, english.name);
  const origin = $("#align-origin").value.trim();
  if (origin) form.append("origin", origin);
  form.append("force", String($("#align-force").checked));
  form.append("swap", String($("#align-swap").checked));
  if (await submitJob("/align", form, "Alignement")) $("#align-form").reset();
}

// Fetch the export with the key in a header (never in the address), then offer the file.
async function exportMemory() {
  const button = $("#export");
  button.disabled = true;
  say("Export en cours…");
  try {
    const { data, response } = await api("/export", { blob: true });
    const disposition = response.headers.get("content-disposition") || "";
    const name = (disposition.match(/filename="?([^";]+)"?/) || [])[1] || "tm.tmx";
    const link = $("#export-link");
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(data);
    link.download = name;
    link.textContent = `Télécharger ${name} (${Math.max(1, Math.round(data.size / 1024))} Ko)`;
    link.hidden = false;
    link.click();
    say(`Export prêt : ${name}.`);
  } catch (error) {
    say(explain(error), "error");
  } finally {
    button.disabled = false;
  }
}

const BAND_FR = { total: "Total", none: "sans correspondance", fuzzy: "floue", mt: "traduction automatique" };
const bandName = (band) => BAND_FR[band] || `tranche ${band}`;
const number = (value) => (Math.round(value * 100) / 100).toLocaleString("fr-FR");

async function evaluateDraft(event) {
  event.preventDefault();
  const form = new FormData();
  const [draft] = $("#evaluate-draft").files;
  const [published] = $("#evaluate-published").files;
  form.append("hyp", draft, draft.name);
  form.append("ref", published, published.name);
  say("Évaluation en cours…");
  try {
    const { data } = await api("/evaluate", { method: "POST", form });
    const row = (name, scores, header = false) => el("tr", { "data-band": name },
      el(header ? "th" : "td", header ? { scope: "row", text: bandName(name) } : { text: bandName(name) }),
      el("td", { text: String(scores.segments) }), el("td", { class: "bleu", text: number(scores.bleu) }),
      el("td", { class: "chrf", text: number(scores.chrf) }), el("td", { class: "ter", text: number(scores.ter) }));
    $("#evaluation tbody").replaceChildren(row("total", data.total, true),
      ...Object.entries(data.bands).map(([name, scores]) => row(name, scores, true)));
    $("#evaluation").hidden = false;
    $("#signatures").replaceChildren(...Object.entries(data.signatures).map(([metric, signature]) =>
      el("li", {}, `${metric} : `, el("code", { text: signature }))));
    $("#evaluation-segments tbody").replaceChildren(...data.segments.map((s) => el("tr", {},
      el("td", { text: String(s.index) }), el("td", { text: s.band ? bandName(s.band) : "" }),
      el("td", { lang: "en", text: s.hypothesis }), el("td", { lang: "en", text: s.reference }),
      el("td", { text: number(s.bleu) }), el("td", { text: number(s.chrf) }), el("td", { text: number(s.ter) }))));
    $("#evaluation-details").hidden = data.segments.length === 0;
    say(`Évaluation terminée : BLEU ${number(data.total.bleu)} sur ${plural(data.total.segments, "segment")}.`
      + (data.pairing ? ` Appariement : ${data.pairing}.` : ""));
  } catch (error) {
    say(explain(error), "error");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#import-form").addEventListener("submit", importFiles);
  $("#align-form").addEventListener("submit", alignDocuments);
  $("#jobs-refresh").addEventListener("click", showJobs);
  $("#export").addEventListener("click", exportMemory);
  $("#evaluate-form").addEventListener("submit", evaluateDraft);
});
