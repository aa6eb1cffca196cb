// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Choosing an option submits the variant form at once (the server picks the variant).
  document.querySelectorAll("form[data-variant-form]").forEach(function (form) {
    var submit = form.querySelector("[data-variant-submit]");
    if (submit) submit.hidden = true;
    form.addEventListener("change", function () { form.submit(); });
  });
  // Gallery thumbnails scroll the main image strip in place instead of jumping the page.
  document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
    gallery.querySelectorAll(".gallery__thumbs a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        target.parentNode.scrollTo({ left: target.offsetLeft - target.parentNode.offsetLeft });
        gallery.querySelectorAll(".gallery__thumbs a").forEach(function (other) {
          other.setAttribute("aria-current", other === link ? "true" : "false");
        });
      });
    });
  });
})();
