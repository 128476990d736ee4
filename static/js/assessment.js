/* Assessment pages: small enhancements on top of htmx. Every page works without this file. */
(function () {
  "use strict";

  // "Not applicable" checkboxes (multiple-choice, number and text questions): while ticked,
  // the question's other inputs are disabled, so they are neither posted nor confusing.
  function syncNotApplicable(toggle) {
    var question = toggle.closest(".question");
    if (!question) return;
    question.querySelectorAll("[data-answer-input]").forEach(function (input) {
      input.disabled = toggle.checked;
    });
  }

  // Moving between steps reloads the page: put focus on the step's heading, so keyboard and
  // screen-reader users start at the new domain instead of the top of the page. An error
  // summary (app.js focuses it) or a #question link takes precedence.
  function focusStep() {
    if (document.querySelector("[data-error-summary]")) return;
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      var input = target && target.querySelector("input:not([type=hidden]), textarea");
      if (input) input.focus();
      return;
    }
    var heading = document.querySelector("[data-step-heading]");
    if (heading && /[?&]step=/.test(window.location.search)) heading.focus();
  }

  function init() {
    document.querySelectorAll("[data-na-toggle]").forEach(syncNotApplicable);
    document.addEventListener("change", function (event) {
      if (event.target.matches("[data-na-toggle]")) syncNotApplicable(event.target);
    });
    focusStep();
    // A consensus row replaced by htmx: focus its new value so the result is announced.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var row = event.detail.target;
      if (row && row.classList && row.classList.contains("consensus-row")) {
        var fresh = document.getElementById(row.id);
        var value = fresh && fresh.querySelector(".consensus-row__value");
        if (value) value.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
