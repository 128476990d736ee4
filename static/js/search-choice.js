/* Search boxes that offer matches as you type (psp.widgets.ObjectChoice, templates/widgets/
   search_choice.html): the ARIA combobox pattern with a listbox. Without this file the box is a
   plain text search on the name, sent with its form.

   Typing asks the page named in data-options-url for the matches (at most ~20, all within the
   person's reach) and lists them. Down and Up move through them, Enter chooses, Escape closes;
   a click chooses too. Choosing puts the match's id in the hidden input (named like the
   filter) and its name in the box, then tells the form it changed (htmx refreshes the list).
   Typing again drops the choice: the text is a new search. */
(function () {
  "use strict";

  var DELAY_MS = 250;

  function setUp(root) {
    var input = root.querySelector('[role="combobox"]');
    var chosen = root.querySelector("[data-search-choice-value]");
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = root.querySelector("[data-search-choice-status]");
    var timer = null;
    var request = 0;
    var active = -1;

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
    }

    function setOpen(open) {
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) setActive(-1);
    }

    function setActive(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("is-active", i === index);
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      chosen.value = option.getAttribute("data-value");
      chosen.name = root.getAttribute("data-name");
      input.value = option.textContent;
      setOpen(false);
      status.textContent = option.textContent + " chosen.";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function forget() {
      chosen.value = "";
      chosen.removeAttribute("name");
    }

    function show(html) {
      listbox.innerHTML = html;
      var all = options();
      all.forEach(function (option, i) {
        option.id = listbox.id + "-" + i;
      });
      setOpen(all.length > 0);
      status.textContent = all.length
        ? all.length + (all.length === 1 ? " match" : " matches") + ": use the arrow keys to choose."
        : "No matches. Press Enter to search for the text.";
    }

    function ask() {
      var text = input.value.trim();
      if (!text) {
        listbox.innerHTML = "";
        setOpen(false);
        return;
      }
      var url = new URL(root.getAttribute("data-options-url"), window.location.href);
      url.searchParams.set(input.name, text);
      url.searchParams.set("capability", root.getAttribute("data-capability"));
      var mine = ++request;
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (mine === request) show(html);
        })
        .catch(function () {
          setOpen(false);
        });
    }

    input.addEventListener("input", function () {
      forget();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      var open = !listbox.hidden && all.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          if (all.length) setOpen(true);
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + all.length) % all.length);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // choose the match rather than send the form
        choose(all[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        setOpen(false);
      }
    });

    // Keep the focus in the box while a match is clicked, so the choice is made first.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) choose(option);
    });
    input.addEventListener("blur", function () {
      setOpen(false);
    });
  }

  function init(scope) {
    scope.querySelectorAll("[data-search-choice]").forEach(function (root) {
      if (root.hasAttribute("data-search-choice-ready")) return;
      root.setAttribute("data-search-choice-ready", "");
      setUp(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  // Filters swapped in by htmx get their search boxes set up too.
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
