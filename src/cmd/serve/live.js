// kb serve: reloads the page when the site is rebuilt, and shows the build's
// errors over the page while the last build failed. Injected only when serving.
(() => {
  const me = document.currentScript;
  const generation = me ? me.dataset.generation : "";
  let overlay = null;

  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "kb-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace";
      const title = document.createElement("h2");
      title.textContent = "kb: the build failed";
      title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font:bold 18px system-ui,sans-serif";
      const note = document.createElement("p");
      note.textContent = "Still showing the last good build. Fix the file and this page reloads.";
      note.style.cssText = "margin:0 0 1rem;font:14px system-ui,sans-serif";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.append(title, note, pre);
    }
    overlay.querySelector("pre").textContent = text;
    if (!overlay.isConnected) document.body.append(overlay);
  }

  function apply(status) {
    if (status.errors) {
      show(status.errors);
    } else if (String(status.generation) !== generation) {
      location.reload();
    } else if (overlay) {
      overlay.remove();
    }
  }

  const events = new EventSource("/__kb/events");
  for (const name of ["status", "reload", "error"]) {
    events.addEventListener(name, (e) => apply(JSON.parse(e.data)));
  }
})();
