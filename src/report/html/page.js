// vigil's HTML report: filters by severity, rule and path, in the page
// alone (no server, no fetches). Findings are article.finding elements
// carrying data-severity, data-rules (space-separated ids) and data-path;
// a file's section.file hides when none of its findings shows.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return; // a review with no findings has nothing to filter
  }
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=severity]"));
  var rule = document.getElementById("rule-filter");
  var path = document.getElementById("path-filter");
  var shown = document.getElementById("shown");

  function apply() {
    var severities = {};
    boxes.forEach(function (box) { severities[box.value] = box.checked; });
    var wanted = rule.value;
    var part = path.value.trim();
    var count = 0;
    findings.forEach(function (f) {
      var show = severities[f.dataset.severity] === true &&
        (wanted === "" || f.dataset.rules.split(" ").indexOf(wanted) >= 0) &&
        (part === "" || f.dataset.path.indexOf(part) >= 0);
      f.hidden = !show;
      if (show) { count += 1; }
    });
    files.forEach(function (s) {
      var all = s.querySelectorAll("article.finding").length;
      var left = s.querySelectorAll("article.finding:not([hidden])").length;
      s.hidden = left === 0;
      var label = s.querySelector("h2 .count");
      label.textContent = left === all
        ? all + (all === 1 ? " finding" : " findings")
        : left + " of " + all + " findings";
    });
    shown.textContent = count + " of " + findings.length + " shown";
  }

  function only(level) {
    boxes.forEach(function (box) { box.checked = box.value === level; });
    apply();
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  rule.addEventListener("change", apply);
  path.addEventListener("input", apply);
  document.getElementById("reset").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    rule.value = "";
    path.value = "";
    apply();
  });
  // The summary's cards and rows are filters too; each brings the list
  // into view.
  document.querySelectorAll("#overview [data-severity]").forEach(function (b) {
    b.addEventListener("click", function () { only(b.dataset.severity); form.scrollIntoView(); });
  });
  document.querySelectorAll("#overview [data-rule]").forEach(function (b) {
    b.addEventListener("click", function () { rule.value = b.dataset.rule; apply(); form.scrollIntoView(); });
  });
  document.querySelectorAll("#overview [data-path]").forEach(function (b) {
    b.addEventListener("click", function () { path.value = b.dataset.path; apply(); form.scrollIntoView(); });
  });
  apply();
}());
