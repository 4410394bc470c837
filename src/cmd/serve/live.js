// kb serve: reloads the page when the site is rebuilt, and shows the build's
// errors over the page while the last build failed. Injected only when serving.
(() => {
  const me = document.currentScript;
  const generation = me ? me.dataset.generation : "";
  let overlay = null;

  // The overlay lives in a shadow root, so the theme's CSS cannot touch it.
  const STYLE = `
    :host { all: initial; }
    .panel { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; box-sizing: border-box;
      padding: 2rem; background: #16161a; color: #f2f2f2; font: 15px/1.5 system-ui, sans-serif; }
    h2 { margin: 0 0 .5rem; color: #ff8a80; font-size: 1.25rem; }
    p { margin: 0 0 1rem; color: #d0d0d0; }
    pre { margin: 0; padding: 1rem; white-space: pre-wrap; background: #000; color: #f2f2f2;
      border-left: 4px solid #ff5252; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }`;

  function show(text) {
    if (!overlay) {
      overlay = document.createElement("kb-error-overlay");
      overlay.id = "kb-error-overlay";
      const root = overlay.attachShadow({ mode: "open" });
      root.innerHTML =
        `<style>${STYLE}</style><div class="panel" role="alert"><h2>kb: the build failed</h2>` +
        "<p>Still showing the last good build. Fix the file and this page reloads.</p><pre></pre></div>";
    }
    overlay.shadowRoot.querySelector("pre").textContent = text;
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

  let badge = null;

  function building(on) {
    if (on && !badge) {
      badge = document.createElement("div");
      badge.id = "kb-building";
      badge.setAttribute("role", "status");
      badge.textContent = "kb: rebuilding…";
      badge.style.cssText =
        "position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.4rem .8rem;" +
        "border-radius:1rem;background:#222;color:#fff;font:13px system-ui,sans-serif;opacity:.85";
      document.body.append(badge);
    } else if (!on && badge) {
      badge.remove();
      badge = null;
    }
  }

  const events = new EventSource("/__kb/events");
  for (const name of ["status", "reload", "error"]) {
    events.addEventListener(name, (e) => {
      building(false);
      apply(JSON.parse(e.data));
    });
  }
  events.addEventListener("building", () => building(true));
})();
