// School maps (templates/includes/school_map.html): a Leaflet map on OpenStreetMap tiles built
// from plain points {id, name, lat, lon, provision, shortage, url} — the page's data island, or
// JSON {"points": [...]} loaded from the box's data-points-url (a map of many schools) — and,
// for the exchange scheme, edges {from, to, copies}. The server-drawn picture inside the box
// stays when Leaflet, the points or the tiles cannot load.
(function () {
  "use strict";

  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = '&copy; участники <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
  // The provision bands of the summary page's legend, best first.
  var BANDS = [
    { from: 100, colour: "#1d6b3a", label: "100%" },
    { from: 95, colour: "#7aa33b", label: "95–99%" },
    { from: 85, colour: "#d08a00", label: "85–94%" },
    { from: 0, colour: "#a32020", label: "ниже 85%" },
  ];
  var NO_DATA = "#9aa4b1";
  var SCHOOL = "#174a6d";
  var ROUTE = "#b35c00";
  // No tile in this time: the base map is out of reach, the drawing is shown instead.
  var PATIENCE_MS = 6000;

  function number(value) {
    return Math.round(value).toLocaleString("ru-RU");
  }

  function colourOf(provision) {
    if (provision === null || provision === undefined) {
      return NO_DATA;
    }
    for (var i = 0; i < BANDS.length; i++) {
      if (provision >= BANDS[i].from) {
        return BANDS[i].colour;
      }
    }
    return BANDS[BANDS.length - 1].colour;
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) {
      node.className = className;
    }
    return node;
  }

  function popup(point, kind) {
    var box = document.createElement("div");
    box.appendChild(text("strong", point.name));
    if (point.provision !== null && point.provision !== undefined) {
      box.appendChild(text("div", "Обеспеченность: " + point.provision.toLocaleString("ru-RU", { maximumFractionDigits: 1 }) + "%"));
    } else if (kind === "provision") {
      box.appendChild(text("div", "Обеспеченность: нет данных"));
    }
    if (point.shortage !== null && point.shortage !== undefined) {
      box.appendChild(text("div", "Нехватка: " + number(point.shortage) + " экз."));
    }
    if (point.sends) {
      box.appendChild(text("div", "Отдаёт: " + number(point.sends) + " экз."));
    }
    if (point.receives) {
      box.appendChild(text("div", "Получает: " + number(point.receives) + " экз."));
    }
    if (point.url) {
      var link = text("a", "Открыть");
      link.href = point.url;
      box.appendChild(document.createElement("div")).appendChild(link);
    }
    return box;
  }

  function legend(kind) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "school-map__legend");
      if (kind === "scheme") {
        box.appendChild(text("div", "● школа", "school-map__key--school"));
        box.appendChild(text("div", "→ перевозка, число — экземпляры", "school-map__key--route"));
        return box;
      }
      box.appendChild(text("div", "Обеспеченность"));
      BANDS.concat([{ colour: NO_DATA, label: "нет данных" }]).forEach(function (band) {
        var row = text("div", " " + band.label);
        var dot = text("span", "●");
        dot.style.color = band.colour;
        dot.setAttribute("aria-hidden", "true");
        row.insertBefore(dot, row.firstChild);
        box.appendChild(row);
      });
      return box;
    };
    return control;
  }

  // An arrowhead at the target end, drawn in screen pixels so it keeps its size on zoom.
  function arrowhead(map, from, to) {
    var a = map.latLngToLayerPoint(from);
    var b = map.latLngToLayerPoint(to);
    var angle = Math.atan2(b.y - a.y, b.x - a.x);
    var tip = b.subtract(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(9));
    var size = 10;
    var left = L.point(tip.x - size * Math.cos(angle - 0.45), tip.y - size * Math.sin(angle - 0.45));
    var right = L.point(tip.x - size * Math.cos(angle + 0.45), tip.y - size * Math.sin(angle + 0.45));
    return [tip, left, right].map(function (p) {
      return map.layerPointToLatLng(p);
    });
  }

  function drawEdges(map, edges, byId) {
    var heads = [];
    var heaviest = Math.max.apply(null, edges.map(function (e) { return e.copies || 0; }).concat([1]));
    edges.forEach(function (edge) {
      var from = byId[edge.from];
      var to = byId[edge.to];
      if (!from || !to) {
        return;
      }
      var ends = [[from.lat, from.lon], [to.lat, to.lon]];
      var line = L.polyline(ends, { color: ROUTE, weight: 2 + 4 * (edge.copies || 0) / heaviest, opacity: 0.8 });
      line.bindTooltip(from.name + " → " + to.name + ": " + number(edge.copies || 0) + " экз.", { sticky: true });
      line.addTo(map);
      // The number stands nearer the sender: two shipments between the same schools in
      // opposite directions keep their numbers apart.
      var middle = L.latLng(from.lat + (to.lat - from.lat) * 0.4, from.lon + (to.lon - from.lon) * 0.4);
      L.marker(middle, {
        icon: L.divIcon({ className: "school-map__copies", html: "", iconSize: [44, 18], iconAnchor: [22, 9] }),
        keyboard: false,
        interactive: false,
      }).addTo(map).getElement().textContent = number(edge.copies || 0);
      var head = L.polygon(arrowhead(map, ends[0], ends[1]), { color: ROUTE, fillOpacity: 1, weight: 1 });
      head.addTo(map);
      heads.push({ layer: head, ends: ends });
    });
    map.on("zoomend", function () {
      heads.forEach(function (h) {
        h.layer.setLatLngs(arrowhead(map, h.ends[0], h.ends[1]));
      });
    });
  }

  function build(box) {
    if (!window.L) {
      return; // Leaflet did not load: the drawing stays.
    }
    if (box.dataset.pointsUrl) {
      fetch(box.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          draw(box, data.points || [], null);
        })
        .catch(function () {
          // The points did not come: the drawing stays.
        });
      return;
    }
    var island = document.getElementById(box.dataset.points);
    if (!island) {
      return;
    }
    var edgesIsland = box.dataset.edges && document.getElementById(box.dataset.edges);
    draw(box, JSON.parse(island.textContent), edgesIsland ? JSON.parse(edgesIsland.textContent) : null);
  }

  function draw(box, found, edges) {
    var points = found.filter(function (p) {
      return typeof p.lat === "number" && typeof p.lon === "number";
    });
    if (points.length === 0) {
      return;
    }
    var kind = edges ? "scheme" : "provision";
    edges = edges || [];
    var fallback = box.querySelector(".school-map__fallback");
    var canvas = document.createElement("div");
    canvas.className = "school-map__canvas";
    box.insertBefore(canvas, fallback);
    box.classList.add("school-map--live");
    // Hundreds of dots are drawn on one canvas, not as as many SVG elements.
    var map = L.map(canvas, { scrollWheelZoom: false, preferCanvas: points.length > 300 });
    var loaded = 0;
    var giveUp = function () {
      if (loaded === 0 && canvas.parentNode) {
        map.remove();
        canvas.parentNode.removeChild(canvas);
        box.classList.remove("school-map--live");
      }
    };
    var tiles = L.tileLayer(TILES, { attribution: ATTRIBUTION, maxZoom: 18 });
    tiles.on("tileload", function () {
      loaded += 1;
    });
    tiles.on("tileerror", function () {
      window.setTimeout(giveUp, 300);
    });
    window.setTimeout(giveUp, PATIENCE_MS);
    tiles.addTo(map);
    var byId = {};
    var bounds = [];
    points.forEach(function (point) {
      byId[point.id] = point;
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    if (edges.length) {
      drawEdges(map, edges, byId);
    }
    points.forEach(function (point) {
      var colour = kind === "scheme" ? SCHOOL : colourOf(point.provision);
      L.circleMarker([point.lat, point.lon], {
        radius: 8,
        color: "#ffffff",
        weight: 2,
        fillColor: colour,
        fillOpacity: 0.95,
      })
        .bindPopup(popup(point, kind))
        .bindTooltip(point.name)
        .addTo(map);
    });
    legend(kind).addTo(map);
  }

  function start() {
    Array.prototype.forEach.call(
      document.querySelectorAll(".school-map[data-points], .school-map[data-points-url]"),
      build
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
