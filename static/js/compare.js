// Compare from anywhere: "Add to compare" buttons fill a tray of up to six models,
// kept in this browser; on /compare the tray is the URL's list, and a picker adds more.
// The tray folds to a chip (remembered too); on /compare it sits in the page, above
// the table, never over it.
(() => {
  const KEY = "modelboard.compare";
  const FOLDED = "modelboard.compare.folded";
  const MAX = 6;
  const tray = document.getElementById("compare-tray");
  if (!tray) return;
  const compareUrl = tray.dataset.compareUrl;

  const load = () => {
    try {
      const items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      if (!Array.isArray(items)) return [];
      return items.filter((i) => i && typeof i.id === "string").slice(0, MAX);
    } catch {
      return [];
    }
  };
  const save = (items) => {
    try { window.localStorage.setItem(KEY, JSON.stringify(items)); } catch { /* private mode */ }
  };
  const hrefOf = (items) => `${compareUrl}?models=${items.map((i) => encodeURIComponent(i.id)).join(",")}`;

  let items = load();
  // On a comparison, the tray is what the page compares (the URL wins).
  const compared = [...document.querySelectorAll("[data-compared]")].map((th) => ({
    id: th.dataset.compared,
    name: th.dataset.comparedName || th.dataset.compared,
  }));
  const onComparison = compared.length > 0;
  if (onComparison) {
    items = compared.slice(0, MAX);
    save(items);
    // In the page's flow, before the picker: it takes its own room.
    const slot = document.querySelector("[data-compare-picker]") || document.querySelector("main h1");
    if (slot) {
      tray.classList.add("in-flow");
      slot.before(tray);
    }
  }
  const folded = {
    get: () => { try { return window.localStorage.getItem(FOLDED) === "1"; } catch { return false; } },
    set: (value) => {
      try {
        if (value) window.localStorage.setItem(FOLDED, "1");
        else window.localStorage.removeItem(FOLDED);
      } catch { /* private mode */ }
    },
  };

  function change(next) {
    items = next.slice(0, MAX);
    save(items);
    // The comparison on screen follows the tray.
    if (onComparison && items.length >= 2) {
      window.location.assign(hrefOf(items));
      return;
    }
    render();
  }

  const add = (item) => {
    if (items.some((i) => i.id === item.id) || items.length >= MAX) return false;
    change([...items, item]);
    return true;
  };
  const remove = (id) => change(items.filter((i) => i.id !== id));

  const fold = (value) => {
    folded.set(value);
    renderTray();
    tray.querySelector(value ? ".compare-chip" : ".compare-fold")?.focus();
  };

  function renderTray() {
    tray.replaceChildren();
    tray.hidden = items.length === 0;
    if (!items.length) return;
    const small = !onComparison && folded.get();
    tray.classList.toggle("folded", small);
    if (small) {
      // Folded: one chip that says how many and opens the tray again.
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "compare-chip";
      chip.setAttribute("aria-expanded", "false");
      chip.textContent = `Compare (${items.length})`;
      chip.setAttribute("aria-label", `Compare (${items.length}): show the tray of ${items.length} model${items.length === 1 ? "" : "s"}`);
      chip.addEventListener("click", () => fold(false));
      tray.append(chip);
      return;
    }
    const heading = document.createElement("h2");
    heading.textContent = `Compare (${items.length}/${MAX})`;
    const list = document.createElement("ul");
    for (const item of items) {
      const li = document.createElement("li");
      li.dataset.trayItem = item.id;
      const name = document.createElement("span");
      name.textContent = item.name;
      name.title = item.id;
      const drop = document.createElement("button");
      drop.type = "button";
      drop.textContent = "×";
      drop.setAttribute("aria-label", `Remove ${item.name} from compare`);
      drop.addEventListener("click", () => remove(item.id));
      li.append(name, drop);
      list.append(li);
    }
    const go = document.createElement("a");
    go.className = "compare-go";
    if (items.length >= 2) {
      go.href = hrefOf(items);
      go.textContent = `Compare ${items.length} models`;
    } else {
      go.setAttribute("aria-disabled", "true");
      go.textContent = "Add one more to compare";
    }
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "compare-clear";
    clear.textContent = "Clear";
    clear.addEventListener("click", () => { items = []; save(items); render(); });
    const head = document.createElement("div");
    head.className = "compare-head";
    head.append(heading);
    if (!onComparison) {
      const minimise = document.createElement("button");
      minimise.type = "button";
      minimise.className = "compare-fold";
      minimise.setAttribute("aria-expanded", "true");
      minimise.setAttribute("aria-label", "Minimise the compare tray");
      minimise.textContent = "Minimise";
      minimise.addEventListener("click", () => fold(true));
      head.append(minimise);
    }
    tray.append(head, list, go, clear);
  }

  function renderButtons() {
    for (const button of document.querySelectorAll("[data-compare-add]")) {
      const inTray = items.some((i) => i.id === button.dataset.compareAdd);
      button.hidden = false;
      button.setAttribute("aria-pressed", String(inTray));
      button.textContent = inTray ? "✓ In compare" : "Add to compare";
      button.disabled = !inTray && items.length >= MAX;
      button.title = button.disabled ? `The tray holds ${MAX} models` : "";
    }
  }

  function render() {
    renderTray();
    renderButtons();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-compare-add]");
    if (!button) return;
    const id = button.dataset.compareAdd;
    if (items.some((i) => i.id === id)) remove(id);
    else add({ id, name: button.dataset.compareName || id });
  });

  setupPicker(document.querySelector("[data-compare-picker]"));
  render();

  // The searchable picker on /compare: the API's search, keyboard navigable.
  function setupPicker(picker) {
    if (!picker) return;
    picker.hidden = false;
    const input = picker.querySelector('input[type="search"]');
    const results = picker.querySelector('[role="listbox"]');
    const status = picker.querySelector("[data-compare-status]");
    let options = [];
    let active = -1;
    let timer = 0;
    let asked = 0;

    const highlight = (index) => {
      active = index;
      options.forEach((o, i) => o.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
      else input.removeAttribute("aria-activedescendant");
    };
    const close = () => {
      results.replaceChildren();
      options = [];
      input.setAttribute("aria-expanded", "false");
      highlight(-1);
    };
    const pick = (option) => {
      const item = { id: option.dataset.id, name: option.dataset.name };
      close();
      input.value = "";
      if (items.some((i) => i.id === item.id)) {
        status.textContent = `${item.name} is already in the tray.`;
      } else if (items.length >= MAX) {
        status.textContent = `The tray holds ${MAX} models: remove one first.`;
      } else {
        add(item);
        status.textContent = items.length < 2 ? `Added ${item.name}; add one more.` : `Added ${item.name}.`;
        if (!onComparison && items.length >= 2) window.location.assign(hrefOf(items));
      }
    };

    async function search(query) {
      const ticket = ++asked;
      const url = `/api/v1/models?${new URLSearchParams({ q: query, limit: "8" })}`;
      let data = [];
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) data = (await response.json()).data || [];
      } catch {
        status.textContent = "Search is unavailable; type ids in the field above.";
      }
      if (ticket !== asked) return; // a newer search answered first
      results.replaceChildren();
      options = data.map((model, i) => {
        const li = document.createElement("li");
        li.id = `compare-option-${i}`;
        li.setAttribute("role", "option");
        li.dataset.id = model.id;
        li.dataset.name = model.name || model.id;
        const name = document.createElement("span");
        name.textContent = model.name || model.id;
        const id = document.createElement("code");
        id.textContent = model.id;
        li.append(name, " ", id);
        li.addEventListener("mousedown", (event) => { event.preventDefault(); pick(li); });
        results.append(li);
        return li;
      });
      input.setAttribute("aria-expanded", String(options.length > 0));
      highlight(options.length ? 0 : -1);
      if (!options.length) status.textContent = `No model matches “${query}”.`;
      else status.textContent = "";
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const query = input.value.trim();
      if (!query) { close(); return; }
      timer = setTimeout(() => search(query), 150);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && options.length) {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(options[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }
})();
