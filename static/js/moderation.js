/* Majlis — the live moderation queue (docs/realtime.md, "Moderation socket").
 *
 * The queue page is the record; the socket only says it changed: an item another moderator
 * acted on is greyed out with "Hidden by Sami", and a bar offers to refresh when new items
 * arrive. Every field from a frame is set with textContent.
 */
(function () {
  "use strict";

  function _(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }
  function interpolate(format, values) {
    if (typeof window.interpolate === "function") return window.interpolate(format, values, true);
    return format.replace(/%\(\w+\)s/g, function (match) {
      return String(values[match.slice(2, -2)]);
    });
  }

  var NO_RETRY = { 4009: true, 4400: true, 4401: true, 4403: true, 4404: true };

  function Queue(root) {
    this.root = root;
    this.userId = root.getAttribute("data-user-id") || "";
    this.wsUrl = root.getAttribute("data-ws-url") || "/ws/moderation/";
    this.bar = root.querySelector(".moderation-live__bar");
    this.status = root.querySelector(".moderation-live__status");
    this.attempt = 0;
    this.ws = null;
    this.timer = null;
    this.finished = false;
    this.connect();
  }

  Queue.prototype.setLive = function (state) {
    this.root.setAttribute("data-live", state);
    if (!this.status) return;
    this.status.setAttribute("data-state", state);
    this.status.textContent = {
      connecting: _("Connecting…"),
      connected: _("Live"),
      reconnecting: _("Reconnecting…"),
      closed: _("Live updates unavailable: reload the page to see changes"),
    }[state] || "";
  };

  Queue.prototype.connect = function () {
    if (this.finished) return;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.ws) {
      this.ws.onclose = this.ws.onmessage = null;
      try {
        this.ws.close(1000);
      } catch (e) {
        /* already closed */
      }
    }
    this.setLive(this.attempt ? "reconnecting" : "connecting");
    var scheme = window.location.protocol === "https:" ? "wss" : "ws";
    var lang = document.documentElement.lang || "";
    var url = scheme + "://" + window.location.host + this.wsUrl + (lang ? "?lang=" + encodeURIComponent(lang) : "");
    var self = this;
    var ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onmessage = function (event) {
      if (self.ws === ws) self.onMessage(event);
    };
    ws.onclose = function (event) {
      if (self.ws !== ws) return;
      self.ws = null;
      if (NO_RETRY[event.code]) {
        self.finished = true;
        self.setLive("closed");
      } else {
        self.retry();
      }
    };
  };

  // min(30 s, 0.5 s × 2^attempt), ±50 % jitter, as the thread client.
  Queue.prototype.retry = function () {
    if (this.finished || this.timer) return;
    this.setLive("reconnecting");
    var delay = Math.min(30000, 500 * Math.pow(2, this.attempt)) * (0.5 + Math.random());
    this.attempt += 1;
    var self = this;
    this.timer = setTimeout(function () {
      self.timer = null;
      self.connect();
    }, delay);
  };

  Queue.prototype.wake = function () {
    if (this.finished) return;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) {
      this.attempt = Math.min(this.attempt, 1);
      this.connect();
    }
  };

  Queue.prototype.onMessage = function (event) {
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame.type !== "string") return;
    switch (frame.type) {
      case "moderation.hello":
        this.attempt = 0;
        this.setLive("connected");
        break;
      case "moderation.decided":
        this.decided(frame);
        break;
      case "moderation.pending":
      case "moderation.flagged":
        // Whatever the tab: its counts changed too.
        if (!this.item(frame.id)) this.showBar();
        break;
      default:
        break;
    }
  };

  Queue.prototype.item = function (id) {
    if (id === undefined || id === null) return null;
    return document.querySelector('[data-contribution-id="' + String(Number(id)) + '"]');
  };

  Queue.prototype.decided = function (frame) {
    if (this.userId && String(frame.actor_id) === this.userId) return; // the page reloads after one's own action
    var item = this.item(frame.id);
    if (!item) return;
    item.classList.add("moderation-item--decided");
    var actions = item.querySelector(".moderation-item__actions");
    if (actions) {
      var controls = actions.querySelectorAll("button, input, select, textarea");
      for (var i = 0; i < controls.length; i++) controls[i].disabled = true;
    }
    var line = item.querySelector(".moderation-item__decided");
    if (!line) {
      line = document.createElement("p");
      line.className = "moderation-item__decided";
      line.setAttribute("role", "status");
      var title = item.querySelector("h2");
      if (title) title.insertAdjacentElement("afterend", line);
      else item.insertBefore(line, item.firstChild);
    }
    // Names and labels isolated (U+2068…U+2069): an Arabic name in a French line, or the reverse.
    function isolate(text) {
      return text ? "\u2068" + text + "\u2069" : "";
    }
    var values = {
      action: frame.action_label || frame.action || "",
      actor: isolate(frame.actor || ""),
      reason: isolate(frame.reason_label || ""),
    };
    line.textContent = values.reason
      ? interpolate(_("%(action)s by %(actor)s (%(reason)s)"), values)
      : interpolate(_("%(action)s by %(actor)s"), values);
  };

  // The bar is a status region present from the start (empty), so filling it is announced.
  Queue.prototype.showBar = function () {
    if (!this.bar || this.bar.firstChild) return;
    var text = document.createElement("span");
    text.textContent = _("New items in the queue.") + " ";
    var link = document.createElement("a");
    link.className = "moderation-live__refresh";
    link.href = window.location.href;
    link.textContent = _("Refresh");
    this.bar.appendChild(text);
    this.bar.appendChild(link);
    this.bar.classList.add("moderation-live__bar--shown");
  };

  function start() {
    if (!("WebSocket" in window)) return;
    var root = document.querySelector("[data-moderation-live]");
    if (!root) return;
    var queue = new Queue(root);
    function wake() {
      if (document.visibilityState !== "hidden") queue.wake();
    }
    document.addEventListener("visibilitychange", wake);
    window.addEventListener("online", wake);
    window.majlisModeration = {
      state: function () {
        return { live: root.getAttribute("data-live") };
      },
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
