// pantau: keyboard shortcuts for the triage queue and the verdict form. No inline code, no network.
(function () {
  "use strict";
  var VERDICTS = { "1": "confirmed_hoax", "2": "misleading", "3": "needs_context", "4": "not_hoax" };

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function setupQueue() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.qrow"));
    if (!rows.length) { return; }
    var current = -1;
    function focusRow(i) {
      if (i < 0 || i >= rows.length) { return; }
      if (current >= 0) { rows[current].classList.remove("current"); rows[current].removeAttribute("aria-selected"); }
      current = i;
      rows[i].classList.add("current");
      rows[i].setAttribute("aria-selected", "true");
      var link = rows[i].querySelector("a.open");
      if (link) { link.focus(); }
    }
    rows.forEach(function (row, i) {
      row.addEventListener("focusin", function () {
        if (current !== i) {
          if (current >= 0) { rows[current].classList.remove("current"); rows[current].removeAttribute("aria-selected"); }
          current = i; row.classList.add("current"); row.setAttribute("aria-selected", "true");
        }
      });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) { return; }
      if (ev.key === "j") { ev.preventDefault(); focusRow(current < 0 ? 0 : Math.min(current + 1, rows.length - 1)); }
      else if (ev.key === "k") { ev.preventDefault(); focusRow(current <= 0 ? 0 : current - 1); }
      else if (ev.key === "x" && current >= 0) {
        ev.preventDefault();
        var box = rows[current].querySelector("input[type=checkbox]");
        if (box) { box.checked = !box.checked; }
      } else if (VERDICTS[ev.key] && current >= 0) {
        ev.preventDefault();
        var form = document.getElementById("single-verdict");
        if (!form) { return; }
        form.querySelector("input[name=post_id]").value = rows[current].getAttribute("data-post-id");
        form.querySelector("input[name=verdict]").value = VERDICTS[ev.key];
        form.submit();
      }
    });
  }

  function setupVerdictForm() {
    var form = document.getElementById("verdict-form");
    if (!form) { return; }
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) { return; }
      var radio = form.querySelector("input[type=radio][data-key='" + ev.key + "']");
      if (radio) { ev.preventDefault(); radio.checked = true; radio.focus(); }
    });
  }

  // The labelling page: 1-9 pick a label, Enter submits, S skips, U takes back the last label.
  function writing(target) {
    var tag = target && target.tagName;
    if (tag === "INPUT") { return !/^(radio|checkbox|submit|button|reset)$/i.test(target.type || ""); }
    return tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function send(form) {
    if (!form || form.getAttribute("data-sent")) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function setupLabelling() {
    var form = document.getElementById("label-form");
    var undo = document.getElementById("undo-form");
    if (!form && !undo) { return; }
    [form, undo, document.getElementById("skip-form")].forEach(function (f) {
      if (f) { f.addEventListener("submit", function () { f.setAttribute("data-sent", "1"); }); }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.repeat || writing(ev.target)) { return; }
      var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
      var radio = form && form.querySelector("input[type=radio][data-key='" + key + "']");
      if (radio) {
        ev.preventDefault();
        radio.checked = true;
      } else if (key === "Enter" && form) {
        var tag = ev.target && ev.target.tagName;
        if (tag === "BUTTON" || tag === "A" || tag === "SUMMARY") { return; }
        ev.preventDefault();
        send(form);
      } else if (key === "s") {
        ev.preventDefault();
        send(document.getElementById("skip-form"));
      } else if (key === "u" && undo) {
        ev.preventDefault();
        send(undo);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setupQueue(); setupVerdictForm(); setupLabelling(); });
}());
