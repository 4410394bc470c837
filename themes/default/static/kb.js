// kb.js: progressive enhancement for the default theme (loaded with `defer`).
// - table[data-sortable]: each column header gets a <button> that sorts the rows;
//   the sorted column carries aria-sort. A cell's key is its data-sort, else its
//   <time>'s datetime, else its text.
// - nav.list-pages: a list cut into pages is filtered and sorted whole, every page's rows
//   brought in on first use (see "Whole lists").
// - form[data-filter-for=ID]: shown only when this runs; filters the rows of table#ID
//   by words (all must occur in the row) and by severity (the text of the row's badge).
// - form[data-action-filter]: filters /actions/ by status, owner, team, priority and service.
// - the timeline diagram's badges and the event list highlight each other.
// - scrolling code blocks and tables in the Markdown body, and charts, become keyboard-focusable.
// - the `/` key focuses the search box (the search page's own, else the header's).
// Without JavaScript every table is simply listed in the order it was built.
(() => {
  "use strict";

  // ---------- Whole lists ----------

  // A long list is cut into pages (nav.list-pages[data-pages]). The first filter or
  // sort brings in the rows of every other page, fetched once (six at a time),
  // in page order, marked data-page, their links made absolute (they were
  // relative to their own page); while the list is filtered or sorted the pager
  // is hidden and every row can show; else only this page's rows show. If a page
  // cannot be fetched (a site opened from files), this page's rows are used.
  const pager = document.querySelector("nav.list-pages[data-pages]");
  const PAGED = "#incident-table, table[data-action-table]";
  let whole = null;
  // Whether every page's rows came in (else the pager stays: it is the way to them).
  let wholeIn = false;

  function tableSelector(table) {
    return table.id ? `#${table.id}` : `table[data-action-table="${table.dataset.actionTable}"]`;
  }

  function isPaged(table) {
    return Boolean(pager) && table.matches(PAGED);
  }

  async function fetchPages(pages) {
    let next = 0;
    async function worker() {
      while (next < pages.length) {
        const page = pages[next];
        next += 1;
        const response = await fetch(page.url);
        if (!response.ok) throw new Error(`${page.url}: ${response.status}`);
        page.doc = new DOMParser().parseFromString(await response.text(), "text/html");
      }
    }
    await Promise.all(Array.from({ length: Math.min(6, pages.length) }, worker));
  }

  // Resolves to whether every page's rows are in (none to bring on a list of one page).
  function loadWhole() {
    if (!pager) return Promise.resolve(true);
    if (whole) return whole;
    const count = Number(pager.dataset.pages);
    const here = Number(pager.dataset.current);
    const first = new URL(pager.dataset.first, location.href);
    const pages = [];
    for (let n = 1; n <= count; n += 1) {
      if (n !== here) pages.push({ n, url: n === 1 ? first : new URL(`page/${n}/`, first) });
    }
    const tables = Array.from(document.querySelectorAll(PAGED));
    whole = fetchPages(pages).then(() => {
      for (const table of tables) {
        const selector = `${tableSelector(table)} > tbody > tr`;
        const before = [];
        const after = [];
        for (const page of pages) {
          for (const row of page.doc.querySelectorAll(selector)) {
            for (const a of row.querySelectorAll("a[href]")) a.href = new URL(a.getAttribute("href"), page.url).href;
            row.dataset.page = String(page.n);
            (page.n < here ? before : after).push(document.adoptNode(row));
          }
        }
        table.tBodies[0].prepend(...before);
        table.tBodies[0].append(...after);
      }
      wholeIn = true;
      return true;
    }, () => false);
    return whole;
  }

  // Shows the rows `keep` takes: of the whole list when `all`, else of this page
  // only (with the pager). Tables left without a row are hidden. Gives the count.
  function showRows(tables, all, keep) {
    let shown = 0;
    for (const table of tables) {
      let any = false;
      for (const row of table.tBodies[0].rows) {
        const show = (all || !row.dataset.page) && keep(row);
        row.hidden = !show;
        if (show) { shown += 1; any = true; }
      }
      const wrap = table.closest(".table-wrap");
      if (wrap && isPaged(table)) wrap.hidden = !any;
    }
    if (pager) {
      pager.hidden = all && wholeIn;
      for (const note of document.querySelectorAll(".action-none")) note.hidden = all && wholeIn;
    }
    return shown;
  }

  // ---------- Sorting ----------

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const NUMBER = /^-?\d+(\.\d+)?$/;
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

  // The key of a cell: its data-sort, else its <time>'s datetime (or text), else its text:
  // a number (plain numbers, ISO dates and instants), a string, or null for an
  // unknown value, which sorts last in both directions.
  function sortKey(cell) {
    if (!cell) return null;
    const unknown = cell.querySelector(".unknown");
    if (cell.dataset.sort === undefined && unknown && unknown.textContent === cell.textContent) {
      return null;
    }
    const time = cell.dataset.sort === undefined && cell.querySelector("time");
    const raw = (cell.dataset.sort ?? (time ? time.getAttribute("datetime") ?? time.textContent : cell.textContent)).trim();
    if (raw === "") return null;
    if (NUMBER.test(raw)) return Number(raw);
    if (ISO_DATE.test(raw)) {
      const stamp = Date.parse(raw);
      if (!Number.isNaN(stamp)) return stamp;
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

  // The filters of this page (each shows its rows again after a sort).
  const filters = [];

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
      button.addEventListener("click", async () => {
        const next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        if (isPaged(table)) {
          // A sorted list is sorted whole: every page's rows, no pager.
          table.dataset.sorted = "";
          await loadWhole();
        }
        sortTable(table, th, next);
        filters.forEach((apply) => apply());
      });
    }
  }

  // ---------- Filtering ----------

  // The count for the status line: of the whole list when it has pages.
  function totalOf(rows) {
    return pager ? Number(pager.dataset.total) : rows;
  }

  // What the status line adds when the other pages could not be fetched.
  function partly(all) {
    return pager && all && !wholeIn ? " (this page only: the other pages could not be loaded)" : "";
  }

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
      const all = Boolean(query || level) || table.dataset.sorted !== undefined;
      if (all && pager && !whole) {
        if (status) status.textContent = `Loading all ${pager.dataset.pages} pages…`;
        loadWhole().then(apply);
        return;
      }
      const shown = showRows([table], all, (row) => {
        const haystack = row.textContent.toLowerCase();
        const badge = row.querySelector(".badge");
        return (!level || (badge && badge.textContent === level)) && words.every((w) => haystack.includes(w));
      });
      if (status) status.textContent = `Showing ${shown} of ${totalOf(body.rows.length)} incidents${partly(all)}`;

      const url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (level) url.searchParams.set("severity", level); else url.searchParams.delete("severity");
      if (url.href !== location.href) history.replaceState(null, "", url);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    filters.push(apply);
    apply();
  }

  // form[data-action-filter]: shows only the action items that match every
  // chosen value: status (a row's class: action-open, action-done,
  // action-wontfix, is-overdue), owner, team, priority, service (data-services,
  // joined by "|"; a row without one of these has none). Keeps the choices in the address (?status=&owner=...) and opens
  // the folded closed items when the status asks for them.
  function initActionFilter(form) {
    const selects = Array.from(form.querySelectorAll("select"));
    const status = form.querySelector('[role="status"]');
    const tables = Array.from(document.querySelectorAll("table[data-action-table]"));
    const closed = document.querySelector("details.closed-actions");
    const params = new URLSearchParams(location.search);
    for (const select of selects) {
      const wanted = params.get(select.name);
      if (wanted !== null && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
    }
    const matches = {
      status: (row, v) => row.classList.contains(v === "overdue" ? "is-overdue" : `action-${v}`),
      owner: (row, v) => (row.dataset.owner ?? "none") === v,
      team: (row, v) => (row.dataset.team ?? "none") === v,
      priority: (row, v) => (row.dataset.priority ?? "") === v,
      service: (row, v) => (row.dataset.services ?? "").split("|").includes(v),
    };

    function apply() {
      const chosen = selects.filter((s) => s.value).map((s) => [s.name, s.value]);
      const all = chosen.length > 0 || tables.some((t) => t.dataset.sorted !== undefined);
      if (all && pager && !whole) {
        if (status) status.textContent = `Loading all ${pager.dataset.pages} pages…`;
        loadWhole().then(apply);
        return;
      }
      const shown = showRows(tables, all, (row) => chosen.every(([name, value]) => matches[name](row, value)));
      const status_ = chosen.find(([name]) => name === "status");
      if (closed && status_ && (status_[1] === "done" || status_[1] === "wontfix")) closed.open = true;
      const rows = tables.reduce((n, t) => n + t.tBodies[0].rows.length, 0);
      if (status) status.textContent = `Showing ${shown} of ${totalOf(rows)} actions${partly(all)}`;
      const url = new URL(location.href);
      for (const select of selects) {
        if (select.value) url.searchParams.set(select.name, select.value); else url.searchParams.delete(select.name);
      }
      if (url.href !== location.href) history.replaceState(null, "", url);
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    filters.push(apply);
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

  // A badge of the diagram (an <a href="#event-N"> around its <rect>) and item N
  // of the event list highlight each other while one is hovered or focused, and
  // the badge gets the item's words as its tooltip (the page has them once).
  // A list over several days shows each day's date once, on its first event:
  // the tooltip of every event of such a list names its day.
  function linkTimeline() {
    const manyDays = document.querySelectorAll("#timeline-events .event-date").length > 1;
    for (const hit of document.querySelectorAll(".kb-tl a[href^='#event-']")) {
      const item = document.getElementById(hit.getAttribute("href").slice(1));
      const rect = hit.querySelector("rect");
      if (!item || !rect) continue;
      if (!hit.querySelector(":scope > title")) {
        const tip = document.createElementNS("http://www.w3.org/2000/svg", "title");
        const when = item.querySelector("time");
        const what = item.querySelector(":scope > div");
        let day = "";
        for (let at = item; manyDays && at && !day; at = at.previousElementSibling) {
          const date = at.querySelector(".event-date");
          if (date) day = `${date.textContent} `;
        }
        const words = when && what ? `${day}${when.textContent} ${what.textContent}` : item.textContent;
        tip.textContent = `${hit.textContent.trim()}. ${words.replace(/\s+/g, " ").trim()}`;
        // On the link, so that pointing at the number shows it too.
        hit.prepend(tip);
      }
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
