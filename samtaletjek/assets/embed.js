// Samtaletjek embeds, progressive enhancement only:
// - on an embed page (embed/<kommune>/<målgruppe>/), draw the chart from the shared template
//   spec and the figures inlined in the page; without this the figures and the table are there;
// - on a municipality page, add a copy button to the citation and to each iframe snippet.
(function () {
  "use strict";

  var LOWEST = 120, HIGHEST = 420; // px of plot: readable on a phone, not a poster

  // Give the plot the height the iframe leaves below and above it, so the page ends at the
  // iframe's bottom edge: measured after the first drawing, then drawn once more.
  function fitHeight(view) {
    var footer = document.querySelector(".embed-source");
    if (!footer) return Promise.resolve();
    var gap = window.innerHeight - footer.getBoundingClientRect().bottom - 8;
    var height = Math.max(LOWEST, Math.min(HIGHEST, Math.round(view.height() + gap)));
    return height === view.height() ? Promise.resolve() : view.height(height).runAsync();
  }

  // The i-th month from `start` ("2017-01"), as the chart's time: the page gives each series
  // as arrays from its first month, not the months themselves.
  function monthStart(start, i) {
    return Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + i, 1);
  }

  function drawChart(figure, source) {
    if (typeof window.vegaEmbed !== "function" || !window.fetch) return;
    var data = JSON.parse(source.textContent);
    var figures = data.series.some(function (series) {
      return series.share.some(function (v) { return v !== null; });
    });
    if (!figures) return; // nothing to draw; the page says there are no figures
    var rows = [];
    data.series.forEach(function (series) {
      series.share.forEach(function (share, i) {
        rows.push({
          t: monthStart(data.start, i), series: series.name, style: series.style,
          share: share, persons: series.persons[i]
        });
      });
    });
    var sentence = document.getElementById("embed-tekst");
    fetch(figure.getAttribute("data-template"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.json();
      })
      .then(function (spec) {
        spec.datasets.lines = rows; // the breaks and threshold (`marks`) come with the spec
        var canvas = figure.querySelector(".chart-canvas");
        figure.hidden = false;
        // The chart takes the iframe's width and the height the rest of the page leaves, so
        // one suggested iframe height fits a phone and a laptop without a scroll bar or a
        // band of white. (The table closes: the chart now shows the series.)
        var table = document.querySelector("details.embed-table");
        if (table) table.open = false;
        spec.width = "container";
        return window.vegaEmbed(canvas, spec, {
          renderer: "svg", actions: false, tooltip: { theme: "light" }
        }).then(function (result) {
          return fitHeight(result.view);
        }).then(function () {
          figure.classList.add("is-drawn");
          // One text alternative for the whole chart instead of Vega's per-mark labels.
          canvas.setAttribute("role", "img");
          canvas.setAttribute("aria-label", sentence ? sentence.textContent : "");
          canvas.removeAttribute("aria-roledescription");
          var drawing = canvas.querySelector("svg");
          if (drawing) drawing.setAttribute("aria-hidden", "true");
        });
      })
      .catch(function () { figure.hidden = true; /* the table stays: nothing is lost */ });
  }

  function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value || field.textContent);
    }
    // http:// (a local preview) has no clipboard API: copy the selection instead.
    var range = document.createRange();
    if (field.select) field.select();
    else {
      range.selectNodeContents(field);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function addCopyButton(field, label, done, status) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label;
    button.addEventListener("click", function () {
      status.textContent = "";
      copyText(field).then(
        function () { status.textContent = done; },
        function () { status.textContent = "Kunne ikke kopiere. Markér teksten, og kopiér den selv."; }
      );
    });
    field.parentNode.insertBefore(button, field.nextSibling);
  }

  function addCopyButtons(section) {
    var status = section.querySelector(".copy-status");
    var citation = section.querySelector(".citation");
    if (citation) {
      addCopyButton(citation, "Kopiér kildeangivelsen", "Kildeangivelsen er kopieret.", status);
    }
    section.querySelectorAll("details.embed-snippet").forEach(function (details) {
      var field = details.querySelector("textarea.embed-code");
      var group = details.querySelector("summary").textContent.trim();
      if (field) addCopyButton(field, "Kopiér koden", "Koden til " + group + " er kopieret.", status);
    });
  }

  function start() {
    var figure = document.querySelector("figure.embed-chart[data-template]");
    var source = document.getElementById("embed-data");
    if (figure && source) drawChart(figure, source);
    var section = document.querySelector("section.use-figures");
    if (section) addCopyButtons(section);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
