/* Each table cell gets its column's heading as data-label, which bcm-handbook.css shows before the cell
   when a narrow screen stacks the table's rows: a phone reads "RTO: 1h" instead of scrolling sideways.
   Heading text is read as text and set as an attribute, never as markup. */
(function () {
  function label(table) {
    var head = table.querySelector("thead tr") || table.querySelector("tr");
    if (!head) return;
    var names = Array.prototype.map.call(head.children, function (cell) {
      return (cell.textContent || "").trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (names[index]) cell.setAttribute("data-label", names[index]);
      });
    });
  }
  function labelAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), label);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelAll);
  } else {
    labelAll();
  }
})();
