// Shows a conditional question only while the earlier answer it depends on is chosen
// (questionnaires/templates/questionnaires/questionnaire_page.html). Without this script every
// question is shown with a note saying when to answer it; the server drops hidden answers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-questionnaire]");
  if (!form) return;
  var conditional = form.querySelectorAll("[data-show-if]");
  if (!conditional.length) return;

  function chosen(name) {
    var values = [];
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if (input.checked) values.push(input.value);
    });
    return values;
  }

  function visible(element) {
    return !element.closest("[data-show-if][hidden]");
  }

  function update() {
    conditional.forEach(function (question) {
      var wanted = question.getAttribute("data-show-if-options").split(" ");
      var name = question.getAttribute("data-show-if");
      var source = form.querySelector('[name="' + name + '"]');
      var on = source && visible(source) && chosen(name).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      question.hidden = !on;
    });
  }

  form.addEventListener("change", update);
  update();
})();
