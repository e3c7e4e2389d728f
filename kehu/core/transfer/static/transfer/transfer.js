// Export links follow the list's current filters: HTMX changes the address as you filter,
// so the link takes the page's query string at the moment it is clicked.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-export-link]");
  if (!link) return;
  var url = new URL(link.href, window.location.href);
  var format = url.searchParams.get("format") || "xlsx";
  var params = new URLSearchParams(window.location.search);
  params.delete("cursor");
  params.set("format", format);
  link.href = url.pathname + "?" + params.toString();
});
