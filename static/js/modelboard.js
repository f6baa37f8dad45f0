// modelboard: copy buttons, sample-code tabs, sortable tables. No dependencies.

// Copy buttons: <button class="copy" data-copy="#selector">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    button.textContent = "Press Ctrl+C";
    window.getSelection().selectAllChildren(source);
  }
  setTimeout(() => { button.textContent = label; }, 1500);
});

// Tabs (WAI-ARIA pattern): without JavaScript every panel shows, one after another.
function setupTabs(root) {
  const tabs = [...root.querySelectorAll('[role="tab"]')];
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      select(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
    });
  });
  select(tabs.find((t) => t.getAttribute("aria-selected") === "true") || tabs[0], false);
}

// Sortable tables: <th aria-sort><button data-sort-key="price" [data-sort-desc]>,
// rows carry data-price="…"; empty values always sort last.
function setupSortable(table) {
  const body = table.tBodies[0];
  const headers = [...table.querySelectorAll("th[aria-sort]")];
  for (const th of headers) {
    const button = th.querySelector("button[data-sort-key]");
    button.addEventListener("click", () => {
      const key = button.dataset.sortKey;
      const current = th.getAttribute("aria-sort");
      const natural = "sortDesc" in button.dataset ? "descending" : "ascending";
      const order = current === "none" ? natural
        : current === "ascending" ? "descending" : "ascending";
      const sign = order === "ascending" ? 1 : -1;
      const value = (row) => {
        const raw = row.dataset[key];
        return raw === undefined || raw === "" || raw === "None" ? null : Number(raw);
      };
      const rows = [...body.rows];
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        if (x === null && y === null) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x - y) * sign;
      });
      body.append(...rows);
      for (const other of headers) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", order);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-tabs]").forEach(setupTabs);
  document.querySelectorAll("table[data-sortable]").forEach(setupSortable);
});
