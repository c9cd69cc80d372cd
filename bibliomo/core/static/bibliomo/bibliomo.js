// Small behaviours of the pages, here rather than inline: the Content-Security-Policy
// allows scripts from this site only ("script-src 'self'").

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// The menu button of narrow screens: the menu opens and closes from it. Without this script
// the menu stays a plain wrapped list (the stylesheet hides it only under html.js).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".nav-toggle");
  if (!button) {
    return;
  }
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  menu.classList.toggle("nav--open", open);
});

// Tables marked data-grid (the school's order, attendance marks): ↑ ↓ and Enter move to the same
// field of the neighbouring row, ← → to the neighbouring field of the row (from a text field only
// at its edge). Enter never submits the form from inside the table: the button does.
function gridFields(row) {
  return Array.prototype.filter.call(row.querySelectorAll("input, select"), function (field) {
    return field.type !== "hidden" && field.type !== "checkbox" && !field.disabled;
  });
}

function gridMove(field, key) {
  var row = field.closest("tr");
  var rows = Array.prototype.filter.call(
    field.closest("[data-grid]").querySelectorAll("tbody tr"),
    function (r) { return gridFields(r).length > 0; }
  );
  var fields = gridFields(row);
  var column = fields.indexOf(field);
  var target = null;
  if (key === "ArrowDown" || key === "Enter" || key === "ArrowUp") {
    var next = rows[rows.indexOf(row) + (key === "ArrowUp" ? -1 : 1)];
    if (next) {
      var nextFields = gridFields(next);
      target = nextFields[Math.min(column, nextFields.length - 1)];
    }
  } else {
    target = fields[column + (key === "ArrowLeft" ? -1 : 1)];
  }
  if (target) {
    target.focus();
    if (target.select && target.tagName === "INPUT") {
      target.select();
    }
  }
}

document.addEventListener("keydown", function (event) {
  var field = event.target;
  var key = event.key;
  if (!field.matches || !field.matches("[data-grid] input, [data-grid] select")) {
    return;
  }
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || field.type === "checkbox") {
    return;
  }
  if (key === "ArrowLeft" || key === "ArrowRight") {
    var text = field.tagName === "INPUT" && field.selectionStart !== null;
    var atEdge = key === "ArrowLeft"
      ? field.selectionStart === 0 && field.selectionEnd === 0
      : field.selectionStart === field.value.length;
    if (text && !atEdge) {
      return;
    }
  } else if (key !== "ArrowUp" && key !== "ArrowDown" && key !== "Enter") {
    return;
  }
  event.preventDefault();
  gridMove(field, key);
});

// A table wider than the screen scrolls inside its box; the box then takes the keyboard focus,
// so the arrow keys scroll it without a mouse.
// The heading the table stands under names its region (each region's name is its own).
function tableName(box) {
  var caption = box.querySelector("caption");
  if (caption) {
    return caption.textContent.trim();
  }
  for (var node = box; node && node !== document.body; node = node.parentElement) {
    for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      var heading = sibling.matches("h1, h2, h3") ? sibling : sibling.querySelector("h1, h2, h3");
      if (heading) {
        return "Таблица «" + heading.textContent.trim().replace(/\s+/g, " ") + "»";
      }
    }
  }
  return "Таблица";
}

function scrollableTables() {
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box) + " — прокручивается стрелками");
        box.dataset.scrollable = "1";
      }
    } else if (box.dataset.scrollable) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollable;
    }
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", scrollableTables);
} else {
  scrollableTables();
}
window.addEventListener("resize", scrollableTables);
document.addEventListener("htmx:afterSettle", scrollableTables);
