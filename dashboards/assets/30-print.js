/* Printing: AG Grid draws only the rows in view, absolutely positioned, so on paper a grid
   would lose rows and split them across pages. While printing, each grid is replaced by a
   plain table of the same rows, as filtered and sorted (print stylesheet: 20-print.css),
   whose header repeats on every page and whose rows never split; afterwards the tables
   are removed. The board pack (python -m dashboards.boardpack) calls
   window.cscPrintLayout(true, {maxRows: n}) before printing, so that a KPI's many months
   do not run to pages (the rest is said, and is in the dashboard's downloads); a
   browser's Print fires beforeprint and prints every row. */
(function () {
  "use strict";
  var MARKDOWN_LINK = /\[([^\]]*)\]\([^)]*\)/g;

  function text(value) {
    if (value === null || value === undefined) {
      return "";
    }
    return String(value).replace(MARKDOWN_LINK, "$1");
  }

  function printTable(api, maxRows) {
    var columns = api.getAllDisplayedColumns();
    var table = document.createElement("table");
    table.className = "table table-sm print-table";
    var head = table.createTHead().insertRow();
    columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column.getColDef().headerName || column.getColId();
      head.appendChild(th);
    });
    var body = table.createTBody();
    var count = 0;
    api.forEachNodeAfterFilterAndSort(function (node) {
      if (!node.data) {
        return;
      }
      count += 1;
      if (maxRows && count > maxRows) {
        return;
      }
      var row = body.insertRow();
      columns.forEach(function (column) {
        var cell = row.insertCell();
        cell.textContent = text(
          api.getCellValue({ rowNode: node, colKey: column, useFormatter: true })
        );
        if (column.getColDef().type === "rightAligned") {
          cell.className = "text-end";
        }
      });
    });
    if (maxRows && count > maxRows) {
      var more = body.insertRow().insertCell();
      more.colSpan = columns.length;
      more.className = "print-table-more";
      more.textContent =
        "… and " + (count - maxRows) + " more rows: see the dashboard, or its downloads.";
    }
    return table;
  }

  function layout(printing, maxRows) {
    document.querySelectorAll(".print-table").forEach(function (el) {
      el.remove();
    });
    if (!printing || !window.dash_ag_grid) {
      return 0;
    }
    var made = 0;
    document.querySelectorAll(".data-grid > [id]").forEach(function (el) {
      try {
        var api = window.dash_ag_grid.getApi(el.id);
        el.insertAdjacentElement("afterend", printTable(api, maxRows));
        made += 1;
      } catch (err) {
        /* a grid not drawn yet has nothing to print */
      }
    });
    return made;
  }

  /* Tables made by an explicit call (the board pack's, with its row limit) are kept when
     printing fires beforeprint/afterprint: printing to PDF fires them too. */
  var explicit = false;

  window.cscPrintLayout = function (printing, options) {
    explicit = Boolean(printing);
    return layout(printing, (options && options.maxRows) || 0);
  };

  window.addEventListener("beforeprint", function () {
    if (!explicit) {
      layout(true, 0);
    }
    /* Disclosures print open: paper cannot be clicked. */
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      el.setAttribute("data-print-opened", "");
    });
  });

  window.addEventListener("afterprint", function () {
    if (!explicit) {
      layout(false, 0);
    }
    document.querySelectorAll("details[data-print-opened]").forEach(function (el) {
      el.removeAttribute("open");
      el.removeAttribute("data-print-opened");
    });
  });
})();
