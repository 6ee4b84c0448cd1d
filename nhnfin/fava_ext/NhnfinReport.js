// nhnfin's Fava module: in read-only mode (`nhnfin fava --read-only`, Fava's --read-only) every
// page says so ("Skrivebeskyttet: revisorvisning") and Fava's editing controls are disabled,
// instead of accepting input that the server then refuses with HTTP 401.
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

export default {
  async init() {
    if (await isReadOnly()) {
      lock();
      new MutationObserver(lock).observe(document.body, { childList: true, subtree: true });
    }
  },
  async onPageLoad() {
    if (await isReadOnly()) lock();
  },
};
