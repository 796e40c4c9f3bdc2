/* The front door's contribution counter, live (docs/realtime.md, "Activity socket").

   <dl data-activity-socket="/ws/activity/">
     <dd data-figure="contributions" data-count="1234">1234</dd>

   Each `activity.contribution` frame (a contribution published on a page anyone may read) adds
   one, written with the digits the page uses. The number changes silently: it is not announced
   (a screen reader finds it where it was). After a lost connection the page is read again once
   and its count taken if higher. Without JavaScript the figure is the one rendered. */
(function () {
  "use strict";

  var ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

  function written(count, sample) {
    var text = String(count);
    if (/[٠-٩]/.test(sample)) {
      text = text.replace(/[0-9]/g, function (digit) { return ARABIC_INDIC[Number(digit)]; });
    }
    return text;
  }

  function watch(figures) {
    var figure = figures.querySelector('[data-figure="contributions"]');
    if (!figure) {
      return;
    }
    var path = figures.getAttribute("data-activity-socket");
    var delay = 1000;
    var opened = false;

    function show(count) {
      figure.setAttribute("data-count", String(count));
      figure.textContent = written(count, figure.textContent);
    }

    function current() {
      return Number(figure.getAttribute("data-count")) || 0;
    }

    function resync() {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) {
            return;
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector('[data-figure="contributions"]');
          var count = fresh ? Number(fresh.getAttribute("data-count")) : 0;
          if (count > current()) {
            show(count);
          }
        })
        .catch(function () { /* the next reconnection tries again */ });
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var lang = document.documentElement.lang || "";
      var socket = new WebSocket(scheme + window.location.host + path + "?lang=" + encodeURIComponent(lang));
      socket.onopen = function () {
        if (opened) {
          resync();
        }
        opened = true;
        delay = 1000;
        figures.setAttribute("data-live-state", "open");
      };
      socket.onmessage = function (message) {
        var frame;
        try {
          frame = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        if (frame.type === "activity.contribution") {
          show(current() + 1);
        }
      };
      socket.onclose = function () {
        figures.setAttribute("data-live-state", "closed");
        window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }

    connect();
  }

  document.querySelectorAll("[data-activity-socket]").forEach(watch);
})();
