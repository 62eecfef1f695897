// The workspace's only script of its own: kept in a file because the Content-Security-Policy
// allows no inline script or event-handler attribute (see docs/security.md).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
