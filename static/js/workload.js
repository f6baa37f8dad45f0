// The cost calculator's workload: it lives in the URL (shareable) and is remembered
// in this browser, so a page opened without one prices for the last one used.
(() => {
  const KEY = "modelboard.workload";
  const fieldset = document.querySelector("[data-workload]");
  // A page that was refused its workload keeps the URL as typed, to be corrected.
  if (!fieldset || fieldset.hasAttribute("data-workload-invalid")) return;
  const names = fieldset.dataset.workloadParams.split(" ");
  const url = new URL(window.location.href);
  const given = names.filter((name) => url.searchParams.get(name));
  const storage = {
    get: () => { try { return window.localStorage.getItem(KEY); } catch { return null; } },
    set: (value) => { try { window.localStorage.setItem(KEY, value); } catch { /* private mode */ } },
    clear: () => { try { window.localStorage.removeItem(KEY); } catch { /* private mode */ } },
  };

  if (given.length) {
    const kept = new URLSearchParams();
    for (const name of given) kept.set(name, url.searchParams.get(name));
    storage.set(kept.toString());
  } else {
    const stored = storage.get();
    if (stored) {
      for (const [name, value] of new URLSearchParams(stored)) {
        if (names.includes(name)) url.searchParams.set(name, value);
      }
      if (url.href !== window.location.href) {
        window.location.replace(url.href);
        return;
      }
    }
  }

  for (const link of document.querySelectorAll("[data-workload-clear]")) {
    link.addEventListener("click", storage.clear);
  }
  // Requests a day and tokens a month are two ways to say one thing: typing one
  // empties the other, so the form never sends a volume it does not show.
  const perDay = fieldset.querySelector('[name="requests_per_day"]');
  const perMonth = fieldset.querySelector('[name="tokens_per_month"]');
  if (perDay && perMonth) {
    perDay.addEventListener("input", () => { if (perDay.value) perMonth.value = ""; });
    perMonth.addEventListener("input", () => { if (perMonth.value) perDay.value = ""; });
  }
})();
