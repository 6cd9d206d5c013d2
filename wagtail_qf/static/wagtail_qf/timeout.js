/* The time limit of the citizen's data (RGAA 13.1, journey/timeout.py).
 *
 * Without this script the page already says until when the data is kept, and the
 * « Prolonger » button sends a form. With it: a spoken warning (role="alert") a couple
 * of minutes before the end, the extension made in place (the ticks stay as they are),
 * and, at the end, what happened and what to do. Every text comes from the template.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-qf-time-limit]");
  if (!root || !window.fetch) {
    return;
  }
  var running = root.querySelector("[data-qf-running]");
  var expiredNotice = root.querySelector("[data-qf-expired]");
  var announce = root.querySelector("[data-qf-announce]");
  var until = root.querySelector("[data-qf-until]");
  var button = root.querySelector("[data-qf-extend]");
  var warnBefore = Number(root.getAttribute("data-qf-warn-seconds")) * 1000;
  var expiresAt, clockOffset, timers = [];

  function setLimit(expires, serverNow) {
    // The server's clock decides: the browser's may be wrong.
    expiresAt = expires * 1000;
    clockOffset = serverNow * 1000 - Date.now();
    timers.forEach(clearTimeout);
    var left = expiresAt - (Date.now() + clockOffset);
    timers = [setTimeout(warn, Math.max(left - warnBefore, 0)), setTimeout(expire, Math.max(left, 0))];
  }

  function say(text) {
    // Emptied first: the same text said twice is still announced.
    announce.textContent = "";
    setTimeout(function () { announce.textContent = text; }, 50);
  }

  function text(name, time) {
    return root.getAttribute("data-qf-" + name).replace("{time}", time || "");
  }

  function warn() {
    say(text("warning", until.textContent));
  }

  function expire() {
    timers.forEach(clearTimeout);
    running.hidden = true;
    expiredNotice.hidden = false;
    say(expiredNotice.querySelector("p").textContent);
  }

  function extended(data) {
    until.textContent = data.until;
    setLimit(data.expires_at, data.now);
    if (data.can_extend) {
      button.textContent = data.extend_label;
    } else {
      var note = document.createElement("p");
      note.textContent = text("no-more");
      note.tabIndex = -1;
      button.parentNode.replaceWith(note);
      note.focus();  // the button had the focus: it goes to what replaces it
      button = null;
    }
    say(text("extended", data.until));
  }

  function extend(event) {
    event.preventDefault();
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    fetch(root.getAttribute("data-qf-extend-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    }).then(function (response) {
      if (response.status === 410) {
        expire();
        return null;
      }
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (data) {
      if (data) {
        extended(data);
      }
    }).catch(function () {
      say(text("failed"));
    });
  }

  if (button) {
    button.addEventListener("click", extend);
  }
  setLimit(Number(root.getAttribute("data-qf-expires")), Number(root.getAttribute("data-qf-now")));
})();
