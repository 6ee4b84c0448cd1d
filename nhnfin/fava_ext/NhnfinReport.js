// nhnfin's Fava module. In read-only mode (`nhnfin fava --read-only`, Fava's --read-only) every
// page says so ("Skrivebeskyttet: revisorvisning") and Fava's editing controls are disabled,
// instead of accepting input that the server then refuses with HTTP 401. In normal mode a save
// or delete that changes a directive nhnfin generates entries from asks first (guardWrites).
const BANNER_ID = "nhnfin-read-only";
const TEXT = "Skrivebeskyttet: revisorvisning";
// Buttons that change a file: by their text (Fava's English or Norwegian) or title.
const WRITING = /^(save|lagre|delete|slett|add|legg til|format|formater|\+|upload|last opp)$/i;
const WRITING_TITLE = /(add|save|delete|edit|upload|legg til|lagre|slett|rediger)/i;

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
  for (const button of document.querySelectorAll("button, input[type=submit]")) {
    const label = (button.textContent || button.value || "").trim();
    if (WRITING.test(label) || WRITING_TITLE.test(button.title || "")) {
      button.disabled = true;
      button.title = TEXT;
    }
  }
  for (const content of document.querySelectorAll(".cm-content[contenteditable=true]")) {
    content.setAttribute("contenteditable", "false");
    content.setAttribute("aria-readonly", "true");
  }
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
    lock();
    new MutationObserver(lock).observe(document.body, { childList: true, subtree: true });
  },
  async onPageLoad() {
    if (await isReadOnly()) lock();
  },
};
