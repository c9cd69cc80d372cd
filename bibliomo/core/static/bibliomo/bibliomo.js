// Small behaviours of the pages, here rather than inline: the Content-Security-Policy
// allows scripts from this site only ("script-src 'self'").

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
