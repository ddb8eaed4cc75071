// The policy studio's clause editor: show only the fields of the chosen formula shape (and, in
// 多项相加/就高, of each part's own shape) and of the chosen writing mode, and keep the fact
// pickers' names in step with the facts typed above. Without it every field shows and works.
(function () {
  "use strict";
  var form = document.getElementById("studio-form");
  if (!form) return;
  function shape() {
    var chosen = form.elements.shape.value;
    form.querySelectorAll("[data-shape]").forEach(function (el) {
      el.hidden = el.getAttribute("data-shape").split(" ").indexOf(chosen) < 0;
    });
  }
  function parts() {
    form.querySelectorAll("[data-part]").forEach(function (block) {
      var chosen = block.querySelector("[data-part-shape-pick]").value;
      block.querySelectorAll("[data-part-shape]").forEach(function (el) {
        el.hidden = el.getAttribute("data-part-shape").split(" ").indexOf(chosen) < 0;
      });
    });
  }
  function mode() {
    var picked = form.querySelector("input[name=mode]:checked");
    var value = picked ? picked.value : "form";
    form.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode") !== value;
    });
  }
  function factName(i) {
    var label = form.elements["fact" + i + "_label"].value.trim();
    if (label) return label;
    var src = form.elements["fact" + i + "_src"];
    var option = src.options[src.selectedIndex];
    return option && option.getAttribute("data-label") ? option.getAttribute("data-label") : "";
  }
  function names() {
    form.querySelectorAll("[data-fact-option]").forEach(function (opt) {
      var i = opt.getAttribute("data-fact-option"), name = factName(i);
      opt.textContent = "事实" + i + (name ? "：" + name : "");
    });
    form.querySelectorAll("[data-fact-head]").forEach(function (th) {
      var i = th.getAttribute("data-fact-head");
      th.textContent = factName(i) || "事实" + i;
    });
  }
  form.elements.shape.addEventListener("change", shape);
  form.querySelectorAll("[data-part-shape-pick]").forEach(function (s) { s.addEventListener("change", parts); });
  form.querySelectorAll("input[name=mode]").forEach(function (r) { r.addEventListener("change", mode); });
  form.addEventListener("input", names);
  form.addEventListener("change", names);
  shape(); parts(); mode(); names();
})();
