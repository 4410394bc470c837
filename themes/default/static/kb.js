// kb.js: progressive enhancement for the default theme (loaded with `defer`).
// - table[data-sortable]: each column header gets a <button> that sorts the rows;
//   the sorted column carries aria-sort. A cell's data-sort, when present, is its key.
// - form[data-filter-for=ID]: shown only when this runs; filters the rows of table#ID
//   by words (all must occur in the row) and by severity (the row's data-severity).
// - form[data-action-filter]: filters /actions/ by status, owner, priority and service.
// - the timeline diagram's badges and the event list highlight each other.
// - scrolling code blocks and tables in the Markdown body, and charts, become keyboard-focusable.
// - the `/` key focuses the search box (the search page's own, else the header's).
// Without JavaScript every table is simply listed in the order it was built.
(() => {
  "use strict";

  // ---------- Sorting ----------

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const NUMBER = /^-?\d+(\.\d+)?$/;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

  // The key of a cell: a number (plain numbers, ISO dates and instants), a string,
  // or null for an unknown value, which sorts last in both directions.
  function sortKey(cell) {
    if (!cell) return null;
    const unknown = cell.querySelector(".unknown");
    if (cell.dataset.sort === undefined && unknown && unknown.textContent === cell.textContent) {
      return null;
    }
    const raw = (cell.dataset.sort ?? cell.textContent).trim();
    if (raw === "") return null;
    if (NUMBER.test(raw)) return Number(raw);
    if (ISO_DATE.test(raw)) {
      const time = Date.parse(raw);
      if (!Number.isNaN(time)) return time;
    }
    return raw;
  }

  function compareKeys(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return collator.compare(String(a), String(b));
  }

  function sortTable(table, th, direction) {
    const body = table.tBodies[0];
    const index = th.cellIndex;
    const sign = direction === "ascending" ? 1 : -1;
    const rows = Array.from(body.rows, (row) => ({ row, key: sortKey(row.cells[index]) }));
    // Array.prototype.sort is stable, so equal keys keep their current order.
    rows.sort((a, b) => {
      if (a.key === null || b.key === null) return (a.key === null) - (b.key === null);
      return sign * compareKeys(a.key, b.key);
    });
    body.append(...rows.map((r) => r.row));
    for (const cell of th.parentElement.cells) {
      if (cell !== th) cell.removeAttribute("aria-sort");
    }
    th.setAttribute("aria-sort", direction);
  }

  function makeSortable(table) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    for (const th of head.cells) {
      if (th.hasAttribute("data-nosort")) continue;
      let button = th.querySelector("button");
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.append(...th.childNodes);
        th.append(button);
      }
      button.addEventListener("click", () => {
        const next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortTable(table, th, next);
      });
    }
  }

  // ---------- Filtering ----------

  function initFilter(form) {
    const table = document.getElementById(form.dataset.filterFor);
    const body = table && table.tBodies[0];
    if (!body) return;
    const text = form.querySelector('input[type="search"], input[type="text"]');
    const severity = form.querySelector("select");
    const status = form.querySelector('[role="status"]');

    // Start from ?q=...&severity=... so a filtered view can be shared and survives reload.
    const params = new URLSearchParams(location.search);
    if (text && params.has("q")) text.value = params.get("q");
    if (severity && params.has("severity")) severity.value = params.get("severity");

    function apply() {
      const query = text ? text.value.trim() : "";
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const level = severity ? severity.value : "";
      let shown = 0;
      for (const row of body.rows) {
        const haystack = row.textContent.toLowerCase();
        const match = (!level || row.dataset.severity === level)
          && words.every((w) => haystack.includes(w));
        row.hidden = !match;
        if (match) shown += 1;
      }
      if (status) status.textContent = `Showing ${shown} of ${body.rows.length} incidents`;

      const url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (level) url.searchParams.set("severity", level); else url.searchParams.delete("severity");
      if (url.href !== location.href) history.replaceState(null, "", url);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  }

  // form[data-action-filter]: shows only the action items that match every
  // chosen value: status (a row's data-status lists its words: "open
  // overdue", "done", ...), owner, priority, service (data-services, joined
  // by "|"). Keeps the choices in the address (?status=&owner=...) and opens
  // the folded closed items when the status asks for them.
  function initActionFilter(form) {
    const selects = Array.from(form.querySelectorAll("select"));
    const status = form.querySelector('[role="status"]');
    const rows = Array.from(document.querySelectorAll("table[data-action-table] tbody tr"));
    const closed = document.querySelector("details.closed-actions");
    const params = new URLSearchParams(location.search);
    for (const select of selects) {
      const wanted = params.get(select.name);
      if (wanted !== null && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
    }
    const matches = {
      status: (row, v) => row.dataset.status.split(" ").includes(v),
      owner: (row, v) => row.dataset.owner === v,
      priority: (row, v) => row.dataset.priority === v,
      service: (row, v) => row.dataset.services.split("|").includes(v),
    };

    function apply() {
      const chosen = selects.filter((s) => s.value).map((s) => [s.name, s.value]);
      let shown = 0;
      for (const row of rows) {
        const match = chosen.every(([name, value]) => matches[name](row, value));
        row.hidden = !match;
        shown += match ? 1 : 0;
      }
      const status_ = chosen.find(([name]) => name === "status");
      if (closed && status_ && (status_[1] === "done" || status_[1] === "wontfix")) closed.open = true;
      if (status) status.textContent = `Showing ${shown} of ${rows.length} actions`;
      const url = new URL(location.href);
      for (const select of selects) {
        if (select.value) url.searchParams.set(select.name, select.value); else url.searchParams.delete(select.name);
      }
      if (url.href !== location.href) history.replaceState(null, "", url);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  }

  // ---------- Scrollers ----------

  // A code block or table of the Markdown body that scrolls sideways (on a phone)
  // must be reachable by keyboard to be scrolled. (The timeline diagram's
  // region is focusable in the markup.)
  function focusScrollers() {
    for (const el of document.querySelectorAll(".prose pre, .prose table, .chart-figure")) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) el.tabIndex = 0;
    }
  }

  // ---------- Timeline diagram and its list ----------

  // A badge of the diagram (an <a href="#event-N"> over it) and item N of the
  // event list highlight each other while one is hovered or focused.
  function linkTimeline() {
    for (const hit of document.querySelectorAll(".kb-tl a[href^='#event-']")) {
      const item = document.getElementById(hit.getAttribute("href").slice(1));
      const rect = hit.querySelector("rect");
      if (!item || !rect) continue;
      const on = () => { item.classList.add("is-linked"); rect.classList.add("is-linked"); };
      const off = () => { item.classList.remove("is-linked"); rect.classList.remove("is-linked"); };
      for (const el of [hit, item]) {
        el.addEventListener("mouseenter", on);
        el.addEventListener("mouseleave", off);
        el.addEventListener("focusin", on);
        el.addEventListener("focusout", off);
      }
    }
  }

  // ---------- Search shortcut ----------

  function focusSearchOnSlash(event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const box = document.getElementById("search-q") || document.getElementById("site-search-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  }

  // ---------- Start ----------

  function init() {
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("form[data-filter-for]").forEach(initFilter);
    document.querySelectorAll("form[data-action-filter]").forEach(initActionFilter);
    focusScrollers();
    linkTimeline();
    document.addEventListener("keydown", focusSearchOnSlash);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
