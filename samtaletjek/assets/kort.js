// Samtaletjek: the map's month slider, and a municipality's card on a tap. Progressive
// enhancement only: without this file the map of the latest month is an inline SVG whose
// municipalities say their figures when pointed at, and the table under it holds every figure.
(function () {
  "use strict";

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
    "september", "oktober", "november", "december"];
  var DA_FORMAT = { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] };
  var SVG = "http://www.w3.org/2000/svg";
  // The Vega bundle, loaded by samtaletjek.js when the map comes near the screen or here when
  // the slider is first moved.
  var vega = window.Samtaletjek && window.Samtaletjek.vega;

  function monthLabel(period) {
    return MONTHS[parseInt(period.slice(5, 7), 10) - 1] + " " + period.slice(0, 4);
  }

  function pct(value) {
    return value === null || value === undefined ? "–" : value.toFixed(1).replace(".", ",") + " %";
  }

  // "1.234", as domain/danish.py `number` says a count.
  function count(value) {
    return value === null || value === undefined ? "–" :
      String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
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

  // A month's rows of the map (charts/maps.py `choropleth`, interactive), as the page gives
  // them for the latest month: each municipality's colour is its class in the month's legend
  // (null: "Ingen tal", the legend's last item).
  function monthRows(data, i, hrefs) {
    var items = data.legends[data.legend[i]].items;
    return data.kommuner.map(function (k) {
      var c = k.klasse[i];
      return {
        kode: k.kode, navn: k.navn, farve: items[c === null ? items.length - 1 : c][1],
        andel: pct(k.andele[i]), status: data.statuses[k.status[i]],
        personer: count(k.personer[i]), maaned: data.labels[i],
        href: hrefs[k.kode] === undefined ? null : hrefs[k.kode]
      };
    });
  }

  // The page's legend (the `chart_legend` macro) for another month.
  function drawLegend(list, items) {
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "legend-bar";
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("width", "30");
      svg.setAttribute("height", "12");
      svg.setAttribute("viewBox", "0 0 30 12");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", "8");
      rect.setAttribute("y", "1");
      rect.setAttribute("width", "14");
      rect.setAttribute("height", "10");
      rect.setAttribute("fill", item[1]);
      svg.appendChild(rect);
      li.appendChild(svg);
      li.appendChild(document.createTextNode(item[0]));
      list.appendChild(li);
    });
  }

  function enhanceSlider(controls) {
    var figure = document.getElementById(controls.getAttribute("data-for"));
    if (!figure || !vega || !window.fetch) return;
    var months = controls.getAttribute("data-months").split(" ");
    var input = controls.querySelector("input");
    var output = controls.querySelector("output");
    var summary = document.getElementById(figure.id + "-resume");
    var rule = document.getElementById(figure.id + "-graense");
    var title = figure.querySelector(".chart-title");
    var caption = figure.querySelector(".chart-summary");
    var legend = figure.querySelector(".chart-legend");
    var table = figure.querySelector(".chart-table table");
    var data = null, spec = null, hrefs = {}, pending = null, busy = false;

    function load() {
      if (data) return Promise.resolve();
      return Promise.all([
        getJSON(controls.getAttribute("data-values")),
        getJSON(figure.getAttribute("data-spec")),
        vega()
      ]).then(function (loaded) {
        data = loaded[0];
        spec = loaded[1];
        spec.datasets.andele.forEach(function (row) { hrefs[row.kode] = row.href; });
      });
    }

    function draw(i) {
      var monthSpec = JSON.parse(JSON.stringify(spec));
      monthSpec.datasets.andele = monthRows(data, i, hrefs);
      var text = sentence(data, i);
      var target = document.createElement("div");
      target.className = "chart-live";
      return window.vegaEmbed(target, monthSpec, {
        renderer: "svg", actions: false, formatLocale: DA_FORMAT, tooltip: { theme: "light" }
      }).then(function (result) {
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
        var shown = data.legends[data.legend[i]];
        if (title) title.textContent = data.name + ", " + data.labels[i];
        if (caption) caption.textContent = data.captions[shown.caption];
        drawLegend(legend, shown.items);
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
        figure.dispatchEvent(new CustomEvent("chart-drawn", { detail: result.view }));
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

  // A small card with a municipality's figures and a link to its page: opened by a tap on the
  // map (a mouse's click goes straight to the page, its pointer already shows the tooltip) or
  // by choosing the municipality in the form above the map, which is how a keyboard opens it.
  function makeCard(id) {
    var card = document.createElement("div");
    card.className = "map-card";
    card.id = id + "-kommune";
    card.hidden = true;
    card.tabIndex = -1;
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-labelledby", id + "-kommune-navn");
    var heading = document.createElement("h3");
    heading.id = id + "-kommune-navn";
    card.appendChild(heading);
    var list = document.createElement("dl");
    [["Andel", "andel"], ["Status", "status"], ["Personer", "personer"], ["Måned", "maaned"]]
      .forEach(function (field) {
        var dt = document.createElement("dt");
        dt.textContent = field[0];
        var dd = document.createElement("dd");
        dd.setAttribute("data-field", field[1]);
        list.appendChild(dt);
        list.appendChild(dd);
      });
    card.appendChild(list);
    var more = document.createElement("p");
    more.appendChild(document.createElement("a"));
    card.appendChild(more);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "map-card-close";
    close.textContent = "Luk";
    card.appendChild(close);
    return card;
  }

  // The municipality code of a shape of the map (a Vega scenegraph item), if it is one.
  function kodeOf(item) {
    var datum = item && item.datum;
    return datum && datum.properties ? datum.properties.kode : null;
  }

  function enhanceCard(form) {
    var figure = document.getElementById(form.getAttribute("data-for"));
    var canvas = figure && figure.querySelector(".chart-canvas");
    if (!canvas || !vega) return;
    var select = form.querySelector("select");
    var card = makeCard(figure.id);
    canvas.parentNode.insertBefore(card, canvas.nextSibling);
    var rows = {}, shown = null, opener = null, pointer = "mouse", pressed = null;

    function fill(row) {
      card.querySelector("h3").textContent = row.navn;
      Array.prototype.forEach.call(card.querySelectorAll("dd"), function (dd) {
        dd.textContent = row[dd.getAttribute("data-field")];
      });
      var link = card.querySelector("a");
      link.href = row.href;
      link.textContent = "Gå til siden om " + row.navn;
      card.style.borderTopColor = row.farve;
    }

    // Opened from the form, the card takes the focus (and gives it back when it closes);
    // opened by a finger, it only shows.
    function open(kode, from) {
      var row = rows[kode];
      if (!row) return;
      shown = kode;
      opener = from;
      fill(row);
      card.hidden = false;
      if (from) card.focus();
    }

    function close() {
      card.hidden = true;
      shown = null;
      if (opener) opener.focus();
      opener = null;
    }

    card.querySelector(".map-card-close").addEventListener("click", close);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !card.hidden) close();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (select.value) open(Number(select.value), document.activeElement || select);
    });
    // What pressed last: a finger or a pen gets the card, a mouse goes to the page. (Not the
    // click's own pointerType: some browsers' clicks have none.)
    canvas.addEventListener("pointerdown", function (event) {
      pointer = event.pointerType || "mouse";
      // A tap would also raise the tooltip, under the finger: the card says the same.
      document.documentElement.classList.toggle("map-touched", pointer !== "mouse");
    }, true);
    // A tap: the browser has seen no pan or zoom in it, or there would be no click.
    canvas.addEventListener("click", function () {
      if (pointer !== "mouse" && rows[pressed]) open(pressed, null);
    });

    figure.addEventListener("chart-drawn", function (event) {
      var view = event.detail;
      rows = {};
      view.data("andele").forEach(function (row) { rows[row.kode] = row; });
      if (select.options.length <= 1) {
        view.data("andele").forEach(function (row) {
          var option = document.createElement("option");
          option.value = String(row.kode);
          option.textContent = row.navn;
          select.appendChild(option);
        });
      }
      if (shown !== null && rows[shown]) fill(rows[shown]);  // another month: the card follows
      // A finger's shape is the one it pressed: the click that follows a tap may be aimed at
      // the whole drawing (a browser widens a finger's target to the nearest listener).
      view.addEventListener("pointerdown", function (ev, item) {
        pressed = kodeOf(item);
      });
      view.addEventListener("click", function (ev, item) {
        var kode = kodeOf(item);
        if (pointer === "mouse" && rows[kode]) window.location.assign(rows[kode].href);
      });
      form.hidden = false;
    });
  }

  function start() {
    document.querySelectorAll(".map-find[data-for]").forEach(enhanceCard);
    document.querySelectorAll(".map-controls[data-for]").forEach(enhanceSlider);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
