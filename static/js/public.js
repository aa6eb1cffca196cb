// Signup: suggest an address from the store name and check it as it is typed.
// The form works without this script; the server checks everything again on submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-slug-check-url]");
  if (!form || !window.fetch) return;
  var slugInput = form.querySelector("[data-slug-input]");
  var status = form.querySelector("[data-slug-status]");
  var nameInput = form.querySelector("input[name=name]");
  var checkUrl = form.getAttribute("data-slug-check-url");
  var slugEdited = slugInput.value !== "";
  var timer = null;
  var latest = 0;

  function suggest(name) {
    return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  }

  function show(state, message) {
    status.setAttribute("data-state", state);
    status.textContent = message;
  }

  function check() {
    var slug = slugInput.value.trim().toLowerCase();
    if (!slug) { show("", ""); return; }
    var ticket = ++latest;
    fetch(checkUrl + "?slug=" + encodeURIComponent(slug), {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ticket !== latest) return;  // a newer check is on its way
        show(data.available ? "ok" : "error", data.message);
      })
      .catch(function () { /* offline: the server will say on submit */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }

  slugInput.addEventListener("input", function () {
    slugEdited = slugInput.value !== "";
    schedule();
  });
  if (nameInput) {
    nameInput.addEventListener("input", function () {
      if (slugEdited) return;
      slugInput.value = suggest(nameInput.value);
      schedule();
    });
  }
  if (slugInput.value) schedule();
})();
