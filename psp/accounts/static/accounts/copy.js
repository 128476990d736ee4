// Copy buttons: <button data-copy-target="element-id">. Announces the result to screen readers.
(function () {
  "use strict";

  function textOf(element) {
    return "value" in element && element.value !== undefined ? element.value : element.textContent;
  }

  function fallbackCopy(element, text) {
    // Older browsers and non-secure origins have no async clipboard: select and copy.
    if (element.select) {
      element.select();
    } else {
      var range = document.createRange();
      range.selectNodeContents(element);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    try {
      return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function announce(message) {
    var status = document.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = message;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var element = document.getElementById(button.getAttribute("data-copy-target"));
    if (!element) {
      return;
    }
    var text = textOf(element).trim();
    var copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text)
      : fallbackCopy(element, text);
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    copying.then(
      function () {
        button.textContent = "Copied";
        announce("Copied to the clipboard.");
      },
      function () {
        announce("Could not copy; select the text and copy it by hand.");
      }
    ).then(function () {
      window.setTimeout(function () {
        button.textContent = label;
      }, 2000);
    });
  });

  var card = document.getElementById("new-key-card");
  if (card) {
    card.focus();
  }
})();
