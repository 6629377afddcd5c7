// Samtaletjek: the comparison page (sammenlign/). Progressive enhancement only: without this
// file the page shows the default comparison drawn at build time.
//
// The choice lives in the address, ?k=koebenhavn,aarhus&g=dagpenge (k: up to five municipality
// slugs, g: a target group id), so a comparison can be shared as a link. Figures come from
// sammenlign/<g>.json: the months, per slug the share and persons aligned to them (null where
// missing) and the rank in the latest month, the country's line, and the group's breaks and
// threshold (`marks`, with their `legend`). The chart is the page's own spec with its data
// put in. The chosen municipalities are chips (a button each, that removes it); a search field
// adds one by a forgiving name (samtaletjek.js's matching: "Kobenhavn", "hoeje taastrup").
// The downloads follow the choice: the group's file of all its figures, and "Hent de viste
// tal", made here from the same figures as CSV for Danish Excel and as .xlsx (sheets.js).
(function () {
  "use strict";

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december"];
  var MISSING = "–";
  var SVG = "http://www.w3.org/2000/svg";
  var SUGGESTIONS = 6; // at most this many suggestions under the search field
  var WIDEST = 760; // the chart's widest drawing, px
  var SMALLEST_TEXT = 11; // px: no text in the chart is smaller

  var root = document.getElementById("sammenlign");
  var form = document.getElementById("sammenlign-valg");
  if (!root || !form || !root.getAttribute("data-setup") || !window.fetch ||
      !window.URLSearchParams || !window.history || !history.replaceState ||
      !(window.Samtaletjek && window.Samtaletjek.vega)) return;

  // Every municipality (slug, name, page), the line styles by id and the styles of the chosen
  // municipalities and the country: samtaletjek/pages/compare.py, page_setup.
  var setup = JSON.parse(root.getAttribute("data-setup"));
  var max = setup.max || Number(root.getAttribute("data-max")) || 5;
  var pageGroup = root.getAttribute("data-group");
  var defaults = root.getAttribute("data-default").split(",");
  var dataDir = root.getAttribute("data-data");
  var select = document.getElementById("sammenlign-gruppe");
  var chips = document.getElementById("sammenlign-chips");
  var count = document.getElementById("sammenlign-antal");
  var find = document.getElementById("sammenlign-find");
  var hint = document.getElementById("sammenlign-find-hjaelp");
  var answer = document.getElementById("sammenlign-find-svar");
  var suggestions = document.getElementById("sammenlign-forslag");
  var status = document.getElementById("sammenlign-status");
  var link = document.getElementById("sammenlign-link");
  var legendBox = document.getElementById("sammenlign-forklaring");
  var figure = root.querySelector("figure.compare-chart");
  var canvas = figure.querySelector(".chart-canvas");
  var hintText = hint.textContent;
  var allFigures = document.getElementById("sammenlign-hent-alle");
  var shownFiles = document.getElementById("sammenlign-hent-viste");
  var yearlyTitle = document.getElementById("sammenlign-aar-titel");
  var breakNote = document.getElementById("sammenlign-brud");
  // The same comparison of the other indicators: the links carry the choice along.
  var switches = Array.prototype.slice.call(
    document.querySelectorAll("nav[aria-labelledby=vaelg-maaling] a"));
  switches.forEach(function (a) { a.setAttribute("data-page", a.getAttribute("href")); });

  var places = setup.municipalities.map(function (m) {
    return { slug: m[0], name: m[1], href: m[2] };
  });
  var bySlug = {};
  var byName = {};
  places.forEach(function (place) {
    bySlug[place.slug] = place;
    byName[place.name] = place;
  });
  var groups = Array.prototype.map.call(select.options, function (o) { return o.value; });

  var state = fromAddress();
  var token = 0; // only the newest update may draw
  var shown = null; // the figures the tables show: what "Hent de viste tal" writes
  var pending = null; // the newest update's loading and drawing
  var loaded = {};
  var templateText = null;
  var drawnWidth = 0; // the figure's width when the chart was drawn

  // ---- the address ----------------------------------------------------------------------------

  function unique(list) {
    return list.filter(function (item, i) { return list.indexOf(item) === i; });
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    var group = groups.indexOf(params.get("g")) >= 0 ? params.get("g") : pageGroup;
    var k = params.get("k");
    var chosen = k === null ? defaults.slice() : k.split(",").filter(function (slug) {
      return Object.prototype.hasOwnProperty.call(bySlug, slug);
    });
    return { group: group, chosen: unique(chosen).slice(0, max) };
  }

  function query() {
    return "?k=" + state.chosen.join(",") + "&g=" + encodeURIComponent(state.group);
  }

  function address() {
    return location.pathname + query() + location.hash;
  }

  // ---- Danish, independent of the browser's locale --------------------------------------------

  function pct(value) {
    return value === null || value === undefined ? MISSING : value.toFixed(1).replace(".", ",") + " %";
  }

  function whole(value) {
    if (value === null || value === undefined) return MISSING;
    return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function monthName(month) {
    return MONTHS[Number(month.slice(5, 7)) - 1] + " " + month.slice(0, 4);
  }

  function monthStart(month) {
    return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
  }

  function listed(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " og " + items[items.length - 1];
  }

  function municipalities(n) {
    return n + " " + (n === 1 ? "kommune" : "kommuner");
  }

  // The same words as chosen_count in samtaletjek/pages/compare.py.
  function chosenCount(n) {
    if (n === 0) return "Ingen kommuner valgt.";
    return municipalities(n) + " valgt" + (n >= max ? ", det højeste antal." : " (højst " + max + ").");
  }

  // ---- finding a municipality by name -----------------------------------------------------------

  // Case, accents and spacing gone, æ/ae, ø/oe/o and å/aa/a made one (as samtaletjek.js does).
  function fold(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "")
      .replace(/aa/g, "a").replace(/oe/g, "o").replace(/ae/g, "a");
  }

  // The municipalities a query means, best first: samtaletjek.js's forgiving match (the header
  // search's, which also forgives a letter or two) where it is there, else names that begin
  // with or contain the query.
  function matching(query) {
    var shared = window.Samtaletjek && window.Samtaletjek.matches;
    if (shared) {
      return shared(query).map(function (hit) { return byName[hit.name]; }).filter(Boolean);
    }
    var wanted = fold(query);
    if (!wanted) return [];
    var starts = places.filter(function (p) { return fold(p.name).indexOf(wanted) === 0; });
    return starts.length ? starts : places.filter(function (p) {
      return fold(p.name).indexOf(wanted) !== -1;
    });
  }

  // ---- loading ----------------------------------------------------------------------------------

  function getJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.text();
    });
  }

  function load(group) {
    if (!loaded[group]) {
      loaded[group] = getJson(dataDir + encodeURIComponent(group) + ".json").then(JSON.parse);
      loaded[group].catch(function () { delete loaded[group]; });
    }
    return loaded[group];
  }

  function template() {
    if (templateText) return Promise.resolve(JSON.parse(templateText));
    return getJson(root.getAttribute("data-template")).then(function (text) {
      templateText = text;
      return JSON.parse(text);
    });
  }

  // ---- the legend and the chips' lines: the markup of chart_legend in templates/_partials.html --

  function lineSample(entry, width) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", "12");
    svg.setAttribute("viewBox", "0 0 " + width + " 12");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var line = document.createElementNS(SVG, "line");
    var upright = entry.kind === "break";
    line.setAttribute("x1", upright ? String(width / 2) : "0");
    line.setAttribute("y1", upright ? "0" : "6");
    line.setAttribute("x2", upright ? String(width / 2) : String(width));
    line.setAttribute("y2", upright ? "12" : "6");
    line.setAttribute("stroke", entry.colour);
    line.setAttribute("stroke-width", String(upright ? entry.width : entry.width + 0.5));
    if (entry.dash) line.setAttribute("stroke-dasharray", entry.dash);
    svg.appendChild(line);
    return svg;
  }

  function styleEntry(styleId, label) {
    var style = setup.styles[styleId];
    return { label: label, colour: style.colour, dash: style.dash, width: style.width, kind: "line" };
  }

  function chosenEntry(slug) {
    return styleEntry(setup.chosen[state.chosen.indexOf(slug)], bySlug[slug].name);
  }

  function drawLegend(data) {
    var entries = state.chosen.map(chosenEntry);
    entries.push(styleEntry(setup.national.style, setup.national.name));
    entries = entries.concat(data.legend || []);
    var list = document.createElement("ul");
    list.className = "chart-legend";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "legend-" + (entry.kind || "line");
      item.appendChild(lineSample(entry, 30));
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
    while (legendBox.firstChild) legendBox.removeChild(legendBox.firstChild);
    legendBox.appendChild(list);
  }

  // ---- drawing ----------------------------------------------------------------------------------

  function seriesOf(data) {
    var none = data.months.map(function () { return null; });
    return state.chosen.map(function (slug) {
      var figures = data.municipalities[slug] || {};
      return {
        slug: slug,
        name: bySlug[slug].name,
        style: setup.chosen[state.chosen.indexOf(slug)],
        share: figures.share || none,
        persons: figures.persons || none,
        rank: figures.rank === undefined ? null : figures.rank
      };
    });
  }

  function trendPhrase(name, share, months, latest) {
    var known = [];
    for (var i = 0; i <= latest; i += 1) if (share[i] !== null) known.push(i);
    if (!known.length) return name + ": ingen tal";
    var first = known[0];
    var last = known[known.length - 1];
    if (first === last) return name + " " + pct(share[last]) + " i " + monthName(months[last]);
    return name + " fra " + pct(share[first]) + " i " + monthName(months[first]) +
      " til " + pct(share[last]) + " i " + monthName(months[last]);
  }

  function chartLabel(data, series, noun) {
    var latest = data.months.indexOf(data.latest);
    var phrases = series.map(function (s) { return trendPhrase(s.name, s.share, data.months, latest); });
    phrases.push(trendPhrase(setup.national.name, data.national.share, data.months, latest));
    return (series.length ? "" : "Ingen kommuner valgt. ") + "Andel af " + noun +
      ", der " + setup.got + ": " + phrases.join("; ") + "." +
      (data.breaks ? " Kravene blev ændret i " + data.breaks + "." : "");
  }

  function showInstead(message) {
    var note = document.createElement("p");
    note.className = "chart-empty";
    note.textContent = message;
    while (canvas.firstChild) canvas.removeChild(canvas.firstChild);
    canvas.appendChild(note);
    figure.classList.add("is-interactive");
  }

  // No text of the chart smaller than SMALLEST_TEXT: the break labels are drawn at 10 px.
  function readable(spec) {
    (spec.layer || []).forEach(function (layer) {
      var mark = layer.mark;
      if (mark && typeof mark === "object" && mark.type === "text" &&
          (mark.fontSize || 0) < SMALLEST_TEXT) mark.fontSize = SMALLEST_TEXT;
      readable(layer);
    });
  }

  function drawChart(spec, data, series, noun, mine) {
    var known = function (v) { return v !== null; };
    // Vega cannot scale an axis without a single figure: say so instead of drawing.
    if (!data.national.share.some(known) && !series.some(function (s) { return s.share.some(known); })) {
      showInstead(series.length ? "Der er ingen tal for " + listed(series.map(function (s) {
        return s.name;
      })) + " i denne målgruppe." : "Der er ingen tal i denne målgruppe.");
      return Promise.resolve();
    }
    var rows = [];
    series.forEach(function (s) {
      data.months.forEach(function (month, i) {
        rows.push({ t: monthStart(month), series: s.name, style: s.style, share: s.share[i],
          persons: s.persons[i] });
      });
    });
    data.months.forEach(function (month, i) {
      rows.push({ t: monthStart(month), series: setup.national.name, style: setup.national.style,
        share: data.national.share[i], persons: data.national.persons[i] });
    });
    spec.datasets = { lines: rows, marks: data.marks };
    // As wide as the figure (up to WIDEST), axes included; the text keeps its size.
    var width = Math.max(240, Math.min(WIDEST, Math.floor(canvas.clientWidth)));
    spec.width = width;
    spec.height = width < 480 ? 240 : 300;
    spec.autosize = { type: "fit-x", contains: "padding" };
    readable(spec);
    var label = chartLabel(data, series, noun);
    var target = document.createElement("div");
    target.className = "chart-live";
    return window.vegaEmbed(target, spec, {
      renderer: "svg", actions: false, tooltip: { theme: "light" }
    }).then(function () {
      if (mine !== token) return;
      // One text alternative for the whole chart instead of Vega's per-mark labels.
      target.setAttribute("role", "img");
      target.setAttribute("aria-label", label);
      target.removeAttribute("aria-roledescription");
      var drawing = target.querySelector("svg");
      if (drawing) drawing.setAttribute("aria-hidden", "true");
      while (canvas.firstChild) canvas.removeChild(canvas.firstChild);
      canvas.appendChild(target);
      drawnWidth = canvas.clientWidth;
      figure.classList.add("is-interactive");
    });
  }

  function cell(tag, text, className, scope, label) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    if (scope) element.scope = scope;
    if (label) element.setAttribute("data-label", label);
    return element;
  }

  function emptyRow(columns) {
    var row = document.createElement("tr");
    var td = cell("td", "Vælg mindst én kommune.");
    td.colSpan = columns;
    row.appendChild(td);
    return row;
  }

  function rankText(data, s, latest) {
    if (s.rank !== null && data.ranked !== null) return "nr. " + s.rank + " af " + data.ranked;
    var persons = s.persons[latest];
    if (s.share[latest] !== null && persons !== null && persons < setup.few) return "Få personer";
    return MISSING;
  }

  function fillLatest(data, series, groupName) {
    var table = document.getElementById("sammenlign-seneste");
    document.getElementById("sammenlign-seneste-titel").textContent =
      groupName + ", " + monthName(data.latest);
    var body = document.createElement("tbody");
    var latest = data.months.indexOf(data.latest);
    series.forEach(function (s) {
      var row = document.createElement("tr");
      var th = cell("th", "", "", "row");
      var a = document.createElement("a");
      a.href = bySlug[s.slug].href;
      a.textContent = s.name;
      th.appendChild(a);
      row.appendChild(th);
      row.appendChild(cell("td", pct(s.share[latest]), "num", "", "Andel"));
      row.appendChild(cell("td", whole(s.persons[latest]), "num", "", "Personer"));
      row.appendChild(cell("td", rankText(data, s, latest), "num", "", "Placering"));
      body.appendChild(row);
    });
    if (!series.length) body.appendChild(emptyRow(4));
    table.replaceChild(body, table.tBodies[0]);
  }

  function fillYearly(data, series, noun) {
    var table = document.getElementById("sammenlign-aar");
    // The words of the caption in samtaletjek/pages/compare.py.
    yearlyTitle.textContent = "Andel af " + noun + ", der " + setup.got +
      ", januar hvert år og seneste måned";
    var head = document.createElement("tr");
    head.appendChild(cell("th", "Måned", "", "col"));
    series.forEach(function (s) { head.appendChild(cell("th", s.name, "num", "col")); });
    table.tHead.replaceChild(head, table.tHead.rows[0]);
    var latest = data.months.indexOf(data.latest);
    var shown = [];
    data.months.forEach(function (month, i) {
      if (month.slice(5) === "01" && i <= latest) shown.push(i);
    });
    if (latest >= 0 && shown.indexOf(latest) < 0) shown.push(latest);
    var body = document.createElement("tbody");
    shown.forEach(function (i) {
      var row = document.createElement("tr");
      row.appendChild(cell("th", monthName(data.months[i]), "", "row"));
      series.forEach(function (s) { row.appendChild(cell("td", pct(s.share[i]), "num", "", s.name)); });
      body.appendChild(row);
    });
    if (!series.length) {
      body = document.createElement("tbody");
      body.appendChild(emptyRow(1));
    }
    table.replaceChild(body, table.tBodies[0]);
  }

  // ---- the form: chips, search, suggestions -----------------------------------------------------

  function drawChips() {
    var list = document.createDocumentFragment();
    state.chosen.forEach(function (slug) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.setAttribute("data-slug", slug);
      button.setAttribute("aria-label", "Fjern " + bySlug[slug].name);
      button.appendChild(lineSample(chosenEntry(slug), 22));
      button.appendChild(document.createTextNode(bySlug[slug].name + " "));
      var x = document.createElement("span");
      x.className = "chip-x";
      x.setAttribute("aria-hidden", "true");
      x.textContent = "✕";
      button.appendChild(x);
      item.appendChild(button);
      list.appendChild(item);
    });
    while (chips.firstChild) chips.removeChild(chips.firstChild);
    chips.appendChild(list);
    chips.hidden = !state.chosen.length;
  }

  function full() {
    return state.chosen.length >= max;
  }

  function syncForm() {
    select.value = state.group;
    drawChips();
    count.textContent = chosenCount(state.chosen.length);
    hint.textContent = full()
      ? "Der er plads til " + max + " kommuner. Fjern en ovenfor for at tilføje en anden."
      : hintText;
    root.classList.toggle("compare-full", full());
  }

  function clearSuggestions() {
    while (suggestions.firstChild) suggestions.removeChild(suggestions.firstChild);
    suggestions.hidden = true;
  }

  // The municipalities the field's text may mean that are not chosen yet, best first, and what
  // to say about it.
  function candidates() {
    var query = find.value.trim();
    if (!query) return { hits: [], message: "" };
    if (full()) {
      return { hits: [], message: "Der er ikke plads til flere: fjern først en kommune." };
    }
    var all = matching(query);
    var hits = all.filter(function (p) { return state.chosen.indexOf(p.slug) < 0; });
    var message = "";
    if (!all.length) message = "Ingen kommune passer på »" + query + "«.";
    else if (!hits.length) message = listed(all.map(function (p) { return p.name; })) + " er allerede valgt.";
    return { hits: hits.slice(0, SUGGESTIONS), more: hits.length, message: message };
  }

  function suggest() {
    var found = candidates();
    clearSuggestions();
    answer.textContent = found.message;
    found.hits.forEach(function (place) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.setAttribute("data-slug", place.slug);
      button.setAttribute("aria-label", "Tilføj " + place.name);
      var plus = document.createElement("span");
      plus.setAttribute("aria-hidden", "true");
      plus.textContent = "+ ";
      button.appendChild(plus);
      button.appendChild(document.createTextNode(place.name));
      item.appendChild(button);
      suggestions.appendChild(item);
    });
    suggestions.hidden = !found.hits.length;
    if (found.hits.length && !found.message) {
      var first = found.hits[0].name;
      if (found.hits.length === 1) answer.textContent = "1 forslag: " + first + ". Enter tilføjer den.";
      else if (found.more > found.hits.length) {
        answer.textContent = "De første " + found.hits.length + " af " + found.more +
          " forslag; skriv mere for at finde andre. Enter tilføjer " + first + ".";
      } else answer.textContent = found.hits.length + " forslag. Enter tilføjer " + first + ".";
    }
  }

  function add(slug) {
    if (full() || state.chosen.indexOf(slug) >= 0) return;
    state.chosen.push(slug);
    find.value = "";
    clearSuggestions();
    answer.textContent = bySlug[slug].name + " er tilføjet.";
    update(true);
    find.focus();
  }

  function remove(slug) {
    var at = state.chosen.indexOf(slug);
    if (at < 0) return;
    state.chosen.splice(at, 1);
    answer.textContent = bySlug[slug].name + " er fjernet.";
    update(true);
    // Keep the keyboard where it was: on the next chip, the one before, or the search field.
    var buttons = chips.querySelectorAll("button.chip");
    var next = buttons[Math.min(at, buttons.length - 1)];
    (next || find).focus();
  }

  // ---- the downloads ------------------------------------------------------------------------------

  // The same comparison of another indicator: at once, as the address.
  function carryChoice() {
    switches.forEach(function (a) { a.href = a.getAttribute("data-page") + query(); });
  }

  // The file of all the group's figures: with the tables, so that what is offered is what
  // is shown.
  function offerGroup(group) {
    var download = setup.downloads[group];
    if (allFigures && download) {
      allFigures.href = download[0];
      allFigures.textContent = download[1];
    }
  }

  // The figures shown as a table: one row per chosen municipality and month, its columns
  // (their headers and order) as samtaletjek/pages/compare.py's shown_sheet says.
  var KINDS = { month: "month", persons: "count", meeting: "count", share: "share" };
  var WIDTHS = { month: 14, municipality: 18, group: 36, indicator: 24, persons: 14,
    meeting: 22, share: 10, source: 28 };

  function shownTable() {
    var sheet = setup.sheet;
    var data = shown.data;
    var rows = [];
    shown.series.forEach(function (s) {
      var figures = data.municipalities[s.slug] || {};
      data.months.forEach(function (month, i) {
        var values = {
          month: month, municipality: s.name, group: shown.groupName, indicator: sheet.indicator,
          persons: s.persons[i], meeting: figures.meeting ? figures.meeting[i] : null,
          share: s.share[i], source: data.source
        };
        rows.push(sheet.columns.map(function (c) { return values[c[0]]; }));
      });
    });
    return {
      name: "Tal",
      frozen: true,
      rows: rows,
      columns: sheet.columns.map(function (c) {
        return { header: c[1], kind: KINDS[c[0]] || "text", width: WIDTHS[c[0]] };
      })
    };
  }

  function aboutTable() {
    var data = shown.data;
    var months = data.months.length
      ? monthName(data.months[0]) + " – " + monthName(data.months[data.months.length - 1]) : "";
    var rows = [
      ["Indikator", setup.sheet.indicator],
      ["Målgruppe", shown.groupName],
      ["Kommuner", listed(shown.series.map(function (s) { return s.name; }))],
      ["Måneder", months],
      ["Side", location.href]
    ].concat(setup.sheet.about);
    return { name: "Om tallene", rows: rows,
      columns: [{ header: "", kind: "text", width: 18 }, { header: "", kind: "text", width: 90 }] };
  }

  function fileName(extension) {
    return [setup.sheet.file, state.group].concat(shown.series.map(function (s) {
      return s.slug;
    })).join("-") + "." + extension;
  }

  // The file is made when asked for, from the figures the tables show, and the link's own
  // click then downloads it. Asked for before those figures are loaded (the default
  // comparison loads nothing until the reader turns to it), it waits for them.
  var made = null;
  var canWrite = !!(window.SamtaletjekSheets && window.Blob && window.TextEncoder &&
    window.URL && URL.createObjectURL);

  // The links to the figures shown, where there are any and the browser can write them.
  function showFiles(n) {
    shownFiles.hidden = !canWrite || !n;
  }

  function offer(event, extension) {
    var target = event.currentTarget;
    var sheets = window.SamtaletjekSheets;
    if (!canWrite || (shown && shown.token === token && !shown.series.length)) {
      event.preventDefault(); // nothing shown, or no way to write it
      return;
    }
    if (!shown || shown.token !== token) {
      event.preventDefault();
      if (token === 0) update(false);
      pending.then(function () {
        if (shown && shown.token === token && shown.series.length) target.click();
      });
      return;
    }
    var blob = extension === "csv" ? sheets.csv(shownTable())
      : sheets.xlsx([shownTable(), aboutTable()]);
    if (made) URL.revokeObjectURL(made);
    made = URL.createObjectURL(blob);
    target.href = made;
    target.setAttribute("download", fileName(extension));
  }

  function update(writeAddress) {
    var mine = (token += 1);
    syncForm();
    if (writeAddress) history.replaceState(null, "", address());
    link.href = address();
    carryChoice();
    showFiles(state.chosen.length);
    var option = select.options[select.selectedIndex];
    var groupName = option.textContent.trim();
    var noun = option.getAttribute("data-noun");
    // The Vega bundle comes with the first update (samtaletjek.js loads it once): the page
    // opens without it, and the default comparison waits for the reader (below).
    pending = Promise.all([load(state.group), template(), window.Samtaletjek.vega()])
      .then(function (loadedData) {
        if (mine !== token) return null;
        var data = loadedData[0];
        var series = seriesOf(data);
        var names = series.map(function (s) { return s.name; });
        document.getElementById("sammenlign-gruppenavn").textContent = groupName;
        drawLegend(data);
        fillLatest(data, series, groupName);
        fillYearly(data, series, noun);
        offerGroup(data.group);
        breakNote.textContent = data.break_note || "";
        breakNote.hidden = !data.break_note;
        shown = { data: data, series: series, groupName: groupName, token: mine };
        showFiles(series.length);
        status.textContent = series.length
          ? "Viser " + listed(names) + " for " + noun + "."
          : "Vælg mindst én kommune for at se tallene.";
        return drawChart(loadedData[1], data, series, noun, mine);
      })
      .catch(function () {
        if (mine === token) status.textContent = "Tallene kunne ikke hentes. Prøv at genindlæse siden.";
      });
  }

  // A phone turned on its side, a window made wider: draw the chart again at the new width
  // (the figures are loaded already).
  function redraw() {
    if (drawnWidth && Math.abs(canvas.clientWidth - drawnWidth) >= 40) update(false);
  }

  select.addEventListener("change", function () {
    state.group = select.value;
    update(true);
  });

  chips.addEventListener("click", function (event) {
    var button = event.target.closest("button.chip");
    if (button) remove(button.getAttribute("data-slug"));
  });

  suggestions.addEventListener("click", function (event) {
    var button = event.target.closest("button.suggestion");
    if (button) add(button.getAttribute("data-slug"));
  });

  find.addEventListener("input", suggest);

  find.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var found = candidates();
      if (found.hits.length) add(found.hits[0].slug);
      else answer.textContent = found.message;
    } else if (event.key === "ArrowDown") {
      var first = suggestions.querySelector("button");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Escape" && find.value) {
      event.preventDefault();
      find.value = "";
      answer.textContent = "";
      clearSuggestions();
    }
  });

  // Arrow keys move between the suggestions; Escape goes back to the field.
  suggestions.addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(suggestions.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? find : buttons[Math.min(next, buttons.length - 1)]).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      find.focus();
    }
  });

  document.getElementById("sammenlign-nulstil").addEventListener("click", function () {
    state.chosen = defaults.slice();
    find.value = "";
    clearSuggestions();
    answer.textContent = "";
    update(true);
  });

  form.addEventListener("submit", function (event) { event.preventDefault(); });

  document.getElementById("sammenlign-hent-csv").addEventListener("click", function (event) {
    offer(event, "csv");
  });
  document.getElementById("sammenlign-hent-xlsx").addEventListener("click", function (event) {
    offer(event, "xlsx");
  });

  var resizing = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(redraw, 200);
  });

  form.hidden = false;
  showFiles(state.chosen.length);
  root.classList.add("compare-live");
  var intro = document.getElementById("sammenlign-standard");
  if (intro) intro.hidden = true;
  if (location.search) {
    update(true);
  } else {
    // The page already shows the default comparison, drawn at build time: the live chart
    // (with tooltips) waits until the reader points at it or changes the choice, so that
    // loading the page stays light.
    syncForm();
    var woken = false;
    var wake = function () {
      if (woken) return;
      woken = true;
      if (token === 0) update(false);
    };
    ["pointerenter", "focusin", "touchstart"].forEach(function (name) {
      figure.addEventListener(name, wake, { once: true, passive: true });
    });
  }
})();
