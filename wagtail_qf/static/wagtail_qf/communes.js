/*
 * Commune and country of birth: progressive enhancement of the identity form (no framework,
 * no inline script).
 *
 * Without JavaScript the form works as is: « Rechercher la commune » posts the form back and
 * the matching communes come back as radio buttons; the country is a <select>. With JavaScript
 * each field becomes an ARIA 1.2 combobox (role=combobox, aria-expanded, aria-controls,
 * aria-activedescendant) with a listbox fed by a JSON endpoint ([{code, label}]) and a polite
 * live region telling how many entries were found. Keys: Down/Up move, Enter chooses, Escape
 * closes (or clears). The chosen code goes in a hidden input.
 *
 * The field's root element gives the endpoint in data-qf-combobox (data-qf-communes for the
 * commune), the name of the hidden input in data-qf-combobox-name (default "commune") and the
 * messages read out, translated by the template (no text here): data-qf-found-none,
 * data-qf-found-one, data-qf-found-many ("{n}" is the count), data-qf-chosen ("{label}") and
 * data-qf-choose (Enter with a text but no choice). Its control is a text input, or a <select>
 * that is replaced by a text input with the same id.
 */
(function () {
  "use strict";

  var DELAY = 200;

  function text(el, value) { el.textContent = value; }

  /* A <select> becomes a text input (same id, label and descriptions) showing the chosen option. */
  function textInputFor(select) {
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id;
    input.className = "qf-input fr-input" + (select.getAttribute("aria-invalid") === "true" ? " fr-input--error" : "");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    input.setAttribute("spellcheck", "false");
    var chosen = select.value ? select.options[select.selectedIndex] : null;
    input.value = chosen ? chosen.textContent : "";
    select.parentNode.replaceChild(input, select);
    return { input: input, value: select.value };
  }

  function Combobox(root) {
    this.root = root;
    this.url = root.getAttribute("data-qf-combobox") || root.getAttribute("data-qf-communes");
    this.name = root.getAttribute("data-qf-combobox-name") || "commune";
    var select = root.querySelector("select");
    var initial = "";
    if (select) {
      var replaced = textInputFor(select);
      this.input = replaced.input;
      initial = replaced.value;
    } else {
      this.input = root.querySelector("input[type=text]");
    }
    this.button = root.querySelector("[data-qf-communes-button]");
    this.choices = root.querySelector("[data-qf-communes-choices]");
    this.initial = initial;
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = 0;
    this.build();
  }

  Combobox.prototype.build = function () {
    var id = this.input.id;
    var wrapper = document.createElement("div");
    wrapper.className = "qf-combobox";
    this.input.parentNode.insertBefore(wrapper, this.input);
    wrapper.appendChild(this.input);

    this.listbox = document.createElement("ul");
    this.listbox.id = id + "-listbox";
    this.listbox.className = "qf-listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", this.root.querySelector("label").firstChild.textContent.trim());
    this.listbox.hidden = true;
    wrapper.appendChild(this.listbox);

    this.status = document.createElement("div");
    this.status.className = "qf-sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.root.appendChild(this.status);

    this.hidden = document.createElement("input");
    this.hidden.type = "hidden";
    this.hidden.name = this.name;
    var checked = this.choices && this.choices.querySelector("input:checked");
    this.hidden.value = checked ? checked.value : this.initial;
    if (this.choices) { this.choices.parentNode.removeChild(this.choices); }
    this.root.appendChild(this.hidden);

    this.input.setAttribute("autocomplete", "off");
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    if (this.button) {  // no longer needed, and must not stay the form's default button
      this.button.hidden = true;
      this.button.disabled = true;
    }

    var self = this;
    this.input.addEventListener("input", function () { self.onInput(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () { window.setTimeout(function () { self.close(); }, 150); });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    this.hidden.value = "";  // the text changed: the previous choice no longer holds
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < 2) { this.close(); text(this.status, ""); return; }
    this.timer = window.setTimeout(function () { self.fetch(query); }, DELAY);
  };

  Combobox.prototype.fetch = function (query) {
    var self = this;
    var number = ++this.request;
    var url = this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (items) { if (number === self.request) { self.show(items || []); } })
      .catch(function () { if (number === self.request) { self.show([]); } });
  };

  Combobox.prototype.show = function (items) {
    this.options = items;
    this.active = -1;
    this.listbox.textContent = "";
    this.input.removeAttribute("aria-activedescendant");
    for (var i = 0; i < items.length; i++) {
      var li = document.createElement("li");
      li.id = this.listbox.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(i));
      text(li, items[i].label);
      this.listbox.appendChild(li);
    }
    if (items.length) { this.open(); } else { this.close(); }
    text(this.status, this.message(items.length === 0 ? "found-none" : items.length === 1 ? "found-one" : "found-many")
      .replace("{n}", String(items.length)));
  };

  Combobox.prototype.message = function (key) {
    return this.root.getAttribute("data-qf-" + key) || "";
  };

  /* Said again even when the live region already holds the same text. */
  Combobox.prototype.say = function (message) {
    var status = this.status;
    text(status, "");
    window.setTimeout(function () { text(status, message); }, 50);
  };

  Combobox.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.move = function (index) {
    var items = this.listbox.children;
    if (!items.length) { return; }
    if (this.listbox.hidden) { this.open(); }
    index = (index + items.length) % items.length;
    if (this.active >= 0 && items[this.active]) { items[this.active].setAttribute("aria-selected", "false"); }
    this.active = index;
    items[index].setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.choose = function (index) {
    var item = this.options[index];
    if (!item) { return; }
    this.input.value = item.label;
    this.hidden.value = item.code;
    this.close();
    text(this.status, this.message("chosen").replace("{label}", item.label));
  };

  Combobox.prototype.onKey = function (event) {
    var open = !this.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        this.move(this.active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(this.active < 0 ? -1 : this.active - 1);
        break;
      case "Enter":
        if (open && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else if (!this.hidden.value) {
          event.preventDefault();  // do not send the form before a commune is chosen: say so
          if (this.input.value.trim()) { this.say(this.message("choose")); }
        }
        break;
      case "Escape":
        if (open) { event.preventDefault(); this.close(); }
        else if (this.input.value) { event.preventDefault(); this.input.value = ""; this.hidden.value = ""; }
        break;
      default:
        break;
    }
  };

  /* Country or commune: show the field that matches « En France » / « À l'étranger ». */
  function birthplace(form) {
    var radios = form.querySelectorAll("[data-qf-birthplace] input[type=radio]");
    var blocks = form.querySelectorAll("[data-qf-when]");
    function update() {
      var checked = form.querySelector("[data-qf-birthplace] input[type=radio]:checked");
      for (var i = 0; i < blocks.length; i++) {
        blocks[i].hidden = !checked || blocks[i].getAttribute("data-qf-when") !== checked.value;
      }
    }
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", update); }
    update();
  }

  function init() {
    var roots = document.querySelectorAll("[data-qf-communes], [data-qf-combobox]");
    for (var i = 0; i < roots.length; i++) {
      var url = roots[i].getAttribute("data-qf-combobox") || roots[i].getAttribute("data-qf-communes");
      if (url && window.fetch) { new Combobox(roots[i]); }
    }
    var forms = document.querySelectorAll(".qf-identity-form");
    for (var j = 0; j < forms.length; j++) { birthplace(forms[j]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
