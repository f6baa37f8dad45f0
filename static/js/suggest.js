// modelboard: instant suggestions under the header's search box (WAI-ARIA combobox
// with a listbox). Without JavaScript the box is a plain form that submits to /?q=.
// <input data-suggest="/api/v1/models/suggest">: arrows move, Enter opens the
// highlighted model (or searches when none is), Escape closes.

function setupSuggest(input) {
  const form = input.form;
  const list = document.createElement("ul");
  list.id = `${input.id}-suggestions`;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggested models");
  list.hidden = true;
  form.append(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  let options = [];
  let active = -1;
  let asked = 0;
  let timer = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (index < 0) input.removeAttribute("aria-activedescendant");
    else {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  };
  const show = (models) => {
    list.replaceChildren();
    options = models.map((model, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = model.url;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = model.name;
      const id = document.createElement("span");
      id.className = "id";
      id.textContent = model.id;
      option.append(name, id);
      // mousedown, not click: the input's blur would close the list first.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        window.location.assign(model.url);
      });
      return option;
    });
    list.append(...options);
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
  };
  const ask = async () => {
    const q = input.value.trim();
    const ticket = ++asked;
    if (!/[\p{L}\p{N}]/u.test(q)) { show([]); return; }
    try {
      const response = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(q)}`,
        { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const body = await response.json();
      // An answer to an older query than the box now holds is dropped.
      if (ticket === asked) show(body.data);
    } catch {
      if (ticket === asked) show([]);
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const count = options.length;
      highlight(active < 0 && step < 0 ? count - 1 : (active + step + count) % count);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.assign(options[active].dataset.url);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-suggest]").forEach(setupSuggest);
});
