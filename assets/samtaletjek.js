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

  // Drawing a chart with Vega is heavy work on a phone, so a chart is drawn only when it comes
  // near the screen; until then its static SVG, which looks the same, stands in.
  function upgradeCharts() {
    if (typeof window.vegaEmbed !== "function" || !window.fetch) return;
    var figures = document.querySelectorAll("figure.chart[data-spec]");
    if (!("IntersectionObserver" in window)) {
      figures.forEach(upgradeChart);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        upgradeChart(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    figures.forEach(function (figure) { observer.observe(figure); });
  }

  function upgradeChart(figure) {
    var canvas = figure.querySelector(".chart-canvas");
    var staticSvg = canvas && canvas.querySelector("svg");
    if (!staticSvg) return;
    var label = staticSvg.getAttribute("aria-label") || "";
    fetch(figure.getAttribute("data-spec"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.json();
      })
      .then(function (spec) {
        var target = document.createElement("div");
        target.className = "chart-live";
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", label);
        return window.vegaEmbed(target, spec, {
          renderer: "svg", actions: false, formatLocale: DA_FORMAT, timeFormatLocale: DA_TIME,
          tooltip: { theme: "light" }
        }).then(function () {
          // Vega labels its container "Vega visualization" and gives every mark group an
          // ARIA role: put the chart's own text alternative back and hide the drawing.
          target.setAttribute("role", "img");
          target.setAttribute("aria-label", label);
          target.removeAttribute("aria-roledescription");
          var drawing = target.querySelector("svg");
          if (drawing) drawing.setAttribute("aria-hidden", "true");
          canvas.replaceChild(target, staticSvg);
          figure.classList.add("is-interactive");
        });
      })
      .catch(function () { /* the static SVG stays: nothing is lost */ });
  }

  function fold(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "");
  }

  function enhanceFilter(tools) {
    var table = document.getElementById(tools.getAttribute("data-for"));
    if (!table) return;
    var input = tools.querySelector("input");
    var status = tools.querySelector(".filter-status");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    tools.hidden = false;
    input.addEventListener("input", function () {
      var wanted = fold(input.value);
      var shown = 0;
      rows.forEach(function (row) {
        var name = row.querySelector("th[scope=row]").getAttribute("data-value") || "";
        var match = !wanted || fold(name).indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = wanted ? shown + " af " + rows.length + " kommuner vises" : "";
    });
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

  // The search field in the header: a name that matches one municipality goes straight to its
  // page; anything else goes to the list of all municipalities, filtered by what was typed.
  function enhanceSearch(form) {
    var input = form.querySelector("input[list]");
    var options = Array.prototype.slice.call(document.querySelectorAll("#" + input.getAttribute("list") + " option"));
    form.addEventListener("submit", function (event) {
      var wanted = fold(input.value);
      if (!wanted) return;
      var exact = options.filter(function (o) { return fold(o.value) === wanted; });
      var partial = options.filter(function (o) { return fold(o.value).indexOf(wanted) !== -1; });
      var hit = exact.length === 1 ? exact[0] : (partial.length === 1 ? partial[0] : null);
      if (hit) {
        event.preventDefault();
        window.location.href = hit.getAttribute("data-href");
      }
    });
  }

  function filterMunicipalityList() {
    var lists = document.querySelectorAll("ul[data-searchable]");
    var query = new URLSearchParams(window.location.search).get("q");
    if (!lists.length || !query) return;
    var wanted = fold(query);
    var shown = 0;
    lists.forEach(function (list) {
      var visible = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var match = fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) { visible += 1; shown += 1; }
      });
      list.closest("section").hidden = visible === 0;
    });
    var status = document.getElementById("soegning-status");
    if (status) status.textContent = shown + " kommuner passer på »" + query + "«.";
    var input = document.getElementById("find-kommune");
    if (input) input.value = query;
  }

  function start() {
    document.querySelectorAll("form.site-search").forEach(enhanceSearch);
    filterMunicipalityList();
    document.querySelectorAll(".table-tools[data-for]").forEach(enhanceFilter);
    document.querySelectorAll("table.sortable").forEach(enhanceSorting);
    upgradeCharts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
