/* os-api-ref-ext: progressive enhancement for API reference pages.
 * Without this script every operation still opens and closes through its
 * <details> element; the script adds Show all / Hide all, opens the
 * operation a URL fragment points at, opens everything for printing, and
 * runs the microversion selector.  No dependencies. */
(function () {
  "use strict";

  function operations() {
    return Array.prototype.slice.call(document.querySelectorAll("details.api-operation"));
  }

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    // The operation's own section, or the section a label just inside it
    // belongs to, opens its <details>; a target deeper in an operation's
    // body opens the <details> around it below.
    var section = target.tagName === "SECTION" ? target : target.closest("section");
    var own = section ? section.querySelector(":scope > details.api-operation") : null;
    if (own) { own.open = true; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView();
  }

  function parseVersion(text) {
    var match = /^(\d+)\.(\d+)$/.exec(text || "");
    return match ? [parseInt(match[1], 10), parseInt(match[2], 10)] : null;
  }

  function compare(a, b) { return a[0] - b[0] || a[1] - b[1]; }

  function boundsOf(element) {
    var bounds = { min: null, max: null };
    element.classList.forEach(function (name) {
      var match = /^api-(min|max)-ver-(\d+)-(\d+)$/.exec(name);
      if (match) { bounds[match[1]] = [parseInt(match[2], 10), parseInt(match[3], 10)]; }
    });
    return bounds;
  }

  function applyVersion(version) {
    var selected = parseVersion(version);
    var elements = document.querySelectorAll(
      "[class*='api-min-ver-'], [class*='api-max-ver-']");
    Array.prototype.forEach.call(elements, function (element) {
      var bounds = boundsOf(element);
      var hidden = !!selected && (
        (bounds.min && compare(selected, bounds.min) < 0) ||
        (bounds.max && compare(selected, bounds.max) > 0));
      var target = element.tagName === "DETAILS" && element.parentElement &&
        element.parentElement.tagName === "SECTION" ? element.parentElement : element;
      target.classList.toggle("api-hidden-by-version", !!hidden);
    });
  }

  function setupToolbar(toolbar) {
    toolbar.hidden = false;
    var button = toolbar.querySelector("button.api-expand-all");
    if (button) {
      button.addEventListener("click", function () {
        var expand = button.getAttribute("aria-pressed") !== "true";
        operations().forEach(function (details) { details.open = expand; });
        button.setAttribute("aria-pressed", expand ? "true" : "false");
        button.textContent = button.getAttribute(expand ? "data-hide-label" : "data-show-label");
      });
    }
    var select = toolbar.querySelector("select.api-mv-select");
    if (select) {
      // ?microversion=X.Y in the page address preselects a version, so a
      // view of the reference at one version can be shared as a link.
      var wanted = new URLSearchParams(window.location.search).get("microversion");
      if (wanted && select.querySelector("option[value='" + wanted.replace(/'/g, "") + "']")) {
        select.value = wanted;
      }
      select.addEventListener("change", function () { applyVersion(select.value); });
      applyVersion(select.value);
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("div.api-toolbar"), setupToolbar);
    openTarget();
    window.addEventListener("hashchange", openTarget);
    window.addEventListener("beforeprint", function () {
      operations().forEach(function (details) { details.open = true; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
