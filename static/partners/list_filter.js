// Drop-down list filters (partners.filters.DropdownFilterMixin): choosing submits the filter's form;
// "All" leaves the parameter out of the address.
"use strict";
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("form.dropdown-filter select")) {
    if (!select.value) {
      select.disabled = true;
    }
    select.form.submit();
  }
});
