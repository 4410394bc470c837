// search.js: the /search/ page. Queries the index kb wrote under search/
// (see src/analysis/search/mod.rs for its files and encodings), fetching only
// the manifest, the facet columns, the shards of the words typed and the
// files holding the cards on screen. Folding and tokens follow
// src/analysis/search/text.rs; stems come from stem.js.
(() => {
  "use strict";

  const box = document.getElementById("search");
  if (!box || typeof window.kbStem !== "function") return;
  const indexUrl = box.dataset.index;
  const siteRoot = box.dataset.root;
  const input = document.getElementById("search-q");
  const form = input.form;
  const layout = box.querySelector(".search-layout");
  const facetsBox = box.querySelector(".search-facets");
  // The filters are folded on a phone (results first) and open beside the
  // results on a wider screen.
  const filters = box.querySelector(".search-filters");
  if (filters && matchMedia("(min-width: 40.01rem)").matches) filters.open = true;
  const status = box.querySelector(".search-status");
  const list = document.getElementById("search-results");
  const more = box.querySelector(".search-more");
  const PAGE = 10;
  const FACETS = ["service", "cause", "severity", "year"];

  // ---------- Text, as the index builder does it ----------

  const FOLD = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ς": "σ" };
  const fold = (text) => text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/[ßæœøłđðþıς]/g, (c) => FOLD[c]);
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  let stopWords = new Set();
  let maxChars = 32;

  function keep(word) {
    const n = [...word].length;
    return n <= maxChars && (n >= 2 || /^[0-9]$/.test(word));
  }

  // The query: loose words (the last one a prefix while typing) and "phrases".
  function parse(q) {
    const groups = [];
    const phrases = [];
    const typing = !/[\s"]$/.test(q);
    const add = (word, prefix) => {
      if (stopWords.has(word) || !keep(word)) return null;
      const stem = window.kbStem(word);
      const group = { stem, prefixes: prefix ? [...new Set([stem, word])] : [] };
      groups.push(group);
      return stem;
    };
    const loose = q.replace(/"([^"]*)("|$)/g, (_, phrase) => {
      const stems = (fold(phrase).match(WORD) || []).map((w) => add(w, false)).filter(Boolean);
      if (stems.length > 1) phrases.push(stems);
      return " ";
    });
    const words = fold(loose).match(WORD) || [];
    words.forEach((w, i) => add(w, typing && i === words.length - 1 && /[^"\s]$/.test(q)));
    return { groups, phrases };
  }

  // ---------- Index files ----------

  let manifest = null;
  const cache = new Map();

  function get(path) {
    if (!cache.has(path)) {
      const url = `${indexUrl}${path}?v=${manifest.version}`;
      cache.set(path, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return r.json();
      }).catch((e) => { cache.delete(path); throw e; }));
    }
    return cache.get(path);
  }

  // Character code -> digit of the index's 64-character alphabet.
  const DIGIT = new Uint8Array(128);
  [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"].forEach((c, i) => { DIGIT[c.charCodeAt(0)] = i; });
  const digit = (text, i) => DIGIT[text.charCodeAt(i)];

  // A posting string to parallel arrays of doc ids and impacts (no impacts for pairs).
  function decode(text, impacts) {
    const docs = [];
    const scores = [];
    let i = 0, next = 0;
    while (i < text.length) {
      let gap = 0, shift = 0, d;
      do {
        d = digit(text, i++);
        gap += (d & 31) * 2 ** shift;
        shift += 5;
      } while (d >= 32);
      const doc = next + gap;
      docs.push(doc);
      if (impacts) scores.push(digit(text, i++));
      next = doc + 1;
    }
    return { docs, scores };
  }

  // Code-point order, as Rust sorts the terms.
  function compare(a, b) {
    const x = [...a], y = [...b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    }
    return x.length - y.length;
  }

  // Shards that may hold `key`, or every key starting with it when `prefix`:
  // a key is in the last shard whose lower bound is not above it.
  function shardsFor(bounds, key, prefix) {
    if (bounds.length === 0) return [];
    let lo = 0, hi = bounds.length - 1, at = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (compare(bounds[mid], key) <= 0) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const out = [at];
    while (prefix && at + 1 < bounds.length && bounds[at + 1].startsWith(key)) out.push(++at);
    return out;
  }

  async function lookup(kind, key, prefix) {
    const shards = await Promise.all(shardsFor(manifest[kind], key, prefix).map((n) => get(`${kind}/${n}.json`)));
    const found = [];
    for (const shard of shards) {
      if (prefix) {
        for (const k of Object.keys(shard)) if (k.startsWith(key)) found.push(shard[k]);
      } else if (Object.hasOwn(shard, key)) found.push(shard[key]);
    }
    return found;
  }

  // One word's matches: per doc id the best impact of its stem or its
  // prefixes (0: no match), and the doc ids that match.
  async function match(group) {
    const lists = group.prefixes.length
      ? (await Promise.all(group.prefixes.map((p) => lookup("terms", p, true)))).flat()
      : await lookup("terms", group.stem, false);
    const best = new Uint8Array(manifest.docs);
    const docs = [];
    for (const text of new Set(lists)) {
      const { docs: found, scores: impacts } = decode(text, true);
      found.forEach((d, i) => {
        if (best[d] === 0) docs.push(d);
        if (impacts[i] > best[d]) best[d] = impacts[i];
      });
    }
    return { best, docs };
  }

  async function phraseDocs(stems) {
    let docs = null;
    for (let i = 0; i + 1 < stems.length; i++) {
      const [text] = await lookup("pairs", `${stems[i]} ${stems[i + 1]}`, false);
      const set = new Set(text === undefined ? [] : decode(text, false).docs);
      docs = docs === null ? set : new Set([...docs].filter((d) => set.has(d)));
    }
    return docs;
  }

  // ---------- Facets ----------

  let columns = null;
  let facetOf = {};

  // Characters of `bits` bits a number below `count` needs (encode::digits).
  function width(count, bits) {
    let w = 1;
    while (count > 2 ** (bits * w)) w++;
    return w;
  }

  // Per facet, per doc, its value ids: the columns of facets.json decoded
  // (encodings in src/analysis/search/encode.rs).
  function decodeColumns(raw) {
    const out = {};
    const single = manifest.facets.filter((f) => !f.multi);
    const radixes = single.map((f) => f.values.length + 1);
    const packed = raw.single || "";
    const w = width(radixes.reduce((a, b) => a * b, 1), 6);
    for (const facet of single) out[facet.key] = [];
    for (let i = 0; i < packed.length; i += w) {
      let number = 0;
      for (let j = i; j < i + w; j++) number = number * 64 + digit(packed, j);
      single.forEach((facet, k) => {
        const code = number % radixes[k];
        number = (number - code) / radixes[k];
        out[facet.key].push(code ? [code - 1] : []);
      });
    }
    for (const facet of manifest.facets.filter((f) => f.multi)) {
      const text = raw[facet.key] || "";
      const fw = width(facet.values.length, 5);
      const docs = [];
      let i = 0;
      while (i < text.length) {
        const ids = [];
        if (text[i] === ".") i++;
        else {
          let more = true;
          while (more) {
            let id = 0, d = 0;
            for (let j = 0; j < fw; j++) {
              d = digit(text, i++);
              id = id * 32 + (d & 31);
            }
            ids.push(id);
            more = d >= 32;
          }
        }
        docs.push(ids);
      }
      out[facet.key] = docs;
    }
    return out;
  }

  // The selected value ids of each facet, from slugs or names in the URL.
  function selection(params) {
    const selected = {};
    for (const facet of manifest.facets) {
      const wanted = new Set(params.getAll(facet.key).map((v) => fold(v)));
      selected[facet.key] = new Set(
        facet.values.flatMap(([slug, name], i) => (wanted.has(fold(slug)) || wanted.has(fold(name)) ? [i] : [])),
      );
    }
    return selected;
  }

  const passes = (doc, key, chosen) => chosen.size === 0 || columns[key][doc].some((v) => chosen.has(v));

  // ---------- Searching ----------

  let current = { results: [], shown: 0, groups: [] };
  let generation = 0;

  let runs = 0;

  async function run() {
    const mine = ++generation;
    box.dataset.state = "busy";
    const params = new URLSearchParams(location.search);
    const q = params.get("q") || "";
    const { groups, phrases } = parse(q);
    const selected = selection(params);
    const started = performance.now();

    // Every word must match: candidates are the rarest word's docs that all
    // other words match too; a doc's score is the sum of its impacts.
    let scores = null;
    let candidates;
    const matches = (await Promise.all(groups.map(match))).sort((a, b) => a.docs.length - b.docs.length);
    if (matches.length) {
      scores = new Uint32Array(manifest.docs);
      candidates = matches[0].docs.filter((d) => {
        let sum = 0;
        for (const m of matches) {
          if (m.best[d] === 0) return false;
          sum += m.best[d];
        }
        scores[d] = sum;
        return true;
      });
      for (const stems of phrases) {
        const docs = await phraseDocs(stems);
        candidates = candidates.filter((d) => docs.has(d));
      }
    } else candidates = [...Array(manifest.docs).keys()];
    if (mine !== generation) return;

    const counts = {};
    for (const key of FACETS) counts[key] = new Uint32Array(facetOf[key].values.length);
    const results = [];
    for (const doc of candidates) {
      let failing = null, failures = 0;
      for (const key of FACETS) {
        if (!passes(doc, key, selected[key])) {
          failing = key;
          failures++;
        }
      }
      if (failures === 0) results.push(doc);
      // A facet's counts follow the query and the other facets' choices.
      if (failures > 1) continue;
      for (const key of FACETS) {
        if (failures === 0 || failing === key) for (const v of columns[key][doc]) counts[key][v]++;
      }
    }
    if (scores !== null) results.sort((a, b) => scores[b] - scores[a] || a - b);
    const elapsed = performance.now() - started;
    box.dataset.lastQueryMs = elapsed.toFixed(1);

    current = { results, shown: 0, groups };
    renderFacets(counts, selected);
    const words = q.trim() ? ` for “${q.trim()}”` : "";
    status.textContent = `${results.length} ${results.length === 1 ? "incident" : "incidents"}${words}`;
    list.replaceChildren();
    await showMore();
    if (mine !== generation) return;
    box.dataset.state = "done";
    box.dataset.runs = String(++runs);
  }

  // ---------- Results ----------

  async function showMore() {
    const page = current.results.slice(current.shown, current.shown + PAGE);
    const start = current.shown;
    current.shown += page.length;
    more.hidden = current.shown >= current.results.length;
    const items = page.map(() => {
      const li = document.createElement("li");
      li.className = "search-result";
      list.append(li);
      return li;
    });
    const mine = generation;
    const per = manifest.cards;
    await Promise.all(page.map(async (doc, i) => {
      const cards = await get(`cards/${Math.floor(doc / per)}.json`);
      if (mine === generation) fillCard(items[i], doc, cards[doc % per], start + i);
    }));
  }

  // Does a word of the text match the query (stem, or prefix of the last word)?
  function matcher(groups) {
    const stems = new Set(groups.map((g) => g.stem));
    const prefixes = groups.flatMap((g) => g.prefixes);
    return (word) => {
      const folded = fold(word);
      if (stopWords.has(folded) || !keep(folded)) return false;
      const stem = window.kbStem(folded);
      return stems.has(stem) || prefixes.some((p) => stem.startsWith(p) || folded.startsWith(p));
    };
  }

  // Appends `text` to `parent` with matched words in <mark>, as text nodes only.
  function highlight(parent, text, isMatch) {
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      if (!isMatch(m[0])) continue;
      if (m.index > last) parent.append(text.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.append(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  // The values of a doc in a facet: [slug, name] each.
  const valuesOf = (doc, key) => columns[key][doc].map((v) => facetOf[key].values[v]);

  // A card is [title, path, date, duration, snippet]; severity and services
  // come from the facet columns.
  function fillCard(li, doc, card, n) {
    const [title, path, date, duration, text] = card;
    const isMatch = matcher(current.groups);
    const h = document.createElement("h2");
    h.className = "search-result-title";
    const a = document.createElement("a");
    a.href = siteRoot + path;
    a.id = `search-result-${n}`;
    highlight(a, title, isMatch);
    h.append(a);
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    const parts = [];
    if (date) {
      const time = document.createElement("time");
      time.dateTime = date;
      time.textContent = date;
      parts.push(time);
    }
    for (const [slug, name] of valuesOf(doc, "severity")) {
      const badge = document.createElement("span");
      badge.className = `badge badge-${slug}`;
      badge.textContent = name;
      parts.push(badge);
    }
    if (duration) parts.push(`lasted ${duration}`);
    const services = valuesOf(doc, "service").map(([, name]) => name);
    if (services.length) parts.push(services.join(", "));
    parts.forEach((part, i) => meta.append(...(i ? [" · ", part] : [part])));
    const snippet = document.createElement("p");
    snippet.className = "search-result-snippet";
    highlight(snippet, text, isMatch);
    li.replaceChildren(h, meta, snippet);
  }

  function renderFacets(counts, selected) {
    // Re-rendering must not lose the keyboard focus of a checkbox.
    const focused = facetsBox.contains(document.activeElement) ? document.activeElement : null;
    facetsBox.replaceChildren();
    for (const facet of manifest.facets) {
      const order = facet.values.map((v, i) => i);
      if (facet.key === "service" || facet.key === "cause") {
        order.sort((a, b) => counts[facet.key][b] - counts[facet.key][a] || a - b);
      }
      const fieldset = document.createElement("fieldset");
      fieldset.dataset.facet = facet.key;
      const legend = document.createElement("legend");
      legend.textContent = facet.label;
      fieldset.append(legend);
      const ul = document.createElement("ul");
      for (const i of order) {
        const [slug, name] = facet.values[i];
        const count = counts[facet.key][i];
        const checked = selected[facet.key].has(i);
        if (count === 0 && !checked) continue;
        const li = document.createElement("li");
        const label = document.createElement("label");
        const checkbox = document.createElement("input");
        checkbox.type = "checkbox";
        checkbox.name = facet.key;
        checkbox.value = slug;
        checkbox.checked = checked;
        const span = document.createElement("span");
        span.className = "count";
        span.textContent = `(${count})`;
        label.append(checkbox, ` ${name} `, span);
        li.append(label);
        ul.append(li);
      }
      if (!ul.children.length) continue;
      fieldset.append(ul);
      facetsBox.append(fieldset);
    }
    if (focused) {
      const again = [...facetsBox.querySelectorAll("input")].find((c) => c.name === focused.name && c.value === focused.value);
      again?.focus();
    }
  }

  // ---------- URL, input, keyboard ----------

  function urlFor(q) {
    const url = new URL(location.href);
    url.search = "";
    if (q.trim()) url.searchParams.set("q", q);
    for (const checkbox of facetsBox.querySelectorAll("input:checked")) url.searchParams.append(checkbox.name, checkbox.value);
    return url;
  }

  let typingTimer = 0;
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      history.replaceState(null, "", urlFor(input.value));
      run();
    }, 80);
  });
  facetsBox.addEventListener("change", () => {
    history.pushState(null, "", urlFor(input.value));
    run();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    history.pushState(null, "", urlFor(input.value));
    run();
  });
  window.addEventListener("popstate", () => {
    input.value = new URLSearchParams(location.search).get("q") || "";
    run();
  });
  more.addEventListener("click", () => showMore());

  const links = () => [...list.querySelectorAll(".search-result-title a")];
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      input.focus();
    }
  });

  // ---------- Start ----------

  async function start() {
    try {
      const r = await fetch(`${indexUrl}manifest.json`, { cache: "no-cache" });
      if (!r.ok) throw new Error(`manifest: ${r.status}`);
      manifest = await r.json();
      stopWords = new Set(manifest.stop);
      maxChars = manifest.max_token_chars;
      facetOf = Object.fromEntries(manifest.facets.map((f) => [f.key, f]));
      columns = decodeColumns(await get("facets.json"));
      input.value = new URLSearchParams(location.search).get("q") || "";
      layout.hidden = false;
      await run();
    } catch (error) {
      status.textContent = `Search is unavailable: ${error.message}`;
      layout.hidden = false;
      box.dataset.state = "error";
    }
  }

  start();
})();
