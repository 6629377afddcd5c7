// Samtaletjek: the comparison page (sammenlign/). Progressive enhancement only: without this
// file the page shows the default comparison drawn at build time.
//
// The choice lives in the address, ?k=koebenhavn,aarhus&g=dagpenge (k: up to five municipality
// slugs, g: a target group id), so a comparison can be shared as a link. Figures come from
// sammenlign/<g>.json: the months, and per slug the share and persons aligned to them (null
// where missing) and the rank in the latest month. The chart is the page's own spec with its
// data replaced.
(function () {
  "use strict";

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december"];
  var MISSING = "–";

  var root = document.getElementById("sammenlign");
  var form = document.getElementById("sammenlign-valg");
  if (!root || !form || !window.fetch || !window.URLSearchParams || !window.history ||
      !history.replaceState || typeof window.vegaEmbed !== "function") return;

  var max = Number(root.getAttribute("data-max")) || 5;
  var pageGroup = root.getAttribute("data-group");
  var defaults = root.getAttribute("data-default").split(",");
  var dataDir = root.getAttribute("data-data");
  var ruleChange = root.getAttribute("data-rule-change");
  var select = document.getElementById("sammenlign-gruppe");
  var find = document.getElementById("sammenlign-find");
  var count = document.getElementById("sammenlign-antal");
  var status = document.getElementById("sammenlign-status");
  var link = document.getElementById("sammenlign-link");
  var figure = root.querySelector("figure.compare-chart");
  var canvas = figure.querySelector(".chart-canvas");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=k]"));
  var bySlug = {};
  var names = {};
  boxes.forEach(function (box) {
    bySlug[box.value] = box;
    names[box.value] = form.querySelector("label[for='" + box.id + "']").textContent.trim();
  });
  var groups = Array.prototype.map.call(select.options, function (o) { return o.value; });

  var state = fromAddress();
  var token = 0; // only the newest update may draw
  var loaded = {};
  var templateText = null;

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

  function address() {
    return location.pathname + "?k=" + state.chosen.join(",") + "&g=" +
      encodeURIComponent(state.group) + location.hash;
  }

  // ---- formatting, Danish and independent of the browser's locale -----------------------------

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

  function fold(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "");
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

  // ---- drawing ----------------------------------------------------------------------------------

  function seriesOf(data) {
    var none = data.months.map(function () { return null; });
    return state.chosen.map(function (slug) {
      var figures = data.municipalities[slug] || {};
      return {
        slug: slug,
        name: names[slug],
        share: figures.share || none,
        persons: figures.persons || none,
        rank: figures.rank === undefined ? null : figures.rank
      };
    });
  }

  function trendPhrase(series, months, latest) {
    var known = [];
    for (var i = 0; i <= latest; i += 1) if (series.share[i] !== null) known.push(i);
    if (!known.length) return series.name + ": ingen tal";
    var first = known[0];
    var last = known[known.length - 1];
    if (first === last) return series.name + " " + pct(series.share[last]) + " i " + monthName(months[last]);
    return series.name + " fra " + pct(series.share[first]) + " i " + monthName(months[first]) +
      " til " + pct(series.share[last]) + " i " + monthName(months[last]);
  }

  function showInstead(message) {
    var note = document.createElement("p");
    note.className = "chart-empty";
    note.textContent = message;
    while (canvas.firstChild) canvas.removeChild(canvas.firstChild);
    canvas.appendChild(note);
    figure.classList.add("is-interactive");
  }

  function drawChart(spec, data, series, noun, mine) {
    // Vega cannot scale an axis without a single figure: say so instead of drawing.
    var figures = series.some(function (s) {
      return s.share.some(function (v) { return v !== null; });
    });
    if (!figures) {
      showInstead(series.length ? "Der er ingen tal for " + listed(series.map(function (s) {
        return s.name;
      })) + " i denne målgruppe." : "Vælg mindst én kommune for at se diagrammet.");
      return Promise.resolve();
    }
    var rows = [];
    series.forEach(function (s, order) {
      data.months.forEach(function (month, i) {
        rows.push({ t: monthStart(month), series: s.name, order: order, share: s.share[i],
          persons: s.persons[i] });
      });
    });
    spec.datasets = { lines: rows };
    var latest = data.months.indexOf(data.latest);
    var label = series.length
      ? "Andel af " + noun + ", der fik de krævede samtaler: " + series.map(function (s) {
        return trendPhrase(s, data.months, latest);
      }).join("; ") + ". Kravene blev ændret i " + ruleChange + "."
      : "Ingen kommuner valgt.";
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
      figure.classList.add("is-interactive");
    });
  }

  function cell(tag, text, className, scope) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    if (scope) element.scope = scope;
    return element;
  }

  function emptyRow(columns) {
    var row = document.createElement("tr");
    var td = cell("td", "Vælg mindst én kommune.");
    td.colSpan = columns;
    row.appendChild(td);
    return row;
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
      a.href = bySlug[s.slug].getAttribute("data-href");
      a.textContent = s.name;
      th.appendChild(a);
      row.appendChild(th);
      row.appendChild(cell("td", pct(s.share[latest]), "num"));
      row.appendChild(cell("td", whole(s.persons[latest]), "num"));
      row.appendChild(cell("td", s.rank === null || data.ranked === null ? MISSING
        : "nr. " + s.rank + " af " + data.ranked, "num"));
      body.appendChild(row);
    });
    if (!series.length) body.appendChild(emptyRow(4));
    table.replaceChild(body, table.tBodies[0]);
  }

  function fillYearly(data, series) {
    var table = document.getElementById("sammenlign-aar");
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
      series.forEach(function (s) { row.appendChild(cell("td", pct(s.share[i]), "num")); });
      body.appendChild(row);
    });
    if (!series.length) {
      body = document.createElement("tbody");
      body.appendChild(emptyRow(1));
    }
    table.replaceChild(body, table.tBodies[0]);
  }

  // ---- the form ---------------------------------------------------------------------------------

  function syncForm() {
    select.value = state.group;
    boxes.forEach(function (box) { box.checked = state.chosen.indexOf(box.value) >= 0; });
    var full = state.chosen.length >= max;
    boxes.forEach(function (box) { box.disabled = full && !box.checked; });
    var chosen = state.chosen.map(function (slug) { return names[slug]; });
    count.textContent = state.chosen.length + " af " + max + " valgt" +
      (chosen.length ? ": " + listed(chosen) : "") +
      (full ? ". Fjern en kommune for at vælge en anden." : ".");
  }

  function update(writeAddress) {
    var mine = (token += 1);
    syncForm();
    if (writeAddress) history.replaceState(null, "", address());
    link.href = address();
    var option = select.options[select.selectedIndex];
    var groupName = option.textContent.trim();
    var noun = option.getAttribute("data-noun");
    Promise.all([load(state.group), template()])
      .then(function (loadedData) {
        if (mine !== token) return null;
        var data = loadedData[0];
        var series = seriesOf(data);
        document.getElementById("sammenlign-gruppenavn").textContent = groupName;
        document.getElementById("sammenlign-valgte").textContent =
          listed(series.map(function (s) { return s.name; })) || "Ingen kommuner valgt";
        fillLatest(data, series, groupName);
        fillYearly(data, series);
        status.textContent = series.length
          ? "Viser " + listed(series.map(function (s) { return s.name; })) + " for " + noun + "."
          : "Vælg mindst én kommune for at se tallene.";
        return drawChart(loadedData[1], data, series, noun, mine);
      })
      .catch(function () {
        if (mine === token) status.textContent = "Tallene kunne ikke hentes. Prøv at genindlæse siden.";
      });
  }

  select.addEventListener("change", function () {
    state.group = select.value;
    update(true);
  });

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var at = state.chosen.indexOf(box.value);
      if (box.checked && at < 0 && state.chosen.length < max) state.chosen.push(box.value);
      if (!box.checked && at >= 0) state.chosen.splice(at, 1);
      update(true);
    });
  });

  find.addEventListener("input", function () {
    var wanted = fold(find.value);
    boxes.forEach(function (box) {
      box.parentNode.hidden = Boolean(wanted) && fold(names[box.value]).indexOf(wanted) === -1;
    });
  });

  document.getElementById("sammenlign-nulstil").addEventListener("click", function () {
    state.chosen = defaults.slice();
    update(true);
  });

  form.addEventListener("submit", function (event) { event.preventDefault(); });

  form.hidden = false;
  var intro = document.getElementById("sammenlign-standard");
  if (intro) intro.hidden = true;
  update(Boolean(location.search));
})();
