// Samtaletjek: progressive enhancement only. Without this file every chart is an inline SVG
// and every table is complete; with it, charts get tooltips and tables get a filter and sorting.
(function () {
  "use strict";

  var DA_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] };
  var DA_TIME = {
    dateTime: "%A den %d. %B %Y %X", date: "%d.%m.%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
    days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
      "oktober", "november", "december"],
    shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
  };

  // The Vega bundle is most of what a page with charts would download (about 300 KB gzip):
  // it is fetched only when a chart comes near the screen or the reader reaches for one. Its
  // address is on this script's tag (data-vega), so every page finds it under its base URL.
  var BUNDLE = document.currentScript && document.currentScript.getAttribute("data-vega");
  var bundle = null;

  // vega-embed, loaded once: a promise of the `vegaEmbed` function.
  function vega() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve(window.vegaEmbed);
    if (bundle) return bundle;
    bundle = new Promise(function (resolve, reject) {
      if (!BUNDLE) throw new Error("no data-vega");
      var script = document.createElement("script");
      script.src = BUNDLE;
      script.onload = function () {
        if (typeof window.vegaEmbed === "function") resolve(window.vegaEmbed);
        else reject(new Error("no vegaEmbed in " + BUNDLE));
      };
      script.onerror = function () {
        bundle = null;  // a later chart may try again (the network came back)
        script.parentNode.removeChild(script);
        reject(new Error("could not load " + BUNDLE));
      };
      document.head.appendChild(script);
    });
    return bundle;
  }

  // Drawing a chart with Vega is heavy work on a phone, so a chart is drawn only when it comes
  // near the screen, or when the reader points at it or tabs into it (a browser without
  // IntersectionObserver); until then its static SVG, which looks the same, stands in.
  function upgradeCharts() {
    if (!window.fetch || !window.Promise) return;
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart[data-spec]"));
    var started = [];
    function start(figure) {
      if (started.indexOf(figure) !== -1) return;
      started.push(figure);
      upgradeChart(figure);
    }
    figures.forEach(function (figure) {
      ["pointerenter", "focusin", "touchstart"].forEach(function (name) {
        figure.addEventListener(name, function () { start(figure); }, { once: true, passive: true });
      });
    });
    if (!("IntersectionObserver" in window)) return;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        start(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    figures.forEach(function (figure) { observer.observe(figure); });
  }

  function getJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.json();
    });
  }

  function upgradeChart(figure) {
    var canvas = figure.querySelector(".chart-canvas");
    var staticSvg = canvas && canvas.querySelector("svg");
    if (!staticSvg) return;
    var label = staticSvg.getAttribute("aria-label") || "";
    // A chart with `data-values` shares its spec with others and brings its own data, which
    // go into the spec's named datasets (as charts.specs.fill does at build time).
    var values = figure.getAttribute("data-values");
    var spec = getJson(figure.getAttribute("data-spec"));
    Promise.all([spec, values ? getJson(values) : null, vega()])
      .then(function (loaded) {
        var spec = loaded[0];
        if (loaded[1]) spec.datasets = loaded[1];
        return spec;
      })
      .then(function (spec) {
        var panels = canvas.querySelectorAll(".chart-panel[data-panel]");
        if (panels.length) {
          // Small multiples: each panel of the grid draws its own rows, as wide as its cell;
          // the grid keeps the chart's one text alternative.
          return Promise.all(Array.prototype.map.call(panels, function (panel) {
            return upgradePanel(panel, spec);
          })).then(function () { figure.classList.add("is-interactive"); });
        }
        var target = document.createElement("div");
        target.className = "chart-live";
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", label);
        return embed(target, fitted(spec, canvas.clientWidth)).then(function (result) {
          // Vega labels its container "Vega visualization" and gives every mark group an
          // ARIA role: put the chart's own text alternative back and hide the drawing.
          target.setAttribute("role", "img");
          target.setAttribute("aria-label", label);
          target.removeAttribute("aria-roledescription");
          var drawing = target.querySelector("svg");
          if (drawing) drawing.setAttribute("aria-hidden", "true");
          // A chart drawn for each screen width gives way to one drawn for this screen.
          canvas.textContent = "";
          canvas.appendChild(target);
          figure.classList.add("is-interactive");
          // A page's own script may build on the drawn chart (kort.js: a municipality's card).
          figure.dispatchEvent(new CustomEvent("chart-drawn", { detail: result.view }));
        });
      })
      .catch(function () { /* the static SVG stays: nothing is lost */ });
  }

  function upgradePanel(panel, spec) {
    var own = Number(panel.getAttribute("data-panel"));
    var staticSvg = panel.querySelector("svg");
    var datasets = {};
    Object.keys(spec.datasets || {}).forEach(function (name) {
      datasets[name] = spec.datasets[name].filter(function (row) { return row.pi === own; });
    });
    var target = document.createElement("div");
    target.className = "chart-live";
    target.setAttribute("aria-hidden", "true");
    var mine = Object.assign({}, spec, { datasets: datasets });
    var drawn = fitted(mine, panel.clientWidth);
    // As tall for its width as the static picture it replaces, so nothing below it moves.
    if (drawn !== mine && typeof spec.height === "number") {
      drawn.height = Math.round(spec.height * drawn.width / spec.width);
    }
    return embed(target, drawn).then(function () {
      target.removeAttribute("role");
      target.removeAttribute("aria-roledescription");
      target.removeAttribute("aria-label");
      panel.replaceChild(target, staticSvg);
    });
  }

  // A spec that fits its width (autosize "fit-x": axes and labels included) is drawn as wide
  // as the room it has on this screen.
  function fitted(spec, width) {
    if (!spec.autosize || spec.autosize.type !== "fit-x" || !(width > 0)) return spec;
    return Object.assign({}, spec, { width: Math.floor(width) });
  }

  function embed(target, spec) {
    return window.vegaEmbed(target, spec, {
      renderer: "svg", actions: false, formatLocale: DA_FORMAT, timeFormatLocale: DA_TIME,
      tooltip: { theme: "light" }
    });
  }

  function fold(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "");
  }

  // A table's filters: a name box and, where its rows say what they hold (data-figures:
  // "indicator:group" ids), a <select> per part of those ids (data-part: 0 the measure, 1 the
  // target group). A row shows when its name matches and one of its figures has every part
  // chosen, so a group and a measure together find that group in that measure.
  function enhanceFilter(tools) {
    var table = document.getElementById(tools.getAttribute("data-for"));
    if (!table) return;
    var input = tools.querySelector("input");
    var choices = Array.prototype.slice.call(tools.querySelectorAll("select[data-part]"));
    var status = tools.querySelector(".filter-status");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    tools.hidden = false;

    function holds(row, chosen) {
      if (!chosen.length) return true;
      return (row.getAttribute("data-figures") || "").split(" ").some(function (figure) {
        var parts = figure.split(":");
        return chosen.every(function (select) {
          return parts[Number(select.getAttribute("data-part"))] === select.value;
        });
      });
    }

    function apply() {
      var wanted = fold(input.value);
      var chosen = choices.filter(function (select) { return select.value; });
      var shown = 0;
      rows.forEach(function (row) {
        var name = row.querySelector("th[scope=row]").getAttribute("data-value") || "";
        var match = (!wanted || fold(name).indexOf(wanted) !== -1) && holds(row, chosen);
        row.hidden = !match;
        if (match) shown += 1;
      });
      var filtered = wanted || chosen.length;
      status.textContent = filtered ? "Viser " + shown + " af " + rows.length + " kommuner" : "";
    }

    input.addEventListener("input", apply);
    choices.forEach(function (select) { select.addEventListener("change", apply); });
    // A browser going back to the page may restore the choices: the rows follow them at once.
    if (input.value || choices.some(function (select) { return select.value; })) apply();
  }

  // A link to a row of the list (overvaagning/#kommune-varde) opens its reasons.
  function openTargetRow() {
    var id = window.location.hash.slice(1);  // the rows' ids are ASCII slugs: "kommune-varde"
    var row = id && document.getElementById(id);
    var details = row && row.matches("tr") && row.querySelector("details");
    if (details) details.open = true;
  }

  function enhanceSorting(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      // A link in the header (the † note marker) cannot sit inside a button: it stays after it.
      Array.prototype.slice.call(th.childNodes).forEach(function (node) {
        if (!(node.nodeType === 1 && (node.matches("a") || node.querySelector("a")))) {
          button.appendChild(node);
        }
      });
      th.insertBefore(button, th.firstChild);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table, column, kind, ascending);
      });
    });
  }

  function sortRows(table, column, kind, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute("data-value") || "";
      var y = b.cells[column].getAttribute("data-value") || "";
      // Missing values sort last in both directions: they are not zero.
      if (x === "" || y === "") return (x === "") - (y === "");
      var order = kind === "number" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "da");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  // ---- finding a municipality ------------------------------------------------------------------
  // Names are compared in one spelling-forgiving form: case, accents and spacing gone, and æ/ae,
  // ø/oe/o, å/aa/a made one, so "Kobenhavn", "hoeje taastrup" and "Århus" find their page.
  function forgiving(text) {
    return fold(text).replace(/aa/g, "a").replace(/oe/g, "o").replace(/ae/g, "a");
  }

  function distance(a, b) {
    var row = [];
    for (var j = 0; j <= b.length; j += 1) row.push(j);
    for (var i = 1; i <= a.length; i += 1) {
      var previous = row[0];
      row[0] = i;
      for (var k = 1; k <= b.length; k += 1) {
        var current = row[k];
        row[k] = Math.min(row[k] + 1, row[k - 1] + 1, previous + (a[i - 1] === b[k - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  }

  var places = null;
  function municipalities() {
    if (places) return places;
    places = Array.prototype.map.call(document.querySelectorAll("#kommune-navne option"), function (o) {
      var keys = [o.value].concat((o.getAttribute("data-aliases") || "").split("|").filter(Boolean));
      return { name: o.value, href: o.getAttribute("data-href"), keys: keys.map(forgiving) };
    });
    return places;
  }

  // The municipalities a query means, best first: the same name, then names that begin or
  // contain it, then a near spelling (at most two letters off).
  function matches(query) {
    var wanted = forgiving(query);
    if (!wanted) return [];
    var all = municipalities();
    var tiers = [
      function (key) { return key === wanted; },
      function (key) { return key.indexOf(wanted) === 0; },
      function (key) { return key.indexOf(wanted) !== -1; },
      function (key) { return wanted.length >= 4 && distance(key, wanted) <= 2; }
    ];
    for (var t = 0; t < tiers.length; t += 1) {
      var hits = all.filter(function (place) { return place.keys.some(tiers[t]); });
      if (hits.length) return hits;
    }
    return [];
  }

  // A search form: a query that means one municipality goes straight to its page; anything
  // else goes to the list of all municipalities (which works without JavaScript too).
  function enhanceSearch(form) {
    var input = form.querySelector("input[type=search]");
    form.addEventListener("submit", function (event) {
      var hits = matches(input.value);
      if (hits.length === 1) {
        event.preventDefault();
        window.location.href = hits[0].href;
      }
    });
  }

  function filterMunicipalityList() {
    var lists = document.querySelectorAll("ul[data-searchable]");
    var query = new URLSearchParams(window.location.search).get("q");
    if (!lists.length || !query) return;
    var hits = matches(query);
    if (hits.length === 1) {
      window.location.replace(hits[0].href);
      return;
    }
    var wanted = {};
    hits.forEach(function (place) { wanted[place.name] = true; });
    lists.forEach(function (list) {
      var visible = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var match = Boolean(wanted[item.textContent.trim()]);
        item.hidden = !match;
        if (match) visible += 1;
      });
      list.closest("section").hidden = visible === 0;
    });
    var status = document.getElementById("soegning-status");
    if (status) {
      status.textContent = hits.length
        ? hits.length + " kommuner passer på »" + query + "«."
        : "Ingen kommune passer på »" + query + "«. Her er alle 98.";
    }
    if (!hits.length) lists.forEach(function (list) {
      list.closest("section").hidden = false;
      list.querySelectorAll("li").forEach(function (item) { item.hidden = false; });
    });
    document.querySelectorAll("form.site-search input[type=search]").forEach(function (input) {
      input.value = query;
    });
  }

  // On a wide screen the header's search and menu are open; where the browser cannot show a
  // closed <details>' content by CSS (::details-content), open them.
  function openHeader() {
    if (CSS.supports && CSS.supports("selector(::details-content)")) return;
    if (!window.matchMedia("(min-width: 52rem)").matches) return;
    document.querySelectorAll("details.header-part").forEach(function (d) { d.open = true; });
  }

  function start() {
    openHeader();
    document.querySelectorAll("form.site-search, form.find-big").forEach(enhanceSearch);
    filterMunicipalityList();
    document.querySelectorAll(".table-tools[data-for]").forEach(enhanceFilter);
    document.querySelectorAll("table.sortable").forEach(enhanceSorting);
    openTargetRow();
    window.addEventListener("hashchange", openTargetRow);
    upgradeCharts();
  }

  // Deferred scripts run before DOMContentLoaded: waiting for it lets a page's own script
  // (kort.js, compare.js), which comes after this file, listen before the charts are upgraded.
  if (document.readyState === "complete") start();
  else document.addEventListener("DOMContentLoaded", start);

  // For the comparison page (compare.js): the same spelling-forgiving search of municipalities;
  // for the pages' own scripts (compare.js, kort.js): the Vega bundle, loaded when needed.
  window.Samtaletjek = { forgiving: forgiving, matches: matches, vega: vega };
})();
