// A "Copy the link" button for a link shown once (the private status page): a served
// file, since the Content-Security-Policy allows no inline script. Without script the
// button stays hidden and the link can still be selected and copied by hand.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button, link) {
    var done = document.getElementById(link.id + "-copied");
    var say = function (text) {
      if (done) done.textContent = text;
    };
    if (!navigator.clipboard) {
      selectText(link);
      say("The link is selected: copy it with your device's Copy command.");
      return;
    }
    navigator.clipboard.writeText(link.href).then(
      function () {
        button.textContent = "Copied";
        say("The link is copied. Paste it somewhere private, such as a note only you can read.");
      },
      function () {
        selectText(link);
        say("We couldn't copy it: the link is selected, copy it with your device's Copy command.");
      }
    );
  }

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    var link = document.getElementById(button.getAttribute("data-copy-link"));
    if (!link) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button, link);
    });
  });
})();
