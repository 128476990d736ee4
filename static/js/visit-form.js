/* PSP Platform: the visit forms (log, complete, edit, schedule). Every form works without this
   file; with it:
   - the duration is split evenly across the activities the coach ticks, until the coach types
     minutes by hand (then they are left alone), with a live "minutes left to assign" hint;
   - the action items start folded: the empty rows the server sends for a browser without
     JavaScript (in a <details>) go, and one "Add an action" button adds a row at a time; rows
     with something typed or an error stay as they are;
   - tapping an activity's name ticks its box (the name is the box's label);
   - a restored draft that plans the next visit opens the folded "Schedule the next visit";
   - the whole form is kept as a draft in localStorage on every change (a dropped connection or
     an accidental reload loses nothing), restored on the next visit with a notice and a
     "Discard draft" button, and dropped once the server confirms the save (the page after a
     save carries data-clear-draft). */
(function () {
  "use strict";

  var SKIP = { csrfmiddlewaretoken: true };
  var TOTAL = "actions-TOTAL_FORMS";

  function storage() {
    try {
      var probe = "psp:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: the form still works, without drafts
    }
  }

  function readDraft(store, key) {
    if (!store || !key) return null;
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      return draft && draft.values ? draft : null;
    } catch (error) {
      return null;
    }
  }

  // The server saved what a draft held: drop it (only if it is that form's draft, so a newer
  // draft of another visit in progress survives).
  function clearSavedDrafts(store) {
    document.querySelectorAll("[data-clear-draft]").forEach(function (marker) {
      var key = marker.getAttribute("data-clear-draft");
      var submission = marker.getAttribute("data-clear-submission");
      var draft = readDraft(store, key);
      if (!draft) return;
      var kept = (draft.values.submission_key || [""])[0];
      if (!submission || !kept || kept === submission) store.removeItem(key);
    });
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function VisitForm(form, store) {
    this.form = form;
    this.store = store;
    this.key = form.getAttribute("data-draft-key");
    this.manual = false;
    this.pending = null;
  }

  VisitForm.prototype.fields = function () {
    return Array.prototype.filter.call(this.form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "submit" && el.type !== "button";
    });
  };

  // Drafts ------------------------------------------------------------------------------------

  VisitForm.prototype.values = function () {
    var values = {};
    this.fields().forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        values[el.name] = values[el.name] || [];
        return;
      }
      var list = (values[el.name] = values[el.name] || []);
      if (el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (option) {
          list.push(option.value);
        });
      } else {
        list.push(el.value);
      }
    });
    return values;
  };

  VisitForm.prototype.save = function () {
    if (!this.store || !this.key) return;
    try {
      this.store.setItem(
        this.key,
        JSON.stringify({ savedAt: new Date().toISOString(), values: this.values() })
      );
    } catch (error) {
      /* storage full: keep going without the draft */
    }
  };

  // Put the draft's values into the fields present now (adding the action rows it had first).
  VisitForm.prototype.apply = function (values, only) {
    var rows = parseInt((values[TOTAL] || ["0"])[0], 10) || 0;
    while (this.rowCount() !== null && this.rowCount() < rows && this.addRow(false)) {
      /* one more row */
    }
    this.fields().forEach(function (el) {
      if (!(el.name in values) || /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(el.name)) return;
      if (only && !only(el)) return;
      var wanted = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = wanted.indexOf(el.value) !== -1;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
      } else if (wanted.length) {
        el.value = wanted[0];
      }
    });
    this.syncTicks();
    this.manual = this.minutesSum() > 0;
    this.update();
    this.openTypedNextVisit();
  };

  // The folded "Schedule the next visit" opens when a draft put something in it.
  VisitForm.prototype.openTypedNextVisit = function () {
    var next = this.form.querySelector("[data-next-visit]");
    if (!next) return;
    var typed = ["next_visit_date", "next_start_time", "next_purpose"].some(function (name) {
      var field = next.querySelector('[name="' + name + '"]');
      return field && field.value;
    });
    if (typed) next.open = true;
  };

  VisitForm.prototype.restore = function () {
    var draft = readDraft(this.store, this.key);
    if (!draft || this.form.getAttribute("data-draft-restore") === "off") return;
    var values = draft.values;
    if (JSON.stringify(values) === JSON.stringify(this.values())) return;
    var practice = this.form.querySelector("select[name=practice]");
    var wanted = values.practice && values.practice[0];
    if (practice && wanted !== undefined && practice.value !== wanted && window.htmx) {
      // The draft is for another practice: load its people and goals, then fill in the rest.
      practice.value = wanted;
      this.apply(values, function (el) {
        return !el.closest("[data-practice-fields]");
      });
      this.pending = values;
      // This script may run before htmx has wired up the page: wire up the select first.
      window.htmx.process(practice);
      window.htmx.trigger(practice, "change");
    } else {
      this.apply(values);
    }
    this.notify(draft.savedAt);
  };

  VisitForm.prototype.notify = function (savedAt) {
    var notice = document.querySelector("[data-draft-notice]");
    if (!notice) return;
    var when = new Date(savedAt);
    var time = notice.querySelector("[data-draft-time]");
    if (time && !isNaN(when.getTime())) {
      time.textContent = pad(when.getHours()) + ":" + pad(when.getMinutes());
    }
    notice.hidden = false;
    var self = this;
    notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
      self.store.removeItem(self.key);
      self.form.setAttribute("data-draft-restore", "off");
      window.location.reload();
    });
  };

  // Minutes by activity ----------------------------------------------------------------------

  VisitForm.prototype.duration = function () {
    var input = this.form.querySelector("[data-visit-duration]");
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? null : value;
  };

  VisitForm.prototype.minuteInputs = function () {
    return Array.prototype.slice.call(this.form.querySelectorAll("[data-activity-minutes]"));
  };

  VisitForm.prototype.tickFor = function (input) {
    return this.form.querySelector('[data-activity-tick="' + input.id + '"]');
  };

  VisitForm.prototype.minutesSum = function () {
    return this.minuteInputs().reduce(function (sum, input) {
      return sum + (parseInt(input.value, 10) || 0);
    }, 0);
  };

  VisitForm.prototype.syncTicks = function () {
    var self = this;
    this.minuteInputs().forEach(function (input) {
      var tick = self.tickFor(input);
      if (tick) tick.checked = (parseInt(input.value, 10) || 0) > 0;
    });
  };

  // Share the duration evenly across the ticked activities (the first ones take the odd minutes).
  VisitForm.prototype.split = function () {
    var duration = this.duration();
    var self = this;
    var ticked = this.minuteInputs().filter(function (input) {
      var tick = self.tickFor(input);
      return tick && tick.checked;
    });
    this.minuteInputs().forEach(function (input) {
      if (ticked.indexOf(input) === -1) input.value = "";
    });
    if (!ticked.length || duration === null || duration < 0) return;
    var base = Math.floor(duration / ticked.length);
    var extra = duration - base * ticked.length;
    ticked.forEach(function (input, i) {
      input.value = base + (i < extra ? 1 : 0);
    });
  };

  VisitForm.prototype.update = function () {
    var hint = this.form.querySelector("[data-minutes-left]");
    if (!hint) return;
    var duration = this.duration();
    var sum = this.minutesSum();
    hint.hidden = false;
    hint.classList.remove("visit-minutes-left--done", "visit-minutes-left--over");
    if (duration === null) {
      hint.textContent = "Give the duration, then share it across the activities.";
    } else if (sum === duration) {
      hint.textContent = "All " + duration + " minutes are assigned.";
      hint.classList.add("visit-minutes-left--done");
    } else if (sum < duration) {
      var left = duration - sum;
      hint.textContent = left + " minute" + (left === 1 ? "" : "s") + " left to assign.";
    } else {
      var over = sum - duration;
      hint.textContent =
        over + " minute" + (over === 1 ? "" : "s") + " more than the " + duration + "-minute duration.";
      hint.classList.add("visit-minutes-left--over");
    }
  };

  VisitForm.prototype.onTick = function (tick) {
    var input = document.getElementById(tick.getAttribute("data-activity-tick"));
    if (!input) return;
    if (!this.manual) {
      this.split();
    } else if (tick.checked && !(parseInt(input.value, 10) > 0)) {
      // Typed by hand already: a newly ticked activity takes what is left, if anything.
      var left = (this.duration() || 0) - this.minutesSum();
      input.value = left > 0 ? left : "";
    } else if (!tick.checked) {
      input.value = "";
    }
    this.update();
  };

  // New action rows --------------------------------------------------------------------------

  VisitForm.prototype.rowCount = function () {
    var total = this.form.querySelector('[name="' + TOTAL + '"]');
    return total ? parseInt(total.value, 10) || 0 : null;
  };

  VisitForm.prototype.addRow = function (focus) {
    var total = this.form.querySelector('[name="' + TOTAL + '"]');
    var max = this.form.querySelector('[name="actions-MAX_NUM_FORMS"]');
    var template = this.form.querySelector("[data-action-template]");
    var rows = this.form.querySelector("[data-action-rows]");
    if (!total || !template || !rows) return false;
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= parseInt(max.value, 10)) return false;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var added = rows.lastElementChild;
    if (focus && added) {
      var first = added.querySelector("input, select");
      if (first) first.focus();
    }
    this.labelAddButton();
    return true;
  };

  // "Add an action" while there is none, "Add another action" after; gone at the maximum.
  VisitForm.prototype.labelAddButton = function () {
    var button = this.form.querySelector("[data-add-action]");
    var max = this.form.querySelector('[name="actions-MAX_NUM_FORMS"]');
    var count = this.rowCount();
    if (!button || count === null) return;
    button.textContent = count > 0 ? "Add another action" : "Add an action";
    button.hidden = !!(max && count >= parseInt(max.value, 10));
  };

  // The empty rows folded in a <details> are for browsers without JavaScript: drop them (they
  // are the last rows, so the count of rows is what is left) and let the button add rows.
  VisitForm.prototype.foldActions = function () {
    var spare = this.form.querySelector("[data-action-spare]");
    var total = this.form.querySelector('[name="' + TOTAL + '"]');
    var rows = this.form.querySelector("[data-action-rows]");
    if (spare && total && rows) {
      spare.parentNode.removeChild(spare);
      total.value = rows.querySelectorAll("[data-action-row]").length;
    }
    this.labelAddButton();
  };

  // Wiring -----------------------------------------------------------------------------------

  VisitForm.prototype.reveal = function (root) {
    root.querySelectorAll("[data-activity-name], .visit-js-only").forEach(function (el) {
      el.hidden = false;
    });
    // The activity's name now labels its tick box; the minutes box keeps a label for screen
    // readers ("… (minutes)").
    root.querySelectorAll("[data-activity-minutes-label]").forEach(function (el) {
      el.classList.add("visually-hidden");
    });
    this.foldActions();
  };

  VisitForm.prototype.start = function () {
    var self = this;
    var form = this.form;
    this.reveal(form);
    this.syncTicks();
    this.manual = this.minutesSum() > 0;
    this.update();

    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.hasAttribute("data-activity-minutes")) {
        self.manual = true; // typed by hand: no more automatic splitting
        var tick = self.tickFor(target);
        if (tick) tick.checked = (parseInt(target.value, 10) || 0) > 0;
      } else if (target.hasAttribute("data-visit-duration") && !self.manual) {
        self.split();
      }
      self.update();
      self.save();
    });
    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-activity-tick")) self.onTick(event.target);
      self.save();
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-add-action]");
      if (!button) return;
      event.preventDefault();
      self.addRow(true);
      self.save();
    });
    // A new practice's people, goals and action rows came in (htmx): show their controls, fill
    // in what a restored draft holds for them, and keep the draft current.
    form.addEventListener("htmx:afterSwap", function () {
      self.reveal(form);
      if (self.pending) {
        var values = self.pending;
        self.pending = null;
        self.apply(values);
      }
      self.save();
    });
    this.restore();
  };

  function init() {
    var store = storage();
    if (store) clearSavedDrafts(store);
    document.querySelectorAll("[data-visit-form]").forEach(function (form) {
      new VisitForm(form, store).start();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
