// The cart's delivery chooser without a reload: choosing a method, or asking for a postcode's
// options, posts the same form the page works with and swaps in the summary the server sends back
// (prices always come from the server). Without JavaScript the form posts and the page reloads.
(function () {
  function bind(summary) {
    var form = summary.querySelector("[data-delivery-form]");
    if (!form) return;
    var submit = form.querySelector("[data-delivery-submit]");
    if (submit) submit.style.display = "none"; // choosing a method applies it at once
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form, event.submitter);
    });
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-delivery-method]")) send(form, null);
    });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var focused = document.activeElement && document.activeElement.id;
    var chosen = form.querySelector("[data-delivery-method]:checked");
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.headers.get("Content-Type").startsWith("text/html")) throw new Error("not the summary");
        return response.text();
      })
      .then(function (html) {
        var old = document.getElementById("cart-summary");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#cart-summary");
        if (!old || !fresh) throw new Error("no summary");
        old.replaceWith(fresh);
        bind(fresh);
        var again = (focused && document.getElementById(focused)) ||
          (chosen && fresh.querySelector("[data-delivery-method][value='" + chosen.value + "']"));
        if (again) again.focus();
      })
      .catch(function () {
        form.submit(); // fall back to the plain form
      });
  }

  var summary = document.getElementById("cart-summary");
  if (summary) bind(summary);
})();
