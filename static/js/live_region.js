/* A part of the page that re-reads itself when its socket says it changed (the request page,
   the staff's request queue: docs/realtime.md, "Request sockets").

   <div data-live-socket="/ws/requests/KEF-26-…/" data-live-status="#live-status">…</div>

   On `request.changed` the page is fetched again and the region's content replaced; what the
   reader was typing in it is kept. The change is announced in the status element (role=status).
   After a lost connection the region re-reads itself once; refusals (4401, 4403, 4404) are
   final. */
(function () {
  "use strict";

  var FINAL = [4401, 4403, 4404];

  function changed(field) {
    if (field.tagName === "SELECT") {
      var chosen = field.options[field.selectedIndex];
      return chosen && !chosen.defaultSelected;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    return field.value !== field.defaultValue;
  }

  function typed(region) {
    var values = {};
    region.querySelectorAll("textarea, select, input:not([type=hidden]):not([type=file])").forEach(function (field) {
      if (field.name && changed(field)) {
        values[field.name] = (field.type === "checkbox" || field.type === "radio") ? field.checked : field.value;
      }
    });
    return values;
  }

  function restore(region, values) {
    Object.keys(values).forEach(function (name) {
      var field = region.querySelector('[name="' + CSS.escape(name) + '"]');
      if (!field) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values[name];
      } else {
        field.value = values[name];
      }
    });
  }

  function watch(region) {
    var path = region.getAttribute("data-live-socket");
    var status = document.querySelector(region.getAttribute("data-live-status") || "#live-status");
    var delay = 1000;
    var opened = false;

    function refresh(label) {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) {
            return;
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector('[data-live-socket="' + CSS.escape(path) + '"]');
          if (!fresh) {
            return;
          }
          var values = typed(region);
          region.innerHTML = fresh.innerHTML;
          restore(region, values);
          if (status && label) {
            status.textContent = label;
          }
        })
        .catch(function () { /* the next change or reconnection tries again */ });
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var lang = document.documentElement.lang || "";
      var socket = new WebSocket(scheme + window.location.host + path + "?lang=" + encodeURIComponent(lang));
      socket.onopen = function () {
        if (opened) {
          refresh(null);  // what changed while the connection was lost
        }
        opened = true;
        delay = 1000;
        region.setAttribute("data-live-state", "open");
      };
      socket.onmessage = function (message) {
        var frame;
        try {
          frame = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        if (frame.type === "request.changed") {
          refresh(frame.stage_label || "");
        } else if (frame.type === "results.changed") {
          refresh(frame.label || "");  // a questionnaire's results (questionnaires/live.py)
        }
      };
      socket.onclose = function (event) {
        region.setAttribute("data-live-state", "closed");
        if (FINAL.indexOf(event.code) !== -1) {
          return;
        }
        window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }

    connect();
  }

  document.querySelectorAll("[data-live-socket]").forEach(watch);
})();
