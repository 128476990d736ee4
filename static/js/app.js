/* PSP Platform: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Tells the stylesheet that the menu can fold behind its toggle (without JS it stays open).
  document.documentElement.classList.add("js");

  // The mobile menu: a button with data-nav-toggle shows and hides the element its
  // aria-controls names. Escape closes it and returns focus to the button.
  function setUpNavToggle(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    var label = button.querySelector(".visually-hidden");

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
      if (label) label.textContent = open ? "Close menu" : "Open menu";
    }

    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });

    // Going back to the wide layout, the menu is always shown; reset the toggle's state.
    var wide = window.matchMedia("(min-width: 48rem)");
    var onChange = function (query) {
      if (query.matches) setOpen(false);
    };
    if (wide.addEventListener) wide.addEventListener("change", onChange);
  }

  // A form that comes back with errors: move focus to its error summary so keyboard and
  // screen-reader users land on the list of what to fix.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // The account menu (a <details>) closes when focus or a click goes elsewhere.
  function setUpAccountMenu(menu) {
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // After htmx replaces an evidence panel's body (an upload, a removal), the button pressed is
  // gone: focus goes to the field to fix, or else to the status line saying what happened.
  function focusAfterEvidenceSwap(event) {
    var body = event.detail.target;
    if (!body || !body.classList || !body.classList.contains("evidence__body")) return;
    var invalid = body.querySelector("[aria-invalid='true']");
    var notice = document.getElementById(body.id.replace(/-body$/, "-notice"));
    if (invalid) invalid.focus();
    else if (notice && notice.textContent.trim()) notice.focus();
  }

  function init() {
    document.querySelectorAll("[data-nav-toggle]").forEach(setUpNavToggle);
    document.querySelectorAll(".account-menu").forEach(setUpAccountMenu);
    focusErrorSummary(document);
    document.addEventListener("htmx:afterSettle", focusAfterEvidenceSwap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
