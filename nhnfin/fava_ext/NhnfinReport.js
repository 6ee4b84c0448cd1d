// nhnfin's Fava module. In read-only mode (`nhnfin fava --read-only`, Fava's --read-only) every
// page says so ("Skrivebeskyttet: revisorvisning"), Fava's editing controls are disabled or
// hidden, and a write is refused here in Norwegian, before the server refuses it with HTTP 401.
// In normal mode a save or delete that changes a directive nhnfin generates entries from asks
// first (guardWrites).
//
// Which controls write follows Fava's own structure (frontend/src of Fava 1.30), not button
// texts: every form in a modal dialog (add entry, upload, an entry's slice editor) and every
// form on the editor, import and documents pages writes; the forms in the header (the filters)
// and on the query page (the query) only read. In a writing form the submit and the buttons of
// its action row are disabled and its CodeMirror is not editable. The add-entry link
// (`a[href="#add-transaction"]`) is hidden.
// Whatever a future Fava adds, lockWrites() refuses every request that is not a GET.
const BANNER_ID = "nhnfin-read-only";
const TEXT = "Skrivebeskyttet: revisorvisning";
const REFUSED = `${TEXT}: endringer lagres ikke`;
const WRITING_PAGES = /\/(editor|import|documents)\/?$/;
const ADD_ENTRY = 'a[href="#add-transaction"]';

let readOnly = null;

async function isReadOnly() {
  if (readOnly !== null) return readOnly;
  const slug = window.location.pathname.split("/")[1];
  try {
    const response = await fetch(`/${slug}/extension/NhnfinReport/read_only`);
    readOnly = response.ok && (await response.json()).read_only === true;
  } catch {
    readOnly = false;
  }
  return readOnly;
}

function writingForms() {
  const writingPage = WRITING_PAGES.test(window.location.pathname);
  return [...document.querySelectorAll("form")].filter(
    (form) => !form.closest("header") && (form.closest("dialog") || writingPage),
  );
}

function lock() {
  if (!document.getElementById(BANNER_ID)) {
    const banner = document.createElement("div");
    banner.id = BANNER_ID;
    banner.textContent = TEXT;
    banner.setAttribute("role", "status");
    banner.style.cssText =
      "position:sticky;top:0;z-index:1000;background:#fde293;color:#3c2f00;" +
      "font-weight:bold;text-align:center;padding:0.3em;";
    document.body.prepend(banner);
  }
  for (const link of document.querySelectorAll(ADD_ENTRY)) link.hidden = true;
  for (const form of writingForms()) {
    form.dataset.nhnfinReadOnly = "true";
    // the form's submit, and the buttons of its action row (delete, duplicate): the direct
    // children of the submit's parent; the file menu and the modal's close button stay usable
    const submits = [...form.querySelectorAll("button[type=submit], input[type=submit]")];
    const rows = submits.map((submit) => [...submit.parentElement.children]);
    for (const control of new Set([...submits, ...rows.flat()])) {
      if (!control.matches("button, input[type=submit]") || control.disabled) continue;
      control.disabled = true;
      control.title = TEXT;
    }
    for (const content of form.querySelectorAll(".cm-content[contenteditable=true]")) {
      content.setAttribute("contenteditable", "false");
      content.setAttribute("aria-readonly", "true");
    }
  }
}

function lockWrites() {
  if (window.__nhnfinReadOnly) return;
  const fetchOriginal = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const method = (init.method || (typeof input === "string" ? "GET" : input.method) || "GET")
      .toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      window.alert(REFUSED);
      throw new Error(REFUSED);
    }
    return fetchOriginal(input, init);
  };
  window.__nhnfinReadOnly = true;
}

// Normal mode: a save or delete through Fava's API that would change or delete a directive
// some nhnfin rule generates entries from first says what it changes (and can be cancelled).
const WARNING =
  "Endringen endrer eller sletter direktiv som nhnfin genererer poster fra; " +
  "de genererte postene endres eller forsvinner:";
const WRITES = /\/api\/source(_slice)?(\?|$)/;

function describe(directive) {
  const rules = Object.entries(directive.generates)
    .map(([rule, count]) => `${rule}: ${count} ${count === 1 ? "post" : "poster"}`)
    .join(", ");
  return `- ${directive.file.split("/").pop()}:${directive.line} (${rules})`;
}

async function generatingDirectives(fetchOriginal) {
  const slug = window.location.pathname.split("/")[1];
  const response = await fetchOriginal(`/${slug}/extension/NhnfinReport/generating`);
  return response.ok ? (await response.json()).directives : [];
}

async function touched(fetchOriginal, url, method, init) {
  const directives = await generatingDirectives(fetchOriginal);
  const body = method === "PUT" && typeof init.body === "string" ? JSON.parse(init.body) : {};
  if (/source_slice/.test(url)) {
    const hash = method === "DELETE"
      ? new URL(url, window.location.href).searchParams.get("entry_hash")
      : body.entry_hash;
    const mine = directives.filter((d) => d.hash === hash);
    return method === "DELETE" ? mine : mine.filter((d) => !String(body.source).includes(d.block));
  }
  return directives.filter(
    (d) => d.file === body.file_path && !String(body.source ?? "").includes(d.block),
  );
}

function guardWrites() {
  if (window.__nhnfinGuard) return;
  const fetchOriginal = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = typeof input === "string" ? input : input.url;
    const method = (init.method || "GET").toUpperCase();
    if ((method === "PUT" || method === "DELETE") && WRITES.test(url)) {
      const changed = await touched(fetchOriginal, url, method, init);
      if (changed.length && !window.confirm(`${WARNING}\n${changed.map(describe).join("\n")}`)) {
        throw new Error("Avbrutt: direktivet som genererer poster er ikke endret");
      }
    }
    return fetchOriginal(input, init);
  };
  window.__nhnfinGuard = true;
}

export default {
  async init() {
    if (!(await isReadOnly())) {
      guardWrites();
      return;
    }
    lockWrites();
    lock();
    new MutationObserver(lock).observe(document.body, { childList: true, subtree: true });
  },
  async onPageLoad() {
    if (await isReadOnly()) lock();
  },
};
