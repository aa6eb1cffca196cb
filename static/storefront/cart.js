// The header's mini-cart count, from the cart_count cookie the cart pages set (a bare number).
// Pages may come from the shared page cache, so the count is never in the HTML: each browser
// shows its own. Without this script the header keeps a plain "Cart" link.
(function () {
  "use strict";
  function cartCount() {
    var match = document.cookie.match(/(?:^|;\s*)cart_count=(\d{1,4})(?:;|$)/);
    return match ? parseInt(match[1], 10) : 0;
  }
  var count = cartCount();
  document.querySelectorAll("[data-minicart]").forEach(function (link) {
    var badge = link.querySelector("[data-minicart-count]");
    if (!badge) return;
    if (count > 0) {
      badge.textContent = String(count);
      badge.hidden = false;
      link.setAttribute("aria-label", "Cart, " + count + (count === 1 ? " item" : " items"));
    } else {
      badge.hidden = true;
      link.removeAttribute("aria-label");
    }
  });
})();
