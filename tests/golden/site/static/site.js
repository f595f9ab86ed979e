/* Summit Watch: progressive enhancement. Every page is complete without this file; it adds
   the filters of "who said what", a second time zone on the timeline, the highlight of a
   linked quote in an article, and opens every collapsed list before printing.
   The state of the filters and of the time zone lives in the query string, so a view can be
   shared and reloaded. No request leaves the page. */
(function () {
  "use strict";

  var doc = document;
  var all = function (root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); };
  var tokens = function (el, attr) { return (el.getAttribute("data-" + attr) || "").split(/\s+/).filter(Boolean); };
  var fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  };

  /* The query string: read it, and rewrite it in place (no new history entry per click). */
  function query() { return new URLSearchParams(location.search); }
  function setQuery(change) {
    var params = query();
    change(params);
    var search = params.toString().replace(/%2F/gi, "/");
    try {
      history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
    } catch (e) { /* a browser that refuses (some do for file:// pages) keeps the view, not the URL */ }
  }

  /* ---- Filters: by person, outlet, language and kind of statement ---------------------- */

  function setupFilters(panel) {
    var main = doc.getElementById("main");
    var groups = all(panel, "fieldset[data-key]");
    var cards = all(main, "article.quote");
    var events = all(main, "li.event");
    var details = all(main, "details.event__quotes");
    var status = panel.querySelector(".filters__status");
    var clear = panel.querySelector("[data-clear]");
    var none = doc.querySelector(".filters__none");
    var wasActive = false;

    function selection() {
      var chosen = {};
      groups.forEach(function (group) {
        var values = all(group, 'button[aria-pressed="true"]').map(function (b) { return b.getAttribute("data-value"); });
        if (values.length) chosen[group.getAttribute("data-attr")] = values;
      });
      return chosen;
    }

    function matches(el, chosen) {
      return Object.keys(chosen).every(function (attr) {
        return tokens(el, attr).some(function (t) { return chosen[attr].indexOf(t) >= 0; });
      });
    }

    function apply() {
      var chosen = selection();
      var active = Object.keys(chosen).length > 0;
      if (active && !wasActive) details.forEach(function (d) { d.setAttribute("data-was-open", d.open ? "1" : ""); });
      var shown = 0;
      cards.forEach(function (card) {
        card.hidden = active && !matches(card, chosen);
        if (!card.hidden) shown++;
      });
      var eventsShown = 0;
      events.forEach(function (ev) {
        ev.hidden = active && !matches(ev, chosen);
        if (!ev.hidden) eventsShown++;
      });
      details.forEach(function (d) {
        var inside = all(d, "article.quote");
        var visible = inside.filter(function (c) { return !c.hidden; }).length;
        d.hidden = active && visible === 0;
        if (active) d.open = visible > 0;
        else if (wasActive) d.open = d.getAttribute("data-was-open") === "1";
        var who = d.querySelector(".event__quotes-who");  // "Putin 14 · Trump 7" counts them all
        if (who) who.hidden = active;
        var count = d.querySelector("[data-count]");
        if (count) count.textContent = active ? fill(panel.getAttribute("data-of"), { shown: visible, total: inside.length }) : inside.length;
        all(d, ".event__quotes-group").forEach(function (group) {  // an article's statements, under its heading
          group.hidden = !group.querySelector("article.quote:not([hidden])");
        });
      });
      all(main, "section.person-quotes, section.day").forEach(function (section) {
        section.hidden = active && !section.querySelector("article.quote:not([hidden]), li.event:not([hidden])");
        var count = section.querySelector("h2 .count");  // a speaker's number of statements
        if (count) {
          var inside = all(section, "article.quote");
          var visible = inside.filter(function (c) { return !c.hidden; }).length;
          count.textContent = active ? fill(panel.getAttribute("data-of"), { shown: visible, total: inside.length }) : inside.length;
        }
      });
      var nothing = events.length ? eventsShown === 0 : shown === 0;
      if (none) none.hidden = !(active && nothing);
      status.textContent = active ? fill(panel.getAttribute("data-status"), {
        shown: shown, total: cards.length, events: eventsShown, events_total: events.length
      }) : "";
      clear.hidden = !active;
      clear.parentNode.hidden = !active;
      wasActive = active;
    }

    function save() {
      setQuery(function (params) {
        groups.forEach(function (group) {
          var key = group.getAttribute("data-key");
          params.delete(key);
          all(group, 'button[aria-pressed="true"]').forEach(function (b) { params.append(key, b.getAttribute("data-value")); });
        });
      });
    }

    var params = query();
    groups.forEach(function (group) {
      var wanted = params.getAll(group.getAttribute("data-key"));
      all(group, "button[data-value]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(wanted.indexOf(button.getAttribute("data-value")) >= 0));
        button.addEventListener("click", function () {
          button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
          apply();
          save();
        });
      });
    });
    var toggle = panel.querySelector("[data-toggle]");
    var body = panel.querySelector(".filters__body");
    function fold(open) {
      toggle.setAttribute("aria-expanded", String(open));
      body.hidden = !open;
    }
    if (toggle) {
      fold(Object.keys(selection()).length > 0);  // a shared link with filters on shows them
      toggle.addEventListener("click", function () { fold(toggle.getAttribute("aria-expanded") !== "true"); });
    }
    clear.addEventListener("click", function () {
      all(panel, 'button[aria-pressed="true"]').forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      apply();
      save();
      var first = toggle || panel.querySelector("button[data-value]");
      if (first) first.focus();  // the button just pressed is hidden now: keep the reader's place
    });
    panel.hidden = false;
    apply();
  }

  /* ---- The timeline in a second time zone: the reader's own, or any ------------------------ */

  function validZone(zone) {
    try { new Intl.DateTimeFormat("en", { timeZone: zone }); return true; } catch (e) { return false; }
  }

  function setupZone(control) {
    var lang = control.getAttribute("data-ui-lang") === "ru" ? "ru" : "en-GB";
    var mine = control.querySelector("[data-zone-mine]");
    var select = control.querySelector("[data-zone-select]");
    var status = control.querySelector(".zone-control__status");
    var here = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    var stamps = all(doc, ".timeline .event__local time").filter(function (t) {
      return t.getAttribute("datetime").indexOf("T") > 0;
    });

    select.querySelector('option[value="local"]').textContent += " (" + here.replace(/_/g, " ") + ")";
    var zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    if (zones.indexOf("UTC") < 0) zones = ["UTC"].concat(zones);
    function addZone(zone) {
      var option = doc.createElement("option");
      option.value = zone;
      option.textContent = zone.replace(/_/g, " ");
      select.appendChild(option);
    }
    zones.forEach(addZone);

    function show(choice) {
      var zone = choice === "local" ? here : choice;
      if (zone && !validZone(zone)) { choice = zone = ""; }
      if (choice && choice !== "local" && !select.querySelector('option[value="' + CSS.escape(choice) + '"]')) addZone(choice);
      select.value = choice;
      mine.setAttribute("aria-pressed", String(choice === "local"));
      all(doc, ".event__reader").forEach(function (el) { el.remove(); });
      if (zone) {
        var clock = new Intl.DateTimeFormat(lang, {
          timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
        });
        var dayOf = new Intl.DateTimeFormat("en", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
        var shortDay = new Intl.DateTimeFormat(lang, { timeZone: zone, day: "numeric", month: "short" });
        stamps.forEach(function (stamp) {
          var iso = stamp.getAttribute("datetime");
          var moment = new Date(iso);
          var parts = {};
          dayOf.formatToParts(moment).forEach(function (p) { parts[p.type] = p.value; });
          var text = clock.format(moment);
          if (parts.year + "-" + parts.month + "-" + parts.day !== iso.slice(0, 10)) text += ", " + shortDay.format(moment);
          var line = doc.createElement("span");
          line.className = "event__reader";
          line.title = zone;
          line.textContent = text;
          var box = stamp.closest(".event__time");
          var utc = box.querySelector(".event__utc");
          box.insertBefore(line, utc ? utc.nextSibling : null);
        });
      }
      status.textContent = zone ? fill(status.getAttribute("data-text"), { zone: zone.replace(/_/g, " ") }) : "";
    }

    function choose(choice) {
      show(choice);
      setQuery(function (params) {
        if (select.value) params.set("tz", select.value);
        else params.delete("tz");
      });
    }

    mine.addEventListener("click", function () { choose(mine.getAttribute("aria-pressed") === "true" ? "" : "local"); });
    select.addEventListener("change", function () { choose(select.value); });
    control.hidden = false;
    show(query().get("tz") || "");
  }

  /* ---- The article: highlight every piece of the quote a link points to -------------------- */

  function highlightQuote() {
    var id = decodeURIComponent(location.hash.slice(1));
    all(doc, "mark.is-target").forEach(function (m) { m.classList.remove("is-target"); });
    if (!/^quote-\d+$/.test(id)) return;
    var pieces = all(doc, 'mark[data-quotes~="' + id + '"]');
    pieces.forEach(function (m) { m.classList.add("is-target"); });
    if (pieces.length) pieces[0].scrollIntoView({ block: "center" });
  }

  /* ---- Print: every collapsed list of statements is printed open --------------------------- */

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      all(doc, "details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  function start() {
    var panel = doc.querySelector("[data-filters]");
    if (panel) setupFilters(panel);
    var control = doc.querySelector("[data-zone-control]");
    if (control) setupZone(control);
    if (doc.querySelector(".article-text mark")) {
      highlightQuote();
      window.addEventListener("hashchange", highlightQuote);
    }
    setupPrint();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
