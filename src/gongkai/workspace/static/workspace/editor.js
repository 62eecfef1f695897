// A small rich-text editor for item bodies: a contenteditable area with a toolbar, kept in
// sync with the form's <textarea>. Without JavaScript the textarea (HTML) still works, and
// the server sanitises whatever arrives (nh3), so nothing here is trusted.
(function () {
  "use strict";
  function setup(form) {
    var source = form.querySelector("textarea.rich-source");
    var area = form.querySelector(".editor-area");
    var toolbar = form.querySelector(".editor-toolbar");
    if (!source || !area || !toolbar || !document.execCommand) { return; }
    area.innerHTML = source.value;
    source.hidden = true;
    area.hidden = false;
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-cmd]");
      if (!button) { return; }
      event.preventDefault();
      var cmd = button.getAttribute("data-cmd");
      var arg = button.getAttribute("data-arg");
      if (cmd === "createLink") {
        arg = window.prompt("链接地址（http:// 或 https:// 开头）", "https://");
        if (!arg || !/^https?:\/\//.test(arg)) { return; }
      }
      area.focus();
      document.execCommand(cmd, false, arg);
      source.value = area.innerHTML;
    });
    area.addEventListener("input", function () { source.value = area.innerHTML; });
    // Pasted text arrives as plain text: Word's styles never reach the body.
    area.addEventListener("paste", function (event) {
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      event.preventDefault();
      document.execCommand("insertText", false, text);
    });
    form.addEventListener("submit", function () { source.value = area.innerHTML; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("item-form");
    if (form) { setup(form); }
  });
})();
