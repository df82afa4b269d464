// A size sold in cases: the quantity box steps by the case of the size chosen (the server checks it too).
document.addEventListener("change", function (event) {
  var radio = event.target;
  if (!radio.matches || !radio.matches(".buy-form input[name=variant_id]")) return;
  var quantity = radio.form.querySelector("#quantity");
  if (!quantity) return;
  var step = parseInt(radio.dataset.case, 10) || 1;
  var value = parseInt(quantity.value, 10) || 0;
  quantity.step = step;
  quantity.min = step;
  if (value < step || value % step) quantity.value = Math.max(step, Math.round(value / step) * step);
});
