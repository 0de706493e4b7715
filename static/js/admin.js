/* Two repairs to the admin's autocomplete fields (Django's select2 4.0.13), made whenever select2
   draws them: the search box of a multiple choice gets the field's label as its accessible name
   (select2 leaves it unnamed), and the «clear all» cross moves out of the list of chosen items,
   where it made the list invalid for screen readers. select2 still finds and handles the cross
   inside its box. Loaded by admin/base_site.html: no inline script (strict CSP). */
"use strict";
{
  const labelOf = (select) => {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    return label ? label.textContent.trim().replace(/:$/, "") : "";
  };

  const repair = () => {
    for (const container of document.querySelectorAll(".select2-container")) {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") continue;
      const name = labelOf(select);
      for (const field of container.querySelectorAll(".select2-search__field")) {
        if (name && field.getAttribute("aria-label") !== name) field.setAttribute("aria-label", name);
      }
      for (const cross of container.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear")) {
        cross.closest(".select2-selection").append(cross);
      }
    }
  };

  const start = () => {
    repair();
    new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
