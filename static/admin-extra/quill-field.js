/* Quill editors of the store admin (apps.catalog.widgets.StoreQuillWidget).
 *
 * Each [data-store-quill] block holds the editor's config (data-config, JSON) and a hidden
 * input whose value is the sanitised HTML. The editor starts from that HTML and writes
 * {"delta": ..., "html": ...} back into the input on every change; the form field keeps the
 * HTML and the server sanitises it again.
 */
(function () {
  "use strict";

  function registerPlugins(modules) {
    if (modules.resize && window.QuillResizeModule && !Quill.imports["modules/resize"]) {
      Quill.register("modules/resize", window.QuillResizeModule);
    }
    if (modules.imageCompressor && window.imageCompressor &&
        !Quill.imports["modules/imageCompressor"]) {
      Quill.register("modules/imageCompressor", window.imageCompressor);
    }
    if (modules.syntax && !window.hljs) {
      modules.syntax = false;
    }
  }

  function start(block) {
    if (block.dataset.storeQuillReady) {
      return;
    }
    block.dataset.storeQuillReady = "1";
    var config = JSON.parse(block.dataset.config);
    registerPlugins(config.modules || {});
    var input = block.querySelector("input[type=hidden]");
    var quill = new Quill(block.querySelector(".store-quill-editor"), config);
    if (input.value) {
      quill.clipboard.dangerouslyPasteHTML(0, input.value, "silent");
    }
    quill.on("text-change", function () {
      input.value = JSON.stringify({
        delta: JSON.stringify(quill.getContents()),
        html: quill.root.innerHTML
      });
    });
  }

  function startAll() {
    document.querySelectorAll("[data-store-quill]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
