/* os-api-ref-ext: progressive enhancement for API reference pages.
 * Without this script every operation still opens and closes through its
 * <details> element; the script adds Show all / Hide all, the operation
 * filter, copy buttons, opens the operation a URL fragment points at,
 * opens everything for printing, and runs the microversion selector.
 * No dependencies.  Text from the page is only ever read as text content
 * and written back as text or attribute values, never as markup. */
(function () {
  "use strict";

  var LABELS = {
    copy: "Copy",
    copied: "Copied",
    copyFailed: "Copy failed",
    copyRequest: "Copy method and URL: ",
    copySample: "Copy sample"
  };

  function each(list, action) { Array.prototype.forEach.call(list, action); }

  function operations() {
    return Array.prototype.slice.call(document.querySelectorAll("details.api-operation"));
  }

  /* What hides and shows as one operation: its section, or the <details>
   * itself when it stands outside one. */
  function operationBox(details) {
    var parent = details.parentElement;
    return parent && parent.tagName === "SECTION" ? parent : details;
  }

  function ownText(element) {
    if (!element) { return ""; }
    var text = "";
    each(element.childNodes, function (child) {
      if (child.nodeType === 3) {
        text += child.nodeValue;
      } else if (child.nodeType === 1 && !child.classList.contains("headerlink")) {
        text += ownText(child);
      }
    });
    return text;
  }

  function requestLine(details) {
    var summary = details.querySelector(":scope > summary");
    var method = summary && summary.querySelector(".api-method");
    var url = summary && summary.querySelector(".api-url");
    return ownText(method).trim() + " " + ownText(url).trim();
  }

  // ----------------------------------------------------------------------
  // Fragments, microversions, filter

  var state = { filter: null };

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    if (state.filter && target.closest(".api-hidden-by-filter")) { state.filter.clear(); }
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
    each(elements, function (element) {
      var bounds = boundsOf(element);
      var hidden = !!selected && (
        (bounds.min && compare(selected, bounds.min) < 0) ||
        (bounds.max && compare(selected, bounds.max) > 0));
      var target = element.tagName === "DETAILS" ? operationBox(element) : element;
      target.classList.toggle("api-hidden-by-version", !!hidden);
    });
    if (state.filter) { state.filter.apply(); }
  }

  /* The filter: each operation's method, URL (also without the braces of
   * its {placeholders}) and title, lower-cased once; a keystroke compares
   * strings and toggles a class only where the answer changed. */
  function Filter(toolbar, input, count) {
    var entries = operations().map(function (details) {
      var title = details.querySelector(":scope > summary .api-operation-title");
      var url = ownText(details.querySelector(":scope > summary .api-url")).trim();
      var text = [requestLine(details), url.replace(/[{}]/g, ""), ownText(title)]
        .join("\n").replace(/\s+/g, " ").toLowerCase();
      return { box: operationBox(details), text: text, hidden: false };
    });
    // Sections that only group operations hide when none of theirs shows;
    // the one holding the toolbar never does.
    var groups = [];
    var groupOf = new Map();
    entries.forEach(function (entry) {
      for (var node = entry.box.parentElement; node; node = node.parentElement) {
        if (node.tagName !== "SECTION" || node.contains(toolbar)) { continue; }
        var group = groupOf.get(node);
        if (!group) {
          group = { section: node, members: [], hidden: false };
          groupOf.set(node, group);
          groups.push(group);
        }
        group.members.push(entry);
      }
    });
    var template = count.getAttribute("data-template") || "{shown} of {total} operations";
    var last = null;

    this.apply = function () {
      var wanted = input.value.trim().replace(/\s+/g, " ").toLowerCase();
      var shown = 0;
      var total = 0;
      entries.forEach(function (entry) {
        var hide = wanted !== "" && entry.text.indexOf(wanted) === -1;
        if (hide !== entry.hidden) {
          entry.box.classList.toggle("api-hidden-by-filter", hide);
          entry.hidden = hide;
        }
        if (!entry.box.classList.contains("api-hidden-by-version")) {
          total += 1;
          if (!hide) { shown += 1; }
        }
      });
      groups.forEach(function (group) {
        var hide = wanted !== "" && !group.members.some(function (entry) {
          return !entry.hidden && !entry.box.classList.contains("api-hidden-by-version");
        });
        if (hide !== group.hidden) {
          group.section.classList.toggle("api-hidden-by-filter", hide);
          group.hidden = hide;
        }
      });
      var text = wanted === "" ? "" :
        template.replace("{shown}", String(shown)).replace("{total}", String(total));
      if (text !== last) {
        count.textContent = text;
        last = text;
      }
    };

    this.clear = function () {
      input.value = "";
      this.apply();
    };

    var self = this;
    input.addEventListener("input", function () { self.apply(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value !== "") {
        self.clear();
        event.preventDefault();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey ||
          event.defaultPrevented || typing(event.target)) {
        return;
      }
      event.preventDefault();
      input.focus();
      input.select();
    }, true);
  }

  function typing(element) {
    if (!element || !element.tagName) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
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
    var input = toolbar.querySelector("input.api-filter-input");
    var count = toolbar.querySelector(".api-filter-count");
    if (input && count && !state.filter) {
      state.filter = new Filter(toolbar, input, count);
      if (input.value) { state.filter.apply(); }
    } else if (input && count) {
      // One filter per page: a second toolbar shows none.
      input.closest("label").hidden = true;
      count.hidden = true;
    }
    var select = toolbar.querySelector("select.api-mv-select");
    if (select) {
      // ?microversion=X.Y in the page address preselects a version, so a
      // view of the reference at one version can be shared as a link.
      var wanted = new URLSearchParams(window.location.search).get("microversion");
      var offered = Array.prototype.some.call(select.options, function (option) {
        return option.value === wanted;
      });
      if (wanted && offered) { select.value = wanted; }
      select.addEventListener("change", function () { applyVersion(select.value); });
      applyVersion(select.value);
    }
  }

  // ----------------------------------------------------------------------
  // Copy buttons

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "api-offscreen";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      document.body.removeChild(area);
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function copyButton(kind, name, read) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "api-copy api-copy-" + kind;
    button.textContent = LABELS.copy;
    button.setAttribute("aria-label", name);
    var timer = null;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      var confirm = function (label, className) {
        button.textContent = label;
        button.classList.add(className);
        announce(label);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = LABELS.copy;
          button.classList.remove("api-copied", "api-copy-failed");
        }, 2000);
      };
      copyText(read()).then(
        function () { confirm(LABELS.copied, "api-copied"); },
        function () { confirm(LABELS.copyFailed, "api-copy-failed"); });
    });
    return button;
  }

  var status = null;

  function announce(text) {
    if (!status) {
      status = document.createElement("div");
      status.className = "api-offscreen";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function sampleText(pre) {
    var text = "";
    each(pre.childNodes, function (child) {
      if (child.nodeType === 3) {
        text += child.nodeValue;
      } else if (child.nodeType === 1 && !child.classList.contains("linenos")) {
        text += sampleText(child);
      }
    });
    return text;
  }

  function addCopyButtons() {
    operations().forEach(function (details) {
      var line = requestLine(details);
      if (line === " ") { return; }
      var host = details.parentElement;
      if (!host || host.tagName !== "SECTION") {
        host = document.createElement("div");
        details.parentElement.insertBefore(host, details);
        host.appendChild(details);
      }
      host.classList.add("api-copy-host");
      host.insertBefore(copyButton("request", LABELS.copyRequest + line,
        function () { return line; }), details.nextSibling);
    });
    each(document.querySelectorAll("details.api-operation div.highlight"), function (block) {
      var pre = block.querySelector("pre");
      if (!pre || block.querySelector(":scope > button.api-copy")) { return; }
      block.classList.add("api-copy-host");
      // The sample scrolls sideways on its own: let the keyboard reach it.
      if (!pre.hasAttribute("tabindex")) { pre.setAttribute("tabindex", "0"); }
      block.appendChild(copyButton("sample", LABELS.copySample,
        function () { return sampleText(pre).replace(/\n$/, ""); }));
    });
  }

  function init() {
    var toolbar = document.querySelector("div.api-toolbar");
    if (toolbar) {
      ["copy", "copied", "copyFailed", "copyRequest", "copySample"].forEach(function (key) {
        var value = toolbar.getAttribute("data-label-" + key.replace(/[A-Z]/g, function (c) {
          return "-" + c.toLowerCase();
        }));
        if (value) { LABELS[key] = value; }
      });
    }
    addCopyButtons();
    each(document.querySelectorAll("div.api-toolbar"), setupToolbar);
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
