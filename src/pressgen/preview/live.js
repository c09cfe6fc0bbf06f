// pressgen serve: keeps a page of the preview up to date. It listens to the
// server's events (server-sent events: no polling), shows the last build's
// problems, and reloads the page once a newer build has rewritten it. On a
// release's preview page, a build whose PDFs are ready refreshes the PDF links.
(() => {
  if (window.top !== window) return; // a frame of a preview page: that page reloads it
  const script = document.currentScript;
  const seen = {html: Number(script.dataset.html), pdf: Number(script.dataset.pdf)};

  function showProblems(errors) {
    let box = document.getElementById("pressgen-problems");
    if (!errors.length) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.id = "pressgen-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:sticky;top:0;z-index:2147483647;max-height:50vh;overflow:auto;" +
        "margin:0;padding:.75rem 1rem;background:#fff1f0;color:#7a0000;border-bottom:3px solid #c00;" +
        "font:14px/1.45 monospace;white-space:pre-wrap";
      document.body.prepend(box);
    }
    box.textContent = "pressgen could not build everything; fix these and save:\n" + errors.join("\n");
  }

  async function refreshLiveParts() {
    if (!document.querySelector("[data-live]")) return;
    const response = await fetch(location.href, {cache: "no-store"});
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const part of document.querySelectorAll("[data-live]")) {
      const replacement = fresh.getElementById(part.id);
      if (replacement) part.replaceWith(replacement);
    }
  }

  // A release's page in the newsroom links to its preview in every language.
  const release = location.pathname.match(/^\/[^/]+\/([a-z0-9][a-z0-9-]*)\.html$/);
  if (release && release[1] !== "index") {
    const link = document.createElement("a");
    link.id = "pressgen-preview-link";
    link.href = `/_preview/release/${release[1]}`;
    link.textContent = "Preview in every language";
    link.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.4rem .7rem;" +
      "background:#1d1f22;color:#fff;font:14px/1.4 system-ui,sans-serif;border-radius:4px";
    document.body.append(link);
  }

  showProblems(JSON.parse(script.dataset.errors));
  const events = new EventSource("/_preview/events");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    showProblems(state.errors);
    if (state.html > seen.html) {
      events.close();
      location.reload();
      return;
    }
    if (state.pdf > seen.pdf) {
      seen.pdf = state.pdf;
      refreshLiveParts();
    }
  };
  window.addEventListener("pagehide", () => events.close());
})();
