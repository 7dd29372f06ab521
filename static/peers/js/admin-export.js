// django-import-export's export page wires its "Select all" box with an inline
// onchange attribute, which our Content-Security-Policy blocks; wire it here instead.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.classList && target.classList.contains("select-toggle") && typeof onSelectToggleChange === "function") {
    onSelectToggleChange(event);
  }
});
