/* Draws the dashboards' Plotly charts from the figures embedded in the page (json_script),
   built on the server from the same panel as the table beside each chart and its CSV.
   A map's outlines come from the boundaries endpoint named in its figure; clicking an area
   follows its drill-down link (the same link as the area's name in the table). PNG download
   is Plotly's own modebar button. No CDN and no tile server: everything is served here. */
(function () {
  "use strict";

  // Plotly's maps fetch a world outline from its CDN even when no base map is drawn; this
  // empty one stands in for it, so a map needs nothing from the internet.
  var NOTHING = { type: "GeometryCollection", geometries: [] };
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  window.PlotlyGeoAssets.topojson.world_110m = {
    type: "Topology",
    arcs: [],
    objects: {
      land: NOTHING, ocean: NOTHING, lakes: NOTHING, rivers: NOTHING,
      countries: NOTHING, subunits: NOTHING, coastlines: NOTHING
    }
  };

  function config(figure) {
    return {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", filename: figure.filename || "chart" }
    };
  }

  function outlines(figure) {
    if (!figure.geojson) {
      return Promise.resolve();
    }
    return fetch(figure.geojson, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("boundaries: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (geojson) {
        figure.data.forEach(function (trace) { trace.geojson = geojson; });
      });
  }

  function followClicks(element) {
    element.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && typeof point.customdata === "string" && point.customdata) {
        window.location.assign(point.customdata);
      }
    });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    var figure = JSON.parse(source.textContent);
    outlines(figure)
      .then(function () {
        return Plotly.newPlot(element, figure.data, figure.layout, config(figure));
      })
      .then(followClicks)
      .catch(function () {
        element.textContent = "The chart could not be drawn; its numbers are in the table below.";
      });
  }

  document.querySelectorAll("[data-figure]").forEach(draw);
})();
