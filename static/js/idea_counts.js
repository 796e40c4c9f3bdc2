/* An idea list's counts, live (docs/realtime.md, "Idea lists socket").

   <ul data-ideas-socket="/ws/ideas/institutions/<key>/" data-live-status="#ideas-live-status">
     <li data-idea="12" data-idea-status="received">
       <span class="idea-status idea-status--received">…</span>
       <span class="idea-supports">3 supports</span> · <span class="idea-replies">1 reply</span>

   On `ideas.counts` the idea's card, if this page shows it, takes the numbers and status as the
   server wrote them (in the page's language: the same words and digits as the list). Counts
   change silently (a screen reader finds the new number where it was); a new status is
   announced in the status element (role=status), like static/js/live_region.js. The list is
   not re-sorted. After a lost connection the page is read again once over HTTP and the cards'
   counts taken from it; refusals (4401, 4403, 4404) are final. Without JavaScript the list
   shows the counts as rendered. */
(function () {
  "use strict";

  var FINAL = [4401, 4403, 4404];

  function cardOf(list, id) {
    return list.querySelector('[data-idea="' + CSS.escape(String(id)) + '"]');
  }

  function setText(card, selector, text) {
    var element = card.querySelector(selector);
    if (element && typeof text === "string" && element.textContent !== text) {
      element.textContent = text;
    }
  }

  // values: {supports_label, replies_label, status, status_label}. Returns whether the
  // status changed.
  function apply(card, values) {
    setText(card, ".idea-supports", values.supports_label);
    setText(card, ".idea-replies", values.replies_label);
    var badge = card.querySelector(".idea-status");
    if (!badge || !values.status || card.getAttribute("data-idea-status") === values.status) {
      return false;
    }
    badge.classList.remove("idea-status--" + card.getAttribute("data-idea-status"));
    badge.classList.add("idea-status--" + values.status);
    badge.textContent = values.status_label;
    card.setAttribute("data-idea-status", values.status);
    return true;
  }

  function read(card) {
    var value = function (selector) {
      var element = card.querySelector(selector);
      return element ? element.textContent : null;
    };
    return {
      supports_label: value(".idea-supports"),
      replies_label: value(".idea-replies"),
      status: card.getAttribute("data-idea-status"),
      status_label: value(".idea-status")
    };
  }

  function watch(list) {
    var path = list.getAttribute("data-ideas-socket");
    var status = document.querySelector(list.getAttribute("data-live-status") || "#ideas-live-status");
    var delay = 1000;
    var opened = false;

    function announce(card, label) {
      var link = card.querySelector("h3 a");
      if (status) {
        status.textContent = (link ? link.textContent.trim() + ": " : "") + label;
      }
    }

    function resync() {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) {
            return;
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          page.querySelectorAll("[data-idea]").forEach(function (fresh) {
            var card = cardOf(list, fresh.getAttribute("data-idea"));
            if (card) {
              apply(card, read(fresh));
            }
          });
        })
        .catch(function () { /* the next change or reconnection tries again */ });
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var lang = document.documentElement.lang || "";
      var socket = new WebSocket(scheme + window.location.host + path + "?lang=" + encodeURIComponent(lang));
      socket.onopen = function () {
        if (opened) {
          resync();  // what changed while the connection was lost
        }
        opened = true;
        delay = 1000;
        list.setAttribute("data-live-state", "open");
      };
      socket.onmessage = function (message) {
        var frame;
        try {
          frame = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        if (frame.type !== "ideas.counts") {
          return;
        }
        var card = cardOf(list, frame.idea);
        if (card && apply(card, frame)) {
          announce(card, frame.status_label || "");
        }
      };
      socket.onclose = function (event) {
        list.setAttribute("data-live-state", "closed");
        if (FINAL.indexOf(event.code) !== -1) {
          return;
        }
        window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }

    connect();
  }

  document.querySelectorAll("[data-ideas-socket]").forEach(watch);
})();
