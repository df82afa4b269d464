// After a failed save, take the person to what went wrong: focus the error summary (it is
// announced and scrolled into view); its links focus the field and show its label too.
// Without JavaScript the summary is still at the top of the page and its links still work.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label && !label.classList.contains("visually-hidden") ? label : field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
