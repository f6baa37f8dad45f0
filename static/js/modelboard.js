// Copy buttons: <button class="copy" data-copy="#selector">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    button.textContent = "Press Ctrl+C";
    window.getSelection().selectAllChildren(source);
  }
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
});
