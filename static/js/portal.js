// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
// Loaded in <head> (not deferred) so the class below is set before the first paint: the
// stylesheet collapses the menu on a phone only when this script runs (without it, the
// menu simply stays open and every link is still reachable).
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  // <select data-autosubmit>: submit its form when the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <button data-confirm="...">: ask before an irreversible action.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  menuToggle();
  labelTableCells();
  pickLists();
  // Form errors: bring the summary into view and focus it, so a long form is not left
  // scrolled away from what must be corrected; its links focus the field they name.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({block: "start"});
    summary.focus({preventScroll: true});
  }
  document.querySelectorAll("[data-error-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({block: "center"});
        field.focus();
      }
    });
  });
});

// The header's 菜单 button (shown on narrow screens only): opens and closes the menu, says
// so in aria-expanded, and closes it again with Escape (focus back on the button).
function menuToggle() {
  var button = document.querySelector(".menu-toggle");
  var topbar = document.querySelector(".topbar");
  if (!button || !topbar) { return; }
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    topbar.classList.toggle("menu-open", open);
  }
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
}

// Each cell of a list table gets its column's heading as data-label (unless the template set
// one). On enterprise and public pages (body.phone-first) a table of three or more columns is
// also marked .cards, which a narrow screen shows as one card of "heading: value" lines per
// row. Column spans are followed; a heading with no text gives no label.
function labelTableCells() {
  var phoneFirst = document.body.classList.contains("phone-first");
  document.querySelectorAll("table.list").forEach(function (table) {
    var labels = [];
    var headRow = table.tHead && table.tHead.rows[0];
    if (headRow) {
      Array.prototype.forEach.call(headRow.cells, function (th) {
        for (var i = 0; i < th.colSpan; i++) { labels.push(th.textContent.trim()); }
      });
    }
    var columns = labels.length || (table.rows[0] ? table.rows[0].cells.length : 0);
    if (phoneFirst && columns >= 3) { table.classList.add("cards"); }
    if (!labels.length) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  });
}

// <form data-pick>: a list of checkboxes ([data-pick-item]) with 全选 / 全不选 buttons
// ([data-pick-all], [data-pick-none], hidden until this script shows them: without it the
// boxes are ticked one by one) and the number ticked ([data-pick-count]) kept up to date.
function pickLists() {
  document.querySelectorAll("form[data-pick]").forEach(function (form) {
    var boxes = form.querySelectorAll("input[type=checkbox][data-pick-item]");
    var count = form.querySelector("[data-pick-count]");
    function update() {
      var ticked = 0;
      boxes.forEach(function (box) { if (box.checked) { ticked += 1; } });
      if (count) { count.textContent = String(ticked); }
    }
    function tickAll(value) {
      boxes.forEach(function (box) { box.checked = value; });
      update();
    }
    form.querySelectorAll("[data-pick-all]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { tickAll(true); });
    });
    form.querySelectorAll("[data-pick-none]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { tickAll(false); });
    });
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
}
