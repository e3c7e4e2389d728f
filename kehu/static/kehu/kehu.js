// Kehu's own small script: no inline scripts (CSP), progressive enhancement only.
document.addEventListener("change", (event) => {
  // The language switch submits itself when JavaScript is on; the button stays for no-JS.
  if (event.target.matches("[data-testid=language-select]")) event.target.form.requestSubmit();
});
