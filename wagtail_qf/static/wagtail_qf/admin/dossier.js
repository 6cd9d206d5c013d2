// The dossier page: how many characters are left in a limited text (the internal comment).
// The count shows as the agent types; screen readers hear it once the agent pauses (a polite
// live region), not at every key. Without this script the field's help text gives the limit.
document.querySelectorAll("[data-qf-count-for]").forEach((count) => {
  const field = document.getElementById(count.dataset.qfCountFor);
  const max = Number(count.dataset.qfCountMax);
  if (!field || !max) return;
  let pause;
  const say = () => {
    const left = max - field.value.length;
    const text =
      left <= 0
        ? count.dataset.qfCountNone
        : left === 1
          ? count.dataset.qfCountOne
          : count.dataset.qfCountMany;
    return text.replace("{n}", left).replace("{max}", max);
  };
  const visible = document.createElement("span");
  const spoken = document.createElement("span");
  visible.setAttribute("aria-hidden", "true");
  spoken.className = "w-sr-only";
  count.append(visible, spoken);
  const update = () => {
    visible.textContent = say();
    clearTimeout(pause);
    pause = setTimeout(() => {
      spoken.textContent = say();
    }, 800);
  };
  visible.textContent = say();
  field.addEventListener("input", update);
});
