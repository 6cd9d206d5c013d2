// The inbox's « select all on this page » and the count of the selection. Without this script
// the page's checkbox still works (its value holds the page's dossiers), and CSS shows the bar.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.form?.id !== "qf-bulk-form") return;
  const table = document.querySelector("[data-qf-select-page]")?.closest("table");
  const pageBox = table?.querySelector("[data-qf-select-page]");
  const rows = table ? [...table.querySelectorAll('input[name="ids"]')] : [];
  if (box === pageBox) {
    rows.forEach((row) => {
      row.checked = box.checked;
    });
  } else if (pageBox && box.name === "ids") {
    const ticked = rows.filter((row) => row.checked).length;
    pageBox.checked = ticked === rows.length;
    pageBox.indeterminate = ticked > 0 && ticked < rows.length;
  }
  const count = document.querySelector(".qf-bulk__count");
  if (!count) return;
  const all = box.form.querySelector('input[name="scope"]');
  const ticked = rows.filter((row) => row.checked).length;
  count.textContent = all?.checked
    ? ""
    : ticked === 0
      ? ""
      : `${ticked} ${ticked > 1 ? count.dataset.plural : count.dataset.singular}`;
});
