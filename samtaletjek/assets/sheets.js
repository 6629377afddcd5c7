// Samtaletjek: a table as a file a spreadsheet opens, made in the browser from figures the page
// already has, with no request and no library: CSV as Danish Excel reads it, and a minimal
// .xlsx workbook (SpreadsheetML in a zip whose files are stored, not compressed).
//
// A table is { name, columns: [{ header, kind, width }], rows: [[cell, …], …], frozen }.
// A column's kind says what its cells are: "month" ("2020-03", a date in the workbook),
// "count" (whole numbers), "share" (one decimal) or "text". A null cell is left empty:
// missing is not zero.
(function () {
  "use strict";

  var XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  // ---- CSV for Danish Excel: UTF-8 with BOM, ";" between cells, decimal comma -----------------

  function csvText(value, kind) {
    if (value === null || value === undefined) return "";
    if (kind === "share") return value.toFixed(1).replace(".", ",");
    if (kind === "count") return String(Math.round(value));
    var text = String(value);
    return /[";\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv(table) {
    var lines = [table.columns.map(function (c) { return csvText(c.header, "text"); }).join(";")];
    table.rows.forEach(function (row) {
      lines.push(row.map(function (value, i) { return csvText(value, table.columns[i].kind); }).join(";"));
    });
    return new Blob(["\uFEFF" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  }

  // ---- the workbook's parts ---------------------------------------------------------------------

  var MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  var RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  var PACKAGE = "http://schemas.openxmlformats.org/package/2006/";
  var HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  // Cell styles, by their place in styles.xml's cellXfs.
  var STYLE = { text: 0, month: 1, share: 2, header: 3, count: 4, wrap: 5 };
  var EXCEL_EPOCH = Date.UTC(1899, 11, 30); // day 0 of Excel's (1900) date system

  function escape(text) {
    return String(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function column(i) {
    var name = "";
    for (var n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) {
      name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    }
    return name;
  }

  function textCell(ref, text, style) {
    return '<c r="' + ref + '" t="inlineStr"' + (style ? ' s="' + style + '"' : "") +
      '><is><t xml:space="preserve">' + escape(text) + "</t></is></c>";
  }

  function cell(ref, value, kind, wrap) {
    if (value === null || value === undefined || value === "") return "";
    if (kind === "month") {
      var serial = (Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, 1) -
        EXCEL_EPOCH) / 86400000;
      return '<c r="' + ref + '" s="' + STYLE.month + '"><v>' + serial + "</v></c>";
    }
    if (kind === "count" || kind === "share") {
      return '<c r="' + ref + '" s="' + STYLE[kind] + '"><v>' + value + "</v></c>";
    }
    return textCell(ref, value, wrap ? STYLE.wrap : 0);
  }

  function worksheet(table) {
    var rows = [];
    var first = 1;
    if (table.columns.some(function (c) { return c.header; })) {
      rows.push('<row r="1">' + table.columns.map(function (c, i) {
        return textCell(column(i) + "1", c.header, STYLE.header);
      }).join("") + "</row>");
      first = 2;
    }
    table.rows.forEach(function (row, r) {
      var n = r + first;
      rows.push('<row r="' + n + '">' + row.map(function (value, i) {
        var c = table.columns[i];
        return cell(column(i) + n, value, c.kind, c.width > 40);
      }).join("") + "</row>");
    });
    var frozen = table.frozen && first === 2
      ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" ' +
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" ' +
        'sqref="A2"/></sheetView></sheetViews>'
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
    var widths = table.columns.map(function (c, i) {
      return '<col min="' + (i + 1) + '" max="' + (i + 1) + '" width="' + (c.width || 12) +
        '" customWidth="1"/>';
    }).join("");
    return HEAD + '<worksheet xmlns="' + MAIN + '">' + frozen + "<cols>" + widths + "</cols>" +
      "<sheetData>" + rows.join("") + "</sheetData></worksheet>";
  }

  // Danish month names whatever the reader's Excel speaks ([$-406] is Danish).
  var STYLES = HEAD + '<styleSheet xmlns="' + MAIN + '">' +
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="[$-406]mmmm yyyy"/>' +
    '<numFmt numFmtId="165" formatCode="0.0"/></numFmts>' +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
    '<fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="6">' +
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">' +
    '<alignment wrapText="1" vertical="top"/></xf>' +
    "</cellXfs>" +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    "</styleSheet>";

  function parts(tables) {
    var sheets = tables.map(function (t, i) {
      return '<sheet name="' + escape(t.name) + '" sheetId="' + (i + 1) + '" r:id="rId' + (i + 1) + '"/>';
    }).join("");
    var links = tables.map(function (t, i) {
      return '<Relationship Id="rId' + (i + 1) + '" Type="' + RELATIONS +
        '/worksheet" Target="worksheets/sheet' + (i + 1) + '.xml"/>';
    }).join("") + '<Relationship Id="rId' + (tables.length + 1) + '" Type="' + RELATIONS +
      '/styles" Target="styles.xml"/>';
    var types = tables.map(function (t, i) {
      return '<Override PartName="/xl/worksheets/sheet' + (i + 1) + '.xml" ContentType="' +
        "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" + '"/>';
    }).join("");
    var files = [
      ["[Content_Types].xml", HEAD + '<Types xmlns="' + PACKAGE + 'content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="' +
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="' +
        'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        types + "</Types>"],
      ["_rels/.rels", HEAD + '<Relationships xmlns="' + PACKAGE + 'relationships">' +
        '<Relationship Id="rId1" Type="' + RELATIONS + '/officeDocument" Target="xl/workbook.xml"/>' +
        "</Relationships>"],
      ["xl/workbook.xml", HEAD + '<workbook xmlns="' + MAIN + '" xmlns:r="' + RELATIONS + '">' +
        "<sheets>" + sheets + "</sheets></workbook>"],
      ["xl/_rels/workbook.xml.rels", HEAD + '<Relationships xmlns="' + PACKAGE +
        'relationships">' + links + "</Relationships>"],
      ["xl/styles.xml", STYLES]
    ];
    tables.forEach(function (t, i) {
      files.push(["xl/worksheets/sheet" + (i + 1) + ".xml", worksheet(t)]);
    });
    return files;
  }

  // ---- a zip of stored files (PKWARE APPNOTE 4.3): no compression, so no library ----------------

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n += 1) {
      var c = n;
      for (var k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();

  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // The fields a local header and a central directory entry share: version 2.0, UTF-8 names,
  // stored, 1 January 1980 (a fixed date: the same figures give the same bytes).
  function common(view, at, file) {
    view.setUint16(at, 20, true);
    view.setUint16(at + 2, 0x0800, true);
    view.setUint16(at + 4, 0, true);
    view.setUint16(at + 6, 0, true);
    view.setUint16(at + 8, (1 << 5) | 1, true);
    view.setUint32(at + 10, file.crc, true);
    view.setUint32(at + 14, file.data.length, true);
    view.setUint32(at + 18, file.data.length, true);
    view.setUint16(at + 22, file.name.length, true);
    view.setUint16(at + 24, 0, true);
  }

  function zip(files, type) {
    var encoder = new TextEncoder();
    var chunks = [];
    var directory = [];
    var offset = 0;
    files.forEach(function (pair) {
      var file = { name: encoder.encode(pair[0]), data: encoder.encode(pair[1]) };
      file.crc = crc32(file.data);
      var local = new DataView(new ArrayBuffer(30));
      local.setUint32(0, 0x04034b50, true);
      common(local, 4, file);
      chunks.push(local, file.name, file.data);
      var entry = new DataView(new ArrayBuffer(46));
      entry.setUint32(0, 0x02014b50, true);
      entry.setUint16(4, 20, true); // made by: version 2.0
      common(entry, 6, file);
      entry.setUint32(42, offset, true); // the rest (comment, disk, attributes) is 0
      directory.push(entry, file.name);
      offset += 30 + file.name.length + file.data.length;
    });
    var size = directory.reduce(function (sum, part) { return sum + part.byteLength; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, files.length, true);
    end.setUint16(10, files.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return new Blob(chunks.concat(directory, [end]), { type: type });
  }

  function xlsx(tables) {
    return zip(parts(tables), XLSX_TYPE);
  }

  window.SamtaletjekSheets = { csv: csv, xlsx: xlsx };
})();
