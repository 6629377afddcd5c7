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

  function upgradeCharts() {
    if (typeof window.vegaEmbed !== "function" || !window.fetch) return;
    document.querySelectorAll("figure.chart[data-spec]").forEach(function (figure) {
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
            canvas.replaceChild(target, staticSvg);
            figure.classList.add("is-interactive");
          });
        })
        .catch(function () { /* the static SVG stays: nothing is lost */ });
    });
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
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
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

  function start() {
    document.querySelectorAll(".table-tools[data-for]").forEach(enhanceFilter);
    document.querySelectorAll("table.sortable").forEach(enhanceSorting);
    upgradeCharts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
