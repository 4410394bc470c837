// stem.js: the Snowball English (Porter2) stemmer, the algorithm kb's index
// builder applies with rust-stemmers, so a query word and the indexed words
// reduce to the same stem ("memory" -> "memori", "leaking" -> "leak").
// Input: one folded word (lower case, no diacritics, no apostrophes).
// Defines window.kbStem(word). The browser tests check it against the index.
(() => {
  "use strict";

  const VOWELS = "aeiouy";
  const isVowel = (c) => c !== undefined && VOWELS.includes(c);

  const EXCEPTIONS = new Map([
    ["skis", "ski"], ["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
    ["idly", "idl"], ["gently", "gentl"], ["ugly", "ugli"], ["early", "earli"], ["only", "onli"],
    ["singly", "singl"], ["sky", "sky"], ["news", "news"], ["howe", "howe"], ["atlas", "atlas"],
    ["cosmos", "cosmos"], ["bias", "bias"], ["andes", "andes"],
  ]);
  const AFTER_1A = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);

  const STEP2 = [
    ["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
    ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"], ["entli", "ent"], ["ation", "ate"],
    ["alism", "al"], ["aliti", "al"], ["ousli", "ous"], ["iviti", "ive"], ["fulli", "ful"],
    ["enci", "ence"], ["anci", "ance"], ["abli", "able"], ["izer", "ize"], ["ator", "ate"],
    ["alli", "al"], ["bli", "ble"], ["ogi", "og"], ["li", ""],
  ];
  const STEP3 = [
    ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""],
  ];
  const STEP4 = [
    "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous",
    "ive", "ize", "ion", "al", "er", "ic",
  ];

  // Start of the region after the first non-vowel that follows a vowel, from `from`.
  function region(w, from) {
    for (let i = from + 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    }
    return w.length;
  }

  // Does w[0..end) end in a short syllable?
  function shortSyllable(w, end) {
    const a = w[end - 3], b = w[end - 2], c = w[end - 1];
    if (end === 2) return isVowel(b) && !isVowel(c);
    return end >= 3 && !isVowel(a) && isVowel(b) && !isVowel(c) && !"wxY".includes(c);
  }

  // The longest suffix of `list` that w ends with, or null.
  const longest = (w, list) => list.find((entry) => w.endsWith(Array.isArray(entry) ? entry[0] : entry)) ?? null;

  function stem(word) {
    if (EXCEPTIONS.has(word)) return EXCEPTIONS.get(word);
    if (word.length < 3) return word;
    // Prelude: a y at the start or after a vowel is a consonant, marked Y.
    let w = "";
    for (let i = 0; i < word.length; i++) {
      w += word[i] === "y" && (i === 0 || isVowel(w[i - 1])) ? "Y" : word[i];
    }
    const prefix = ["gener", "commun", "arsen"].find((p) => w.startsWith(p));
    const p1 = prefix ? prefix.length : region(w, 0);
    const p2 = region(w, p1);

    // Step 1a.
    if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (w.endsWith("ied") || w.endsWith("ies")) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (w.endsWith("us") || w.endsWith("ss")) { /* kept */ }
    else if (w.endsWith("s")) {
      const before = w.slice(0, -2);
      if ([...before].some(isVowel)) w = w.slice(0, -1);
    }
    if (AFTER_1A.has(w)) return w;

    // Step 1b.
    const s1b = longest(w, ["eedly", "ingly", "edly", "eed", "ing", "ed"]);
    if (s1b === "eed" || s1b === "eedly") {
      if (w.length - s1b.length >= p1) w = w.slice(0, -s1b.length) + "ee";
    } else if (s1b) {
      const base = w.slice(0, -s1b.length);
      if ([...base].some(isVowel)) {
        w = base;
        if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (w.length === p1 && shortSyllable(w, w.length)) w += "e";
      }
    }

    // Step 1c.
    const last = w[w.length - 1];
    if ((last === "y" || last === "Y") && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";

    // Step 2.
    const s2 = longest(w, STEP2);
    if (s2 && w.length - s2[0].length >= p1) {
      const base = w.slice(0, -s2[0].length);
      if (s2[0] === "ogi") { if (base.endsWith("l")) w = base + "og"; }
      else if (s2[0] === "li") { if ("cdeghkmnrt".includes(base[base.length - 1])) w = base; }
      else w = base + s2[1];
    }

    // Step 3.
    const s3 = longest(w, STEP3);
    if (s3 && w.length - s3[0].length >= p1) {
      if (s3[0] === "ative") { if (w.length - 5 >= p2) w = w.slice(0, -5); }
      else w = w.slice(0, -s3[0].length) + s3[1];
    }

    // Step 4.
    const s4 = longest(w, STEP4);
    if (s4 && w.length - s4.length >= p2) {
      if (s4 !== "ion") w = w.slice(0, -s4.length);
      else if (/[st]$/.test(w.slice(0, -3))) w = w.slice(0, -3);
    }

    // Step 5.
    if (w.endsWith("e")) {
      const at = w.length - 1;
      if (at >= p2 || (at >= p1 && !shortSyllable(w, at))) w = w.slice(0, -1);
    } else if (w.endsWith("ll") && w.length - 1 >= p2) {
      w = w.slice(0, -1);
    }
    return w.replaceAll("Y", "y");
  }

  window.kbStem = stem;
})();
