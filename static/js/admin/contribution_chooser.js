/* The contribution chooser of outcome responses and decisions (consultations/outcomes/forms.py).
   Search results come from the admin's JSON view; ticking one moves it to the chosen list,
   whose checkboxes are what the form submits. Text is set with textContent only. */
(function () {
  "use strict";

  function item(name, id, label, checked) {
    var li = document.createElement("li");
    var labelEl = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = name;
    box.value = String(id);
    box.checked = checked;
    labelEl.appendChild(box);
    labelEl.appendChild(document.createTextNode(" " + label));
    li.appendChild(labelEl);
    return li;
  }

  function search(chooser) {
    var q = chooser.querySelector(".contribution-chooser__q").value;
    var status = chooser.querySelector(".contribution-chooser__status");
    var results = chooser.querySelector(".contribution-chooser__results");
    var url = chooser.dataset.url + "?consultation=" + encodeURIComponent(chooser.dataset.consultation) +
      "&q=" + encodeURIComponent(q);
    status.textContent = "…";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        results.textContent = "";
        if (!answer.ok) { status.textContent = answer.body.detail || ""; return; }
        var chosen = {};
        chooser.querySelectorAll(".contribution-chooser__chosen input").forEach(function (box) {
          chosen[box.value] = true;
        });
        var shown = 0;
        answer.body.results.forEach(function (row) {
          if (chosen[String(row.id)]) { return; }
          results.appendChild(item("", row.id, row.label, false));
          shown += 1;
        });
        status.textContent = shown ? "" : chooser.dataset.empty;
      })
      .catch(function () { status.textContent = "⚠"; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".contribution-chooser__go");
    if (button) { event.preventDefault(); search(button.closest(".contribution-chooser")); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList.contains("contribution-chooser__q")) {
      event.preventDefault();
      search(event.target.closest(".contribution-chooser"));
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    var results = box.closest(".contribution-chooser__results");
    if (!results || !box.checked) { return; }
    var chooser = box.closest(".contribution-chooser");
    box.name = chooser.dataset.name;
    chooser.querySelector(".contribution-chooser__chosen").appendChild(box.closest("li"));
  });
})();
