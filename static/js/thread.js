/* Majlis — live threads (docs/realtime.md, "Thread socket").
 *
 * Progressive enhancement of section.thread[data-thread-key]: the page works without this
 * file (plain forms post, a reload shows what is new). With it, the page follows the thread's
 * events over a websocket, posts and reacts over the socket when it is open, and falls back
 * to the plain form otherwise.
 *
 * Safety: the only HTML ever parsed is a frame's `html` field (rendered and escaped by the
 * server, deliberation.rendering), through a <template>; every other field (messages, names,
 * counts) is set with textContent.
 */
(function () {
  "use strict";

  // --- Translations (Django's JavaScriptCatalog; identity when it did not load) -------------
  function _(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }
  function ngettext(singular, plural, count) {
    if (typeof window.ngettext === "function") return window.ngettext(singular, plural, count);
    return count === 1 ? singular : plural;
  }
  function interpolate(format, values, named) {
    if (typeof window.interpolate === "function") return window.interpolate(format, values, named);
    if (named) {
      return format.replace(/%\(\w+\)s/g, function (match) {
        return String(values[match.slice(2, -2)]);
      });
    }
    var index = 0;
    return format.replace(/%s/g, function () {
      return String(values[index++]);
    });
  }

  // --- Small helpers -------------------------------------------------------------------------
  var NO_RETRY = { 4009: true, 4400: true, 4401: true, 4403: true, 4404: true };
  var POST_TIMEOUT = 10000;
  var PONG_TIMEOUT = 10000;
  var PING_EVERY = 30000;
  var MAX_FRAME = 16000; // a little under DELIBERATION_REALTIME_MAX_FRAME (16,384): never earn a 4009.

  function uuid4() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (e) {
        /* not a secure context: below */
      }
    }
    var bytes = new Array(16);
    if (c && typeof c.getRandomValues === "function") {
      var buffer = new Uint8Array(16);
      c.getRandomValues(buffer);
      for (var i = 0; i < 16; i++) bytes[i] = buffer[i];
    } else {
      for (var j = 0; j < 16; j++) bytes[j] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = bytes.map(function (b) {
      return (b + 0x100).toString(16).slice(1);
    });
    return (
      hex.slice(0, 4).join("") + "-" + hex.slice(4, 6).join("") + "-" + hex.slice(6, 8).join("") +
      "-" + hex.slice(8, 10).join("") + "-" + hex.slice(10, 16).join("")
    );
  }

  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function storageSet(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* private mode or full: nothing to keep */
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function childBySelector(parent, selector) {
    for (var node = parent.firstElementChild; node; node = node.nextElementSibling) {
      if (node.matches(selector)) return node;
    }
    return null;
  }

  function contributionId(li) {
    var match = /^contribution-(\d+)$/.exec(li.id || "");
    return match ? Number(match[1]) : null;
  }

  function inViewport(node) {
    var rect = node.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < (window.innerHeight || document.documentElement.clientHeight);
  }

  // --- One live thread -----------------------------------------------------------------------
  function LiveThread(section) {
    this.section = section;
    this.key = section.getAttribute("data-thread-key");
    this.wsUrl = section.getAttribute("data-ws-url") || "/ws/threads/" + this.key + "/";
    this.lang = section.getAttribute("data-lang") || document.documentElement.lang || "";
    this.signedIn = section.getAttribute("data-signed-in") === "true";
    this.csrf = section.getAttribute("data-csrf") || "";
    this.seq = parseInt(section.getAttribute("data-thread-seq"), 10) || 0;
    this.event = null; // the server's token of the event at this.seq, once a frame told it

    this.ws = null;
    this.connected = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.finished = false; // closed for good: no reconnect
    this.pingTimer = null;
    this.pongTimer = null;
    this.replayAskedAt = 0; // when we last sent `replay` for a gap (0: no gap)
    this.backlogUntil = 0; // events up to this seq are the backlog of this connection
    this.pending = {}; // request_id -> {kind, timer, ...}
    this.requestCounter = 0;
    this.mine = new Set(this.loadMine());
    this.locked = null;
    this.open = null;
    this.closedByLive = false;

    this.unseen = [];
    this.announced = { names: [], timer: null };

    this.buildUi();
    this.setAppliedSeq(this.seq);
    this.restoreDrafts();
    this.bindForms();
    this.connect();
  }

  LiveThread.prototype.storageKey = function (what) {
    return "majlis:" + what + ":" + this.key;
  };

  LiveThread.prototype.loadMine = function () {
    var list;
    try {
      list = JSON.parse(storageGet(this.storageKey("mine")) || "[]");
      if (!Array.isArray(list)) list = [];
    } catch (e) {
      list = [];
    }
    // The page marks the reader's own contributions (rendered for them).
    var own = this.section.querySelectorAll("li.contribution--mine");
    for (var i = 0; i < own.length; i++) {
      var id = parseInt(own[i].id.replace("contribution-", ""), 10);
      if (!isNaN(id)) list.push(id);
    }
    return list;
  };

  LiveThread.prototype.rememberMine = function (id) {
    this.mine.add(id);
    storageSet(this.storageKey("mine"), JSON.stringify(Array.from(this.mine).slice(-200)));
  };

  // --- The elements this script adds ---------------------------------------------------------
  LiveThread.prototype.buildUi = function () {
    var section = this.section;
    var heading = section.querySelector("h2");

    // Connection state and readers, under the heading. Not a live region: it changes often.
    this.meta = el("p", "thread__live");
    this.statusNode = el("span", "thread__status");
    this.watchersNode = el("span", "thread__watchers");
    this.watchersNode.hidden = true;
    this.meta.appendChild(this.statusNode);
    this.meta.appendChild(this.watchersNode);
    if (heading && heading.parentNode === section) heading.insertAdjacentElement("afterend", this.meta);
    else section.insertBefore(this.meta, section.firstChild);

    // One polite live region for screen readers.
    this.liveRegion = el("div", "thread__sr");
    this.liveRegion.setAttribute("aria-live", "polite");
    this.liveRegion.setAttribute("aria-atomic", "true");
    section.appendChild(this.liveRegion);

    // The "N new contributions" bar.
    this.news = el("div", "thread__news");
    this.news.hidden = true;
    this.newsText = el("span", "thread__news-text");
    this.newsButton = el("button", "button thread__news-show", _("Show"));
    this.newsButton.type = "button";
    this.news.appendChild(this.newsText);
    this.news.appendChild(this.newsButton);
    section.appendChild(this.news);
    this.newsButton.addEventListener("click", this.showUnseen.bind(this));

    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver(this.onSeen.bind(this), { threshold: 0 });
    }

    // Feedback next to the posting form.
    this.form = section.querySelector("form.thread__form");
    if (this.form) {
      this.formError = el("div", "thread__error");
      this.formError.setAttribute("role", "alert");
      this.formError.id = "thread-error-" + this.key;
      this.formStatus = el("p", "thread__feedback");
      this.formStatus.setAttribute("role", "status");
      var actions = this.form.querySelector(".form-actions");
      this.form.insertBefore(this.formError, actions || null);
      this.form.appendChild(this.formStatus);
    }

    this.setLive("connecting");
  };

  LiveThread.prototype.setLive = function (state) {
    this.section.setAttribute("data-live", state);
    this.statusNode.setAttribute("data-state", state);
    var text = {
      connecting: _("Connecting…"),
      connected: _("Live"),
      reconnecting: _("Reconnecting…"),
      closed: _("Live updates unavailable: reload the page to see new contributions"),
    }[state];
    this.statusNode.textContent = text || "";
  };

  LiveThread.prototype.setAppliedSeq = function (seq) {
    this.seq = seq;
    this.section.setAttribute("data-applied-seq", String(seq));
  };

  // --- Connection ----------------------------------------------------------------------------
  LiveThread.prototype.url = function () {
    var scheme = window.location.protocol === "https:" ? "wss" : "ws";
    var query = "?since=" + encodeURIComponent(this.seq);
    // Lets the server notice that its database went back (a restore) while we were away.
    if (this.event) query += "&event=" + encodeURIComponent(this.event);
    if (this.lang) query += "&lang=" + encodeURIComponent(this.lang);
    return scheme + "://" + window.location.host + this.wsUrl + query;
  };

  LiveThread.prototype.connect = function () {
    if (this.finished) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.drop();
    var ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.lastError = null;
    this.replayAskedAt = 0;
    var self = this;
    ws.onmessage = function (event) {
      if (self.ws === ws) self.onMessage(event);
    };
    ws.onclose = function (event) {
      if (self.ws === ws) self.onClose(event);
    };
  };

  // Forget the current socket (its late events are ignored) and close it.
  LiveThread.prototype.drop = function () {
    var ws = this.ws;
    this.ws = null;
    this.connected = false;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = null;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      try {
        ws.close(1000);
      } catch (e) {
        /* already closed */
      }
    }
  };

  LiveThread.prototype.onClose = function (event) {
    this.ws = null;
    this.connected = false;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.fallBackPending();
    if (NO_RETRY[event.code] || this.finished) {
      this.finish();
      return;
    }
    this.scheduleReconnect();
  };

  LiveThread.prototype.finish = function () {
    this.finished = true;
    this.drop();
    clearTimeout(this.retryTimer);
    this.setLive("closed");
  };

  // min(30 s, 0.5 s × 2^attempt), ±50 % jitter (docs/realtime.md, "Reconnecting").
  LiveThread.prototype.scheduleReconnect = function () {
    if (this.finished || this.retryTimer) return;
    this.setLive("reconnecting");
    var base = Math.min(30000, 500 * Math.pow(2, this.attempt));
    var delay = base * (0.5 + Math.random());
    this.attempt += 1;
    var self = this;
    this.retryTimer = setTimeout(function () {
      self.retryTimer = null;
      self.connect();
    }, delay);
  };

  // Back from sleep, back online, tab visible again: check now instead of waiting.
  LiveThread.prototype.wake = function () {
    if (this.finished) return;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ping();
    } else if (!this.ws || this.ws.readyState !== WebSocket.CONNECTING) {
      this.attempt = Math.min(this.attempt, 1);
      this.connect();
    }
  };

  LiveThread.prototype.ping = function () {
    if (!this.send({ type: "ping" }) || this.pongTimer) return;
    var self = this;
    this.pongTimer = setTimeout(function () {
      // No answer: the connection is dead (sleep, network change). Start a new one.
      self.pongTimer = null;
      self.fallBackPending();
      self.drop();
      self.scheduleReconnect();
    }, PONG_TIMEOUT);
  };

  LiveThread.prototype.send = function (frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      return false;
    }
  };

  LiveThread.prototype.isLive = function () {
    return this.connected && !!this.ws && this.ws.readyState === WebSocket.OPEN;
  };

  // --- Frames --------------------------------------------------------------------------------
  LiveThread.prototype.onMessage = function (event) {
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
    if (frame.type === "thread.hello") {
      this.onHello(frame);
    } else if (typeof frame.seq === "number") {
      this.onSequenced(frame);
    } else {
      this.onUnsequenced(frame);
    }
  };

  LiveThread.prototype.onHello = function (frame) {
    this.connected = true;
    this.attempt = 0;
    this.setLive("connected");
    this.backlogUntil = typeof frame.seq === "number" ? frame.seq : 0;
    if (frame.seq === this.seq && typeof frame.event === "string") this.event = frame.event;
    if (typeof frame.watchers === "number") this.showWatchers(frame.watchers);
    if (typeof frame.open === "boolean") this.open = frame.open;
    if (typeof frame.locked === "boolean") this.locked = frame.locked;
    if (this.open !== null && this.locked !== null) {
      var accepting = this.open && !this.locked;
      if (!accepting && !this.closedByLive && this.formVisible()) {
        this.setAccepting(
          false,
          this.locked
            ? _("A moderator has locked this thread: no new contributions.")
            : _("This discussion is closed to new contributions.")
        );
      } else if (accepting && this.closedByLive) {
        this.setAccepting(true, "");
      }
    }
    var self = this;
    // A reload that led to a working connection: the next one may reload again.
    setTimeout(function () {
      if (self.connected) storageSet(self.storageKey("reloaded"), null);
    }, 15000);
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(function () {
      self.ping();
    }, PING_EVERY);
  };

  LiveThread.prototype.onSequenced = function (frame) {
    if (frame.seq <= this.seq) return; // already applied
    if (frame.seq !== this.seq + 1) {
      // A gap: ask once for what is missing, ignore what follows until it is filled.
      var now = Date.now();
      if (!this.replayAskedAt || now - this.replayAskedAt > POST_TIMEOUT) {
        this.replayAskedAt = now;
        this.send({ type: "replay", since: this.seq });
      }
      return;
    }
    this.replayAskedAt = 0;
    var quiet = frame.seq <= this.backlogUntil;
    try {
      this.apply(frame, quiet);
    } finally {
      this.setAppliedSeq(frame.seq);
      this.event = typeof frame.event === "string" ? frame.event : null;
    }
    if (quiet && frame.seq === this.backlogUntil) this.flushAnnouncements();
  };

  LiveThread.prototype.onUnsequenced = function (frame) {
    switch (frame.type) {
      case "thread.watchers":
        if (typeof frame.count === "number") this.showWatchers(frame.count);
        break;
      case "thread.phase":
        this.apply(frame, false);
        break;
      case "thread.reload":
        this.reload();
        break;
      case "ack":
        this.onAck(frame);
        break;
      case "error":
        this.onError(frame);
        break;
      case "account.suspended":
        this.finished = true;
        this.setAccepting(false, frame.message || "");
        this.finish();
        break;
      case "pong":
        clearTimeout(this.pongTimer);
        this.pongTimer = null;
        break;
      default:
        break;
    }
  };

  LiveThread.prototype.apply = function (frame, quiet) {
    switch (frame.type) {
      case "contribution.published":
        this.upsert(frame, { insert: true, quiet: quiet });
        break;
      case "contribution.hidden":
        this.upsert(frame, { insert: false, quiet: quiet });
        if (!quiet) this.announce(_("A contribution was removed by moderation."));
        break;
      case "contribution.edited":
      case "contribution.restored":
      case "contribution.pinned":
      case "contribution.official":
        this.upsert(frame, { insert: false, quiet: quiet });
        break;
      case "contribution.withdrawn":
        this.withdraw(frame.id);
        break;
      case "contribution.reactions":
        this.setCounts(frame.id, frame.agree, frame.disagree);
        break;
      case "thread.locked":
        this.locked = !!frame.locked;
        this.setAccepting(!this.locked && this.open !== false, frame.message || "");
        break;
      case "thread.phase":
        this.open = !!frame.open;
        this.setAccepting(this.open && !this.locked, frame.message || "");
        if (typeof frame.reactions === "boolean") this.setReactions(frame.reactions);
        break;
      default:
        break;
    }
  };

  // --- Contributions -------------------------------------------------------------------------
  LiveThread.prototype.findLi = function (id) {
    var node = document.getElementById("contribution-" + id);
    return node && node.tagName === "LI" && this.section.contains(node) ? node : null;
  };

  LiveThread.prototype.parseLi = function (html) {
    if (typeof html !== "string") return null;
    var template = document.createElement("template");
    template.innerHTML = html;
    var li = template.content.querySelector("li");
    return li && li.querySelector("article") ? li : null;
  };

  // Keep what the reader is looking at in place while the DOM above it changes.
  LiveThread.prototype.anchor = function () {
    var viewport = window.innerHeight || document.documentElement.clientHeight;
    var box = this.section.getBoundingClientRect();
    if (box.top >= viewport) return null; // the thread is below: nothing above the reader moves
    if (box.bottom > 0) {
      var cards = this.section.querySelectorAll(".contribution__card");
      // Cards are laid out in document order: find the first one not above the viewport.
      var low = 0;
      var high = cards.length;
      while (low < high) {
        var mid = (low + high) >> 1;
        if (cards[mid].getBoundingClientRect().bottom > 0) high = mid;
        else low = mid + 1;
      }
      if (low < cards.length) return cards[low];
    }
    // The reader is past the thread (or past its last card): anchor on what follows.
    var node = this.section;
    while (node && !node.nextElementSibling) node = node.parentElement;
    return node ? node.nextElementSibling : null;
  };

  LiveThread.prototype.keepPlace = function (change) {
    var anchor = this.anchor();
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) {
      // Browsers with CSS scroll anchoring have already compensated: then the delta is 0.
      var delta = anchor.getBoundingClientRect().top - before;
      if (Math.abs(delta) >= 1) window.scrollBy(0, delta);
    }
  };

  // What the server rendered for any signed-in reader, adjusted for this one.
  LiveThread.prototype.prepare = function (article, id) {
    if (this.csrf) {
      var inputs = article.querySelectorAll('input[name="csrfmiddlewaretoken"]');
      for (var i = 0; i < inputs.length; i++) if (!inputs[i].value) inputs[i].value = this.csrf;
    }
    if (this.mine.has(id)) this.stripOwnControls(article);
    if (this.reactionsClosed) this.disableReactions(article, true);
  };

  // The fragment is the same for every signed-in reader: keep what was this reader's own
  // (the reaction they chose, a report they made) from the article it replaces.
  LiveThread.prototype.carryOver = function (oldArticle, newArticle) {
    if (!oldArticle) return;
    var before = oldArticle.querySelectorAll("button.reaction");
    var after = newArticle.querySelectorAll("button.reaction");
    for (var i = 0; i < before.length && i < after.length; i++) {
      if (before[i].getAttribute("aria-pressed") === "true") {
        after[i].setAttribute("aria-pressed", "true");
        after[i].value = before[i].value;
      }
    }
    var flagged = oldArticle.querySelector(".contribution__flagged");
    var report = newArticle.querySelector('a[href$="/flag/"]');
    if (flagged && report) report.parentNode.replaceChild(flagged.cloneNode(true), report);
  };

  // No agreeing with or reporting oneself: show the counts as plain text, offer Edit.
  LiveThread.prototype.stripOwnControls = function (article) {
    var form = article.querySelector("form.reactions");
    if (form) {
      var plain = el("p", "reactions");
      var buttons = form.querySelectorAll("button.reaction");
      for (var i = 0; i < buttons.length; i++) {
        var count = buttons[i].querySelector(".reaction__count");
        var label = buttons[i].firstChild && buttons[i].firstChild.nodeType === 3
          ? buttons[i].firstChild.nodeValue.trim()
          : "";
        if (i > 0) plain.appendChild(document.createTextNode(" · "));
        plain.appendChild(document.createTextNode(label + " "));
        plain.appendChild(el("span", "reaction__count", count ? count.textContent : "0"));
      }
      form.parentNode.replaceChild(plain, form);
    }
    var report = article.querySelector('.contribution__actions a[href$="/flag/"]');
    if (report) {
      var href = report.getAttribute("href");
      var footer = report.parentNode;
      footer.removeChild(report);
      if (!footer.querySelector('a[href$="/edit/"]')) {
        var edit = el("a", null, _("Edit"));
        edit.href = href.replace(/flag\/$/, "edit/");
        footer.appendChild(document.createTextNode(" "));
        footer.appendChild(edit);
      }
    }
  };

  LiveThread.prototype.topList = function (create) {
    var list = this.section.querySelector("ol.thread__list");
    if (list || !create) return list;
    list = el("ol", "thread__list");
    var empty = this.section.querySelector(".thread__empty");
    if (empty) {
      empty.parentNode.replaceChild(list, empty);
    } else {
      this.section.insertBefore(list, this.liveRegion);
    }
    return list;
  };

  LiveThread.prototype.listFor = function (parentId) {
    var parent = parentId !== null && parentId !== undefined ? this.findLi(parentId) : null;
    if (!parent) return this.topList(true);
    var replies = childBySelector(parent, "ol.thread__replies");
    if (!replies) {
      replies = el("ol", "thread__replies");
      parent.appendChild(replies);
    }
    return replies;
  };

  LiveThread.prototype.insertInOrder = function (list, li) {
    var path = li.getAttribute("data-path") || "";
    for (var node = list.firstElementChild; node; node = node.nextElementSibling) {
      var other = node.getAttribute("data-path");
      if (path && other && other > path) {
        list.insertBefore(li, node);
        return;
      }
    }
    list.appendChild(li);
  };

  LiveThread.prototype.upsert = function (frame, options) {
    var id = frame.id;
    var fresh = this.parseLi(frame.html);
    if (!fresh || typeof id !== "number") return;
    if (frame.path && !fresh.getAttribute("data-path")) fresh.setAttribute("data-path", frame.path);
    var existing = this.findLi(id);
    var self = this;
    if (existing) {
      var oldArticle = childBySelector(existing, "article");
      var newArticle = childBySelector(fresh, "article");
      if (!newArticle) return;
      var hadFocus = oldArticle && oldArticle.contains(document.activeElement);
      this.carryOver(oldArticle, newArticle);
      this.prepare(newArticle, id);
      this.keepPlace(function () {
        if (oldArticle) existing.replaceChild(newArticle, oldArticle);
        else existing.insertBefore(newArticle, existing.firstChild);
        existing.className = fresh.className;
        if (fresh.getAttribute("data-path")) existing.setAttribute("data-path", fresh.getAttribute("data-path"));
      });
      if (hadFocus) {
        newArticle.setAttribute("tabindex", "-1");
        newArticle.focus({ preventScroll: true });
      }
      return;
    }
    if (!options.insert) return;
    // Replies come with the contributions that publish them: keep the fragment's own li only.
    var replies = childBySelector(fresh, "ol.thread__replies");
    if (replies && !replies.children.length) fresh.removeChild(replies);
    this.prepare(childBySelector(fresh, "article"), id);
    var mine = this.mine.has(id);
    if (!mine) {
      // Highlighted for a moment (CSS), then an ordinary contribution.
      fresh.classList.add("contribution--new");
      setTimeout(function () {
        fresh.classList.remove("contribution--new");
      }, 4000);
    }
    this.keepPlace(function () {
      self.insertInOrder(self.listFor(frame.parent), fresh);
    });
    if (mine) return;
    if (!inViewport(fresh)) this.addUnseen(fresh);
    var author = fresh.querySelector(".contribution__author");
    this.queueAnnouncement(author ? author.textContent.trim() : "", options.quiet);
  };

  LiveThread.prototype.withdraw = function (id) {
    var li = this.findLi(id);
    if (!li) return;
    var replies = childBySelector(li, "ol.thread__replies");
    this.keepPlace(function () {
      if (replies && replies.children.length) {
        var article = childBySelector(li, "article");
        if (article) li.removeChild(article);
      } else {
        li.parentNode.removeChild(li);
      }
    });
    this.forgetUnseen(li);
  };

  LiveThread.prototype.setCounts = function (id, agree, disagree) {
    var li = this.findLi(id);
    var article = li && childBySelector(li, "article");
    if (!article) return;
    var counts = article.querySelectorAll(".reactions .reaction__count");
    if (counts.length >= 2) {
      if (typeof agree === "number") counts[0].textContent = String(agree);
      if (typeof disagree === "number") counts[1].textContent = String(disagree);
    }
  };

  // --- "N new contributions" -----------------------------------------------------------------
  LiveThread.prototype.addUnseen = function (li) {
    this.unseen.push(li);
    var article = childBySelector(li, "article") || li;
    if (this.observer) this.observer.observe(article);
    this.updateNews();
  };

  LiveThread.prototype.forgetUnseen = function (li) {
    var index = this.unseen.indexOf(li);
    if (index === -1) return;
    this.unseen.splice(index, 1);
    var article = childBySelector(li, "article");
    if (this.observer && article) this.observer.unobserve(article);
    this.updateNews();
  };

  LiveThread.prototype.onSeen = function (entries) {
    for (var i = 0; i < entries.length; i++) {
      if (!entries[i].isIntersecting) continue;
      var li = entries[i].target.closest("li");
      if (li) this.forgetUnseen(li);
      this.observer.unobserve(entries[i].target);
    }
  };

  LiveThread.prototype.updateNews = function () {
    this.unseen = this.unseen.filter(function (li) {
      return li.isConnected;
    });
    var count = this.unseen.length;
    if (!count) {
      this.news.hidden = true;
      return;
    }
    this.newsText.textContent = interpolate(
      ngettext("%s new contribution", "%s new contributions", count),
      [count]
    );
    this.news.hidden = false;
  };

  LiveThread.prototype.showUnseen = function () {
    this.updateNews();
    if (!this.unseen.length) return;
    var first = this.unseen.slice().sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    })[0];
    var target = childBySelector(first, "article") || first;
    target.setAttribute("tabindex", "-1");
    var smooth = !window.matchMedia || !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    target.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    target.focus({ preventScroll: true });
    this.forgetUnseen(first);
  };

  // --- Screen readers ------------------------------------------------------------------------
  LiveThread.prototype.announce = function (text) {
    var region = this.liveRegion;
    region.textContent = "";
    // A tick between clearing and setting, so the same sentence twice is read twice.
    setTimeout(function () {
      region.textContent = text;
    }, 50);
  };

  // New contributions are read out in one sentence per burst; a replayed backlog, once.
  LiveThread.prototype.queueAnnouncement = function (name, quiet) {
    var pending = this.announced;
    pending.names.push(name);
    if (quiet) return; // flushed when the backlog ends
    clearTimeout(pending.timer);
    var self = this;
    pending.timer = setTimeout(function () {
      self.flushAnnouncements();
    }, 1500);
  };

  LiveThread.prototype.flushAnnouncements = function () {
    var pending = this.announced;
    clearTimeout(pending.timer);
    pending.timer = null;
    var names = pending.names;
    pending.names = [];
    if (!names.length) return;
    if (names.length === 1 && names[0]) {
      // The name isolated (U+2068…U+2069): an Arabic name in a French sentence, or the reverse.
      this.announce(interpolate(_("New contribution by %s"), ["\u2068" + names[0] + "\u2069"]));
    } else {
      this.announce(
        interpolate(ngettext("%s new contribution", "%s new contributions", names.length), [names.length])
      );
    }
  };

  LiveThread.prototype.showWatchers = function (count) {
    this.watchersNode.textContent = interpolate(
      ngettext("%s person is reading this discussion", "%s people are reading this discussion", count),
      [count]
    );
    this.watchersNode.hidden = count < 1;
  };

  // --- Open, locked, closed ------------------------------------------------------------------
  LiveThread.prototype.formVisible = function () {
    return !!(this.form && !this.form.hidden);
  };

  LiveThread.prototype.stateNote = function () {
    var note = this.section.querySelector(".thread__state");
    if (!note) {
      note = el("p", "message thread__state");
      note.setAttribute("role", "note");
      this.meta.insertAdjacentElement("afterend", note);
    }
    return note;
  };

  LiveThread.prototype.setAccepting = function (accepting, message) {
    var join = this.section.querySelector(".thread__join");
    this.section.classList.toggle("thread--closed", !accepting);
    if (!accepting) {
      this.closedByLive = true;
      if (this.form) this.form.hidden = true;
      if (join) join.hidden = true;
      var note = this.stateNote();
      note.hidden = false;
      note.textContent = message || _("This discussion is closed to new contributions.");
      return;
    }
    var existing = this.section.querySelector(".thread__state");
    this.closedByLive = false;
    if (this.form) {
      this.form.hidden = false;
      if (existing) existing.parentNode.removeChild(existing);
    } else if (join) {
      join.hidden = false;
      if (existing) existing.parentNode.removeChild(existing);
    } else {
      var reopen = this.stateNote();
      reopen.hidden = false;
      reopen.textContent = _("The discussion is open: reload the page to take part.") + " ";
      var link = el("a", null, _("Reload the page"));
      link.href = window.location.href.split("#")[0] + "#discussion";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        window.location.reload();
      });
      reopen.appendChild(link);
    }
  };

  LiveThread.prototype.disableReactions = function (root, disabled) {
    var buttons = root.querySelectorAll("form.reactions button.reaction");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = disabled;
  };

  LiveThread.prototype.setReactions = function (open) {
    this.reactionsClosed = !open;
    this.disableReactions(this.section, !open);
  };

  // --- Reload, keeping what the reader typed -------------------------------------------------
  LiveThread.prototype.saveDrafts = function () {
    var drafts = {};
    var areas = this.section.querySelectorAll("form textarea");
    var any = false;
    for (var i = 0; i < areas.length; i++) {
      if (areas[i].value.trim()) {
        drafts[(areas[i].form && areas[i].form.getAttribute("action")) + "|" + areas[i].name] = areas[i].value;
        any = true;
      }
    }
    storageSet(this.storageKey("drafts"), any ? JSON.stringify(drafts) : null);
  };

  LiveThread.prototype.restoreDrafts = function () {
    var saved = storageGet(this.storageKey("drafts"));
    if (!saved) return;
    storageSet(this.storageKey("drafts"), null);
    var drafts;
    try {
      drafts = JSON.parse(saved);
    } catch (e) {
      return;
    }
    var areas = this.section.querySelectorAll("form textarea");
    for (var i = 0; i < areas.length; i++) {
      var key = (areas[i].form && areas[i].form.getAttribute("action")) + "|" + areas[i].name;
      if (typeof drafts[key] === "string" && !areas[i].value) areas[i].value = drafts[key];
    }
  };

  LiveThread.prototype.reload = function () {
    // Never loop: a second reload request within a minute leaves the page as it is.
    var last = Number(storageGet(this.storageKey("reloaded")) || 0);
    if (Date.now() - last < 60000) {
      this.finish();
      return;
    }
    storageSet(this.storageKey("reloaded"), String(Date.now()));
    this.saveDrafts();
    this.finished = true;
    this.drop();
    window.location.reload();
  };

  // --- Posting and reacting over the socket --------------------------------------------------
  LiveThread.prototype.bindForms = function () {
    var self = this;
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        self.onSubmit(event);
      });
    }
    this.section.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("form.reactions button.reaction");
      if (button && self.section.contains(button)) self.onReact(event, button);
    });
  };

  LiveThread.prototype.nextRequestId = function () {
    this.requestCounter += 1;
    return "r" + this.requestCounter + "-" + Math.random().toString(36).slice(2, 10);
  };

  LiveThread.prototype.onSubmit = function (event) {
    var form = this.form;
    if (form.getAttribute("data-posting")) {
      event.preventDefault(); // one at a time: the first is on its way
      return;
    }
    if (!this.isLive()) return; // the plain form posts
    var body = form.elements.body;
    if (!body) return;
    var keyInput = form.elements.idempotency_key;
    if (!keyInput) {
      keyInput = el("input");
      keyInput.type = "hidden";
      keyInput.name = "idempotency_key";
      form.appendChild(keyInput);
    }
    if (!keyInput.value) keyInput.value = uuid4();
    var parentInput = form.elements.parent;
    var parent = parentInput && parentInput.value ? parseInt(parentInput.value, 10) : null;
    var requestId = this.nextRequestId();
    var frame = {
      type: "contribution.post",
      request_id: requestId,
      body: body.value,
      parent: isNaN(parent) ? null : parent,
      idempotency_key: keyInput.value,
    };
    if (JSON.stringify(frame).length > MAX_FRAME) return; // too long for a frame: the form says why
    if (!this.send(frame)) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"], button:not([type])');
    if (button) button.disabled = true;
    form.setAttribute("data-posting", "true");
    form.setAttribute("aria-busy", "true");
    this.formError.textContent = "";
    this.formStatus.textContent = "";
    body.removeAttribute("aria-invalid");
    var self = this;
    this.pending[requestId] = {
      kind: "post",
      button: button,
      timer: setTimeout(function () {
        self.fallBack(requestId);
      }, POST_TIMEOUT),
    };
  };

  LiveThread.prototype.onReact = function (event, button) {
    var form = button.form;
    if (!this.isLive() || !form) return; // the plain form posts
    var li = button.closest("li.contribution");
    var id = li ? contributionId(li) : null;
    if (id === null) return;
    var kind = button.value === "none" ? null : button.value;
    var requestId = this.nextRequestId();
    if (!this.send({ type: "contribution.react", request_id: requestId, id: id, kind: kind })) return;
    event.preventDefault();
    var buttons = form.querySelectorAll("button.reaction");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    var error = form.parentNode.querySelector(".thread__error");
    if (error) error.textContent = "";
    var self = this;
    this.pending[requestId] = {
      kind: "react",
      form: form,
      button: button,
      reaction: kind,
      timer: setTimeout(function () {
        self.fallBack(requestId);
      }, POST_TIMEOUT),
    };
  };

  LiveThread.prototype.settle = function (requestId) {
    var request = this.pending[requestId];
    if (!request) return null;
    delete this.pending[requestId];
    clearTimeout(request.timer);
    if (request.kind === "post") {
      this.form.removeAttribute("data-posting");
      this.form.removeAttribute("aria-busy");
      if (request.button) request.button.disabled = false;
    } else if (request.form) {
      var buttons = request.form.querySelectorAll("button.reaction");
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !!this.reactionsClosed;
    }
    return request;
  };

  // No answer in time, or the socket closed: post the plain form (same idempotency key, so
  // a post the server did receive is not made twice).
  LiveThread.prototype.fallBack = function (requestId) {
    var request = this.settle(requestId);
    if (!request) return;
    this.finished = true; // the page is leaving
    this.drop();
    if (request.kind === "post") {
      // (No draft saved: the form carries the text, and the page it lands on shows it posted.)
      this.form.submit();
    } else if (typeof request.form.requestSubmit === "function") {
      request.form.requestSubmit(request.button);
    } else {
      var kind = el("input");
      kind.type = "hidden";
      kind.name = "kind";
      kind.value = request.button.value;
      request.form.appendChild(kind);
      request.form.submit();
    }
  };

  LiveThread.prototype.fallBackPending = function () {
    var ids = Object.keys(this.pending);
    for (var i = 0; i < ids.length; i++) this.fallBack(ids[i]);
  };

  LiveThread.prototype.onAck = function (frame) {
    var request = this.settle(frame.request_id);
    if (!request) return;
    if (request.kind === "post") {
      var form = this.form;
      if (form.elements.body) form.elements.body.value = "";
      if (form.elements.idempotency_key) form.elements.idempotency_key.value = uuid4();
      storageSet(this.storageKey("drafts"), null);
      this.formStatus.textContent = frame.message || "";
      if (typeof frame.id === "number") {
        this.rememberMine(frame.id);
        var li = this.findLi(frame.id);
        if (li) {
          var article = childBySelector(li, "article");
          if (article) this.stripOwnControls(article);
          li.classList.remove("contribution--new");
          this.forgetUnseen(li);
        }
        if (frame.status === "published") {
          var link = el("a", null, _("See your contribution"));
          link.href = "#contribution-" + frame.id;
          this.formStatus.appendChild(document.createTextNode(" "));
          this.formStatus.appendChild(link);
        }
      }
    } else if (request.kind === "react") {
      this.setCounts(frame.id, frame.agree, frame.disagree);
      var buttons = request.form.querySelectorAll("button.reaction");
      var kinds = ["agree", "disagree"];
      for (var i = 0; i < buttons.length && i < kinds.length; i++) {
        var pressed = request.reaction === kinds[i];
        buttons[i].setAttribute("aria-pressed", pressed ? "true" : "false");
        buttons[i].value = pressed ? "none" : kinds[i];
      }
    }
  };

  LiveThread.prototype.onError = function (frame) {
    var message = frame.message || _("Something went wrong. Please try again.");
    var request = frame.request_id ? this.settle(frame.request_id) : null;
    if (request && request.kind === "post") {
      this.formError.textContent = message;
      if (frame.field === "body" && this.form.elements.body) {
        this.form.elements.body.setAttribute("aria-invalid", "true");
        this.form.elements.body.setAttribute("aria-describedby", this.formError.id);
      }
      return;
    }
    if (request && request.kind === "react") {
      var footer = request.form.parentNode;
      var error = footer.querySelector(".thread__error");
      if (!error) {
        error = el("span", "thread__error");
        error.setAttribute("role", "alert");
        footer.appendChild(error);
      }
      error.textContent = message;
      return;
    }
    if (frame.code === "account_suspended") {
      this.setAccepting(false, message);
      this.finish();
    }
    // Otherwise a refused subscription: the close code that follows says not to retry.
  };

  // --- Start ---------------------------------------------------------------------------------
  var threads = [];

  function start() {
    if (!("WebSocket" in window) || !("content" in document.createElement("template"))) return;
    var sections = document.querySelectorAll("section.thread[data-thread-key]");
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getAttribute("data-thread-key")) threads.push(new LiveThread(sections[i]));
    }
    if (!threads.length) return;
    function wake() {
      if (document.visibilityState === "hidden") return;
      threads.forEach(function (thread) {
        thread.wake();
      });
    }
    document.addEventListener("visibilitychange", wake);
    window.addEventListener("online", wake);
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      threads.forEach(function (thread) {
        if (thread.pausedForCache) {
          thread.pausedForCache = false;
          thread.finished = false;
          thread.connect();
        }
      });
    });
    window.addEventListener("pagehide", function (event) {
      if (!event.persisted) return;
      // Into the back/forward cache: close cleanly, resume on pageshow.
      threads.forEach(function (thread) {
        if (!thread.finished) {
          thread.pausedForCache = true;
          thread.finished = true;
          thread.drop();
          clearTimeout(thread.retryTimer);
          thread.retryTimer = null;
        }
      });
    });
  }

  window.majlisThread = {
    state: function () {
      var thread = threads[0];
      return thread
        ? { seq: thread.seq, connected: thread.isLive(), live: thread.section.getAttribute("data-live") }
        : { seq: null, connected: false, live: null };
    },
    threads: threads,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
