// Accessible names for what select2 (the admin's autocomplete) builds: its search boxes have none.
// Each takes the name of the <select> it searches: its aria-label or its <label>.
"use strict";
(function () {
  function selectName(select) {
    if (!select) return "";
    const own = select.getAttribute("aria-label");
    if (own) return own;
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function selectOf(search) {
    // A multiple select's search box sits in its own container, right after the <select>;
    // a single select's is in the drop-down, opened from the container marked open.
    const container = search.closest(".select2-container");
    const before = container && container.previousElementSibling;
    if (before && before.tagName === "SELECT") return before;
    const opened = document.querySelector("select + .select2-container--open");
    return opened ? opened.previousElementSibling : null;
  }

  function nameSearchBoxes(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (search) {
      const name = selectName(selectOf(search));
      if (name) search.setAttribute("aria-label", name);
    });
  }

  // A single select's box (role combobox) is named only by the option shown, so an empty one
  // has no name: name it by its <select> first, then what it shows.
  function nameSelections(root) {
    root.querySelectorAll("select + .select2-container .select2-selection--single:not([data-named])").forEach(function (box) {
      const select = box.closest(".select2-container").previousElementSibling;
      const name = selectName(select);
      if (!name) return;
      const label = document.createElement("span");
      label.id = (select.id || select.name) + "-select2-name";
      label.className = "visually-hidden";
      label.textContent = name;
      box.parentNode.insertBefore(label, box);
      box.setAttribute("aria-labelledby", [label.id, box.getAttribute("aria-labelledby")].filter(Boolean).join(" "));
      box.setAttribute("data-named", "");
      // The shown option is a read-only textbox of its own: named the same way.
      const shown = box.querySelector(".select2-selection__rendered");
      if (shown) shown.setAttribute("aria-labelledby", label.id);
    });
    // "Remove all" is drawn inside the list of chosen options; for the pointer only (Backspace
    // removes by keyboard), so kept out of the list that assistive technology reads.
    root.querySelectorAll(".select2-selection__rendered > .select2-selection__clear:not([aria-hidden])").forEach(function (clear) {
      clear.setAttribute("aria-hidden", "true");
    });
  }

  // The admin's date-and-time fields: two inputs under one <label> that points at neither.
  function nameSplitDateTimes(root) {
    root.querySelectorAll("p.datetime input:not([aria-label])").forEach(function (input) {
      const row = input.closest(".form-row, .fieldBox, td");
      const label = row && row.querySelector("label");
      const part = input.previousSibling && input.previousSibling.textContent.replace(/[:：]\s*$/, "").trim();
      const name = [label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "", part].filter(Boolean).join(" ");
      if (name) input.setAttribute("aria-label", name);
    });
  }

  // An open combobox must say which list it controls (ARIA 1.2); select2 4.0 says only aria-owns.
  function syncControls(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      const owns = box.getAttribute("aria-owns");
      if (owns && box.getAttribute("aria-controls") !== owns) box.setAttribute("aria-controls", owns);
      if (!owns && box.hasAttribute("aria-controls")) box.removeAttribute("aria-controls");
    });
  }

  function nameAll() {
    syncControls(document);
    nameSearchBoxes(document);
    nameSelections(document);
    nameSplitDateTimes(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["aria-owns"],
    });
  });
})();
