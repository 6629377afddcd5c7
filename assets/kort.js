// Samtaletjek: the map's month slider. Progressive enhancement only: without this file the map
// of the latest month is an inline SVG and the table under it holds every figure.
(function () {
  "use strict";

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december"];
  var DA_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] };

  function monthLabel(period) {
    return MONTHS[parseInt(period.slice(5, 7), 10) - 1] + " " + period.slice(0, 4);
  }

  function pct(value) {
    return value === null || value === undefined ? "–" : value.toFixed(1).replace(".", ",") + " %";
  }

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.json();
    });
  }

  // The same sentence as the page's summary (maps.summary_sentence), for another month.
  function sentence(data, i) {
    var low = null, high = null, known = 0;
    data.kommuner.forEach(function (k) {
      var v = k.andele[i];
      if (v === null) return;
      known += 1;
      if (low === null || v < low.v) low = { v: v, name: k.navn };
      if (high === null || v > high.v) high = { v: v, name: k.navn };
    });
    var when = data.labels[i];
    if (!known) return "Der er ingen tal for " + data.noun + " i " + when + ".";
    var spread;
    if (known === 1) {
      spread = "var andelen af " + data.noun + ", der " + data.got + ", " + pct(low.v) + " i " +
        low.name;
    } else if (low.v === high.v) {
      spread = "var andelen af " + data.noun + ", der " + data.got + ", " + pct(low.v) +
        " i alle kommuner med tal";
    } else {
      spread = "lå andelen af " + data.noun + ", der " + data.got + ", mellem " +
        pct(low.v) + " i " + low.name + " og " + pct(high.v) + " i " + high.name;
    }
    var counted = "I " + when + " " + spread + ". " + known + " af " + data.kommuner.length +
      " kommuner har tal";
    return counted + (data.counts[i] ? "; " + data.counts[i] : "") + ".";
  }

  function enhance(controls) {
    var figure = document.getElementById(controls.getAttribute("data-for"));
    if (!figure || typeof window.vegaEmbed !== "function" || !window.fetch) return;
    var months = controls.getAttribute("data-months").split(" ");
    var input = controls.querySelector("input");
    var output = controls.querySelector("output");
    var summary = document.getElementById(figure.id + "-resume");
    var rule = document.getElementById(figure.id + "-graense");
    var title = figure.querySelector(".chart-title");
    var table = figure.querySelector(".chart-table table");
    var data = null, spec = null, pending = null, busy = false;

    function load() {
      if (data) return Promise.resolve();
      return Promise.all([
        getJSON(controls.getAttribute("data-values")),
        getJSON(figure.getAttribute("data-spec"))
      ]).then(function (loaded) { data = loaded[0]; spec = loaded[1]; });
    }

    function draw(i) {
      var byCode = {};
      data.kommuner.forEach(function (k) { byCode[k.kode] = k.andele[i]; });
      // The legend's title names the threshold in force, which may differ between months.
      var specText = JSON.stringify(spec).split(JSON.stringify(data.legend_titles[data.legend_titles.length - 1]))
        .join(JSON.stringify(data.legend_titles[i]));
      var monthSpec = JSON.parse(specText);
      monthSpec.datasets.andele = spec.datasets.andele.map(function (row) {
        var share = byCode[row.kode];
        return { kode: row.kode, href: row.href, share: share === undefined ? null : share };
      });
      var text = sentence(data, i);
      var target = document.createElement("div");
      target.className = "chart-live";
      return window.vegaEmbed(target, monthSpec, {
        renderer: "svg", actions: false, formatLocale: DA_FORMAT, tooltip: { theme: "light" }
      }).then(function () {
        // As in samtaletjek.js: the chart's own text alternative, the drawing hidden.
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", text);
        target.removeAttribute("aria-roledescription");
        var drawing = target.querySelector("svg");
        if (drawing) drawing.setAttribute("aria-hidden", "true");
        var canvas = figure.querySelector(".chart-canvas");
        while (canvas.firstChild) canvas.removeChild(canvas.firstChild);
        canvas.appendChild(target);
        figure.classList.add("is-interactive");
        if (title) title.textContent = data.name + ", " + data.labels[i];
        if (summary) summary.textContent = text;
        if (rule) rule.textContent = data.rules[i];
        if (table) {
          table.caption.textContent = data.name + ", " + data.labels[i] + ": andel der " +
            data.got;
          Array.prototype.forEach.call(table.tBodies[0].rows, function (row, r) {
            var k = data.kommuner[r];
            if (k && row.cells[1]) row.cells[1].textContent = pct(k.andele[i]);
          });
        }
      });
    }

    // Dragging the slider fires many events: draw the latest month asked for, one at a time.
    function next() {
      if (pending === null) { busy = false; return; }
      var i = pending;
      pending = null;
      busy = true;
      load().then(function () { return draw(i); })
        .catch(function () { /* the map shown stays: nothing is lost */ })
        .then(next);
    }

    function show(i) {
      output.textContent = monthLabel(months[i]);
      input.setAttribute("aria-valuetext", monthLabel(months[i]));
    }

    show(parseInt(input.value, 10));
    controls.hidden = false;
    input.addEventListener("input", function () {
      var i = parseInt(input.value, 10);
      show(i);
      pending = i;
      if (!busy) next();
    });
  }

  function start() {
    document.querySelectorAll(".map-controls[data-for]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
