// Small behaviours of the pages, here rather than inline: the Content-Security-Policy
// allows scripts from this site only ("script-src 'self'").

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// The menu button of narrow screens: the menu opens and closes from it. Without this script
// the menu stays a plain wrapped list (the stylesheet hides it only under html.js).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".nav-toggle");
  if (!button) {
    return;
  }
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  menu.classList.toggle("nav--open", open);
});
