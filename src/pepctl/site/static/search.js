// The search page: finds PEPs by words of their title and text, fetching only what a query needs
// from the index the site's build wrote under search/ (see docs/site.md, "Search"): the manifest,
// the shards of the query's words, and the passages of the results it shows.
// Everything shown is set as text (textContent, text nodes): nothing from the index is HTML.

const MIN_PREFIX = 3; // a word this long or longer also finds the words it begins
const MAX_PREFIX_SHARDS = 8; // a prefix that spans more shards is matched in these only
const PAGE = 10; // results shown at a time
const SNIPPET_WORDS = 32; // words of the passage shown around the matches
const PLACE = [1, 3, 8, 30]; // weight of a word by where it is: once, often, heading or author, title
const KIND = { exact: 1, stem: 0.8, prefix: 0.5 };
const PLACE_OF = { t: 3, h: 2, o: 1 };
// A query word the index does not hold is read as another form of the longest indexed word, or stem
// of indexed words, that it begins with when what follows is one of these endings and the word or
// stem is longer than the ending: "migrations" is "migration" + s, "migrated" the stem "migrat" + ed;
// "planet" is not "plan" (et is no ending), "string" not "str" (ing is as long as str).
const ENDINGS = ["s", "es", "ed", "ing", "ly", "er", "ers", "ment", "ments", "ness"];

const input = document.getElementById("search-q");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const more = document.getElementById("search-more");
const shards = new Map(); // key -> Promise of a shard
const docs = new Map(); // id -> Promise of [url, label, title, status, passages]
let manifest = null;
let run = 0; // the latest query: answers to older ones are dropped
let shown = null; // {hits, words, count} of the query on screen

function fetchJSON(path, options) {
  return fetch(path, options).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
    return response.json();
  });
}

function tokens(text) {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) || [];
}

function loadManifest() {
  if (!manifest) {
    // never from a cache: it names the version of every other file, which are then fetched by it
    manifest = fetchJSON("search/manifest.json", { cache: "no-store" }).then((data) => {
      const numbers = new Map();
      let number = 0, id = 0;
      for (let i = 0; i + 1 < data.numbers.length; i += 2) {
        number += data.numbers[i];
        id += data.numbers[i + 1];
        if (!numbers.has(number)) numbers.set(number, []);
        numbers.get(number).push(id);
      }
      return { count: data.count, keys: new Set(data.keys), sorted: data.keys.slice().sort(), numbers,
               version: encodeURIComponent(data.version) };
    });
    manifest.catch(() => { manifest = null; });
  }
  return manifest;
}

function route(m, word) {
  for (let end = Math.min(word.length, 12); end > 0; end--) {
    if (m.keys.has(word.slice(0, end))) return word.slice(0, end);
  }
  return "";
}

function keysUnder(m, prefix) {
  // the keys that start with `prefix`, in order (a binary search for the first)
  let low = 0, high = m.sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (m.sorted[middle] < prefix) low = middle + 1; else high = middle;
  }
  const found = [];
  for (let i = low; i < m.sorted.length && m.sorted[i].startsWith(prefix); i++) found.push(m.sorted[i]);
  return found;
}

function shardName(key) {
  if (!key) return "_";
  if (/^[a-z0-9]+$/.test(key)) return key;
  return "x" + Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
}

function loadShard(m, key) {
  if (!shards.has(key)) {
    const loading = fetchJSON(`search/s/${shardName(key)}.json?v=${m.version}`).then((data) => {
      const words = new Map();
      for (const [word, short, postings] of data.w) {
        const stem = short === 0 ? word : typeof short === "number" ? word.slice(0, short) : short;
        // "12,45o,78t": the PEPs' ids, each with where the word is (t title, h heading, o often, none once)
        const tokens = postings.split(",");
        const ids = new Array(tokens.length);
        const places = new Array(tokens.length);
        tokens.forEach((token, i) => {
          const place = PLACE_OF[token[token.length - 1]];
          places[i] = place === undefined ? 0 : place;
          ids[i] = parseInt(place === undefined ? token : token.slice(0, -1), 10);
        });
        words.set(word, { stem, ids, places });
      }
      return { key, words, cross: data.x || {} };
    });
    loading.catch(() => shards.delete(key));
    shards.set(key, loading);
  }
  return shards.get(key);
}

async function loadShards(m, keys) {
  return Promise.all(Array.from(new Set(keys), (key) => loadShard(m, key)));
}

// The stem of a word the index does not hold, by ENDINGS: that of the longest indexed word, or the
// longest stem of indexed words, that the word begins with before an ending; null when there is none.
async function stemByEnding(m, word) {
  const bases = ENDINGS.filter((end) => word.endsWith(end) && word.length > 2 * end.length)
    .map((end) => word.slice(0, -end.length))
    .sort((a, b) => b.length - a.length);
  // a stem's own shard (route of the stem) holds its words or lists them under `cross`
  const loaded = await loadShards(m, bases.map((base) => route(m, base)));
  const byKey = new Map(loaded.map((shard) => [shard.key, shard]));
  for (const base of bases) {
    const shard = byKey.get(route(m, base));
    const known = shard.words.get(base);
    if (known) return known.stem;
    if (shard.cross[base]) return base;
    for (const entry of shard.words.values()) if (entry.stem === base) return base;
  }
  return null;
}

// Which words of the index a query word matches, and how: the word itself, the words of its stem
// (the build's stem of a word it holds, else one found by ENDINGS), and for three letters or more
// the words it begins.
async function match(m, word) {
  const prefixKeys = word.length >= MIN_PREFIX ? keysUnder(m, word).slice(0, MAX_PREFIX_SHARDS) : [];
  const loaded = await loadShards(m, [route(m, word), ...prefixKeys]);
  const own = loaded[0].words.get(word);
  const stem = own ? own.stem : await stemByEnding(m, word);
  if (stem !== null) {
    const stemHome = await loadShard(m, route(m, stem));
    loaded.push(stemHome);
    const elsewhere = stemHome.cross[stem] || [];
    if (elsewhere.length) loaded.push(...(await loadShards(m, elsewhere.map((w) => route(m, w)))));
  }
  const found = new Map(); // word -> {entry, kind}
  const seen = new Set();
  for (const shard of loaded) {
    if (seen.has(shard.key)) continue;
    seen.add(shard.key);
    for (const [other, entry] of shard.words) {
      let kind = null;
      if (other === word) kind = "exact";
      else if (stem !== null && entry.stem === stem) kind = "stem";
      else if (word.length >= MIN_PREFIX && other.startsWith(word)) kind = "prefix";
      if (kind) found.set(other, { entry, kind });
    }
  }
  return found;
}

async function search(query) {
  const m = await loadManifest();
  const words = Array.from(new Set(tokens(query)));
  const matched = await Promise.all(words.map((word) => match(m, word)));
  let scores = null; // id -> {score, titles}
  const marked = new Set(); // the index's words that matched, marked in snippets
  matched.forEach((found) => {
    const best = new Map();
    for (const [word, { entry, kind }] of found) {
      marked.add(word);
      const idf = Math.log(1 + m.count / entry.ids.length);
      entry.ids.forEach((id, i) => {
        const place = entry.places[i];
        const value = PLACE[place] * KIND[kind] * idf;
        const old = best.get(id);
        if (!old || value > old.value) best.set(id, { value, title: place === 3 || (old && old.title) });
        else if (place === 3) old.title = true;
      });
    }
    if (scores === null) {
      scores = new Map();
      for (const [id, b] of best) scores.set(id, { score: b.value, titles: b.title ? 1 : 0 });
    } else {
      for (const [id, s] of scores) {
        const b = best.get(id);
        if (!b) scores.delete(id);
        else { s.score += b.value; s.titles += b.title ? 1 : 0; }
      }
    }
  });
  scores = scores || new Map();
  const number = query.match(/^\s*(?:pep[\s-]*)?0*(\d{1,6})\s*$/i);
  const first = number ? m.numbers.get(parseInt(number[1], 10)) || [] : [];
  const hits = Array.from(scores, ([id, s]) => ({ id, score: s.score, titles: s.titles }));
  hits.sort((a, b) => b.titles - a.titles || b.score - a.score || a.id - b.id);
  const top = first.map((id) => ({ id })).concat(hits.filter((h) => !first.includes(h.id)));
  return { hits: top, words: marked };
}

function loadDoc(m, id) {
  if (!docs.has(id)) {
    const loading = fetchJSON(`search/d/${id}.json?v=${m.version}`);
    loading.catch(() => docs.delete(id));
    docs.set(id, loading);
  }
  return docs.get(id);
}

// The passage that holds the most of the matched words (their variety first), and in it the
// SNIPPET_WORDS words around the densest run of them.
function snippet(passages, words) {
  let best = null;
  passages.forEach(([heading, text], index) => {
    const found = new Set();
    let count = 0;
    for (const token of tokens(text)) if (words.has(token)) { found.add(token); count++; }
    for (const token of tokens(heading)) if (words.has(token)) found.add(token);
    const rank = found.size * 1000 + count;
    if (best === null || rank > best.rank || (best.rank === 0 && rank === 0 && !best.text && text)) {
      best = { heading, text, rank, index };
    }
  });
  if (!best) return null;
  const pieces = best.text.split(/(\s+)/);
  const spots = [];
  pieces.forEach((piece, i) => { if (tokens(piece).some((t) => words.has(t))) spots.push(i); });
  let start = 0;
  if (spots.length) {
    let bestCount = -1;
    for (const spot of spots) {
      const from = Math.max(0, spot - 2 * 6);
      const count = spots.filter((s) => s >= from && s < from + 2 * SNIPPET_WORDS).length;
      if (count > bestCount) { bestCount = count; start = from; }
    }
  }
  const end = Math.min(pieces.length, start + 2 * SNIPPET_WORDS);
  if (start % 2) start += 1; // start on a word, not on the space before it
  return { heading: best.heading, text: pieces.slice(start, end).join(""), before: start > 0, after: end < pieces.length };
}

function markedText(parent, text, words) {
  // text nodes and <mark> elements: the words of the index that matched are marked
  const pattern = /[\p{L}\p{N}]+/gu;
  let at = 0;
  for (const found of text.matchAll(pattern)) {
    if (!words.has(found[0].toLowerCase())) continue;
    if (found.index > at) parent.appendChild(document.createTextNode(text.slice(at, found.index)));
    const mark = document.createElement("mark");
    mark.textContent = found[0];
    parent.appendChild(mark);
    at = found.index + found[0].length;
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

function result(doc, words) {
  const [url, label, title, state, passages] = doc;
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  heading.className = "result-title";
  const link = document.createElement("a");
  link.href = url;
  link.textContent = `${label}: ${title}`;
  heading.appendChild(link);
  item.appendChild(heading);
  const badge = document.createElement("span");
  badge.className = "badge status-" + state.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  badge.textContent = state;
  item.appendChild(badge);
  const found = snippet(passages, words);
  if (found && (found.heading || found.text)) {
    const p = document.createElement("p");
    p.className = "snippet";
    if (found.heading) {
      const section = document.createElement("span");
      section.className = "snippet-heading";
      markedText(section, found.heading, words);
      p.appendChild(section);
    }
    if (found.text) {
      const text = document.createElement("span");
      text.className = "snippet-text";
      markedText(text, (found.before ? "…" : "") + found.text + (found.after ? "…" : ""), words);
      p.appendChild(text);
    }
    item.appendChild(p);
  }
  return item;
}

async function showMore(current, replace = false) {
  const next = shown.hits.slice(shown.count, shown.count + PAGE);
  const m = await loadManifest();
  const loaded = await Promise.all(next.map((hit) => loadDoc(m, hit.id)));
  if (current !== run) return;
  const fragment = document.createDocumentFragment();
  loaded.forEach((doc) => fragment.appendChild(result(doc, shown.words)));
  if (replace) list.replaceChildren(fragment); else list.appendChild(fragment);
  shown.count += next.length;
  more.hidden = shown.count >= shown.hits.length;
}

function say(text) {
  status.textContent = text;
}

async function runQuery() {
  const current = ++run;
  const query = input.value.trim();
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  history.replaceState(null, "", url.pathname + url.search);
  if (!query) {
    list.textContent = "";
    more.hidden = true;
    say("Type words from a PEP's title or text.");
    return;
  }
  say("Searching…");
  try {
    const found = await search(query);
    if (current !== run) return;
    shown = { hits: found.hits, words: found.words, count: 0 };
    await showMore(current, true); // the new results replace the old ones at once, passages and all
    if (current !== run) return;
    const total = found.hits.length;
    say(total === 0 ? "No PEP found." : total === 1 ? "1 PEP found." : `${total} PEPs found.`);
  } catch (error) {
    if (current === run) say(`The search index could not be loaded (${error.message}).`);
  }
}

let timer = null;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(runQuery, 200); });
input.form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); runQuery(); });
more.addEventListener("click", () => showMore(run));
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) { input.value = initial; runQuery(); } else say("Type words from a PEP's title or text.");
