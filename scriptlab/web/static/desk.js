// scriptlab serve: optional improvements only. Every page works without this file.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf") || "";

  // Agent desk: character counts and drafts saved while typing (kept across reloads).
  var form = document.getElementById("quiz-form");
  if (form) {
    var url = form.getAttribute("data-draft-url");
    var words = document.getElementById("i18n");
    var say = function (key) { return words ? words.getAttribute("data-" + key) : key; };
    var timers = {};
    var save = function (box) {
      var state = document.querySelector('[data-state-for="' + box.id + '"]');
      var body = new URLSearchParams();
      body.set("csrf", csrf);
      body.set("question_id", box.getAttribute("data-question"));
      body.set("text", box.value);
      if (state) { state.textContent = say("saving"); }
      return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                          headers: { "X-CSRF-Token": csrf } })
        .then(function (r) {
          if (state) { state.textContent = r.ok ? say("saved") : say("failed"); }
        })
        .catch(function () { if (state) { state.textContent = say("failed"); } });
    };
    form.querySelectorAll("textarea[data-question]").forEach(function (box) {
      var count = document.querySelector('[data-for="' + box.id + '"]');
      box.addEventListener("input", function () {
        if (count) { count.textContent = String(box.value.length); }
        clearTimeout(timers[box.id]);
        timers[box.id] = setTimeout(function () { save(box); }, 600);
      });
      box.addEventListener("blur", function () {
        if (timers[box.id]) { clearTimeout(timers[box.id]); timers[box.id] = null; save(box); }
      });
    });
    // Leaving (or reloading) with a save still pending: send it anyway.
    window.addEventListener("pagehide", function () {
      form.querySelectorAll("textarea[data-question]").forEach(function (box) {
        if (!timers[box.id]) { return; }
        clearTimeout(timers[box.id]);
        timers[box.id] = null;
        var body = new URLSearchParams();
        body.set("csrf", csrf);
        body.set("question_id", box.getAttribute("data-question"));
        body.set("text", box.value);
        navigator.sendBeacon(url, body);
      });
    });
    form.addEventListener("submit", function () {
      Object.keys(timers).forEach(function (k) { clearTimeout(timers[k]); timers[k] = null; });
    });
  }

  // Reviewer desk: keys 1-5 rate the current dimension and move to the next one.
  var rating = document.getElementById("rating-form");
  if (rating) {
    var dims = Array.prototype.slice.call(rating.querySelectorAll("fieldset.dim"));
    var current = 0;
    var firstOpen = dims.findIndex(function (f) { return !f.querySelector("input:checked"); });
    var mark = function (i) {
      current = Math.max(0, Math.min(i, dims.length - 1));
      dims.forEach(function (f, j) { f.classList.toggle("current", j === current); });
    };
    mark(firstOpen < 0 ? 0 : firstOpen);
    dims.forEach(function (f, j) {
      f.addEventListener("focusin", function () { mark(j); });
    });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) { return; }
      if (e.key >= "1" && e.key <= "5" && dims.length) {
        var input = dims[current].querySelector('input[value="' + e.key + '"]');
        if (input) { input.checked = true; }
        mark(current + 1);
        e.preventDefault();
      } else if (e.key === "Enter" && tag !== "BUTTON" && tag !== "A") {
        rating.requestSubmit ? rating.requestSubmit() : rating.submit();
        e.preventDefault();
      } else if (e.key === "j" || e.key === "k") {
        var link = document.querySelector('[data-key="' + e.key + '"]');
        if (link) { window.location.href = link.getAttribute("href"); }
      }
    });
  }
})();
