// The overview's charts, drawn by Chart.js (served by Liaison itself) from the page's JSON data
// (json_script): no inline script, so the page runs under the Content-Security-Policy.
"use strict";

(function () {
  const source = document.getElementById("overview-data");
  if (!source || typeof window.Chart === "undefined") {
    return; // the tables beside each chart still carry the numbers
  }
  const palette = ["#417690", "#c6862b", "#6a9f4e", "#b04a5a", "#7b5ea7", "#4a8fb0", "#999999"];
  const charts = JSON.parse(source.textContent);

  // On a narrow screen long category names are shortened on the chart; the table has them whole.
  function shortened(label) {
    const narrow = window.innerWidth < 600;
    return narrow && label.length > 14 ? `${label.slice(0, 13)}…` : label;
  }

  // A dataset marked "secondary" (a few workshops or conferences beside hundreds of people) gets an
  // axis of its own, on the other side, so that its bars are not lost at the foot of the first.
  function scales(horizontal, datasets) {
    const counts = { beginAtZero: true, ticks: { precision: 0 } };
    const categories = {
      ticks: {
        callback(value) {
          return shortened(String(this.getLabelForValue(value)));
        },
      },
    };
    const result = horizontal ? { x: counts, y: categories } : { x: categories, y: counts };
    const secondary = datasets.find((dataset) => dataset.axis === "secondary");
    if (secondary) {
      const primary = datasets.find((dataset) => dataset.axis !== "secondary");
      counts.title = { display: true, text: primary.label, color: palette[datasets.indexOf(primary) % palette.length] };
      result[horizontal ? "x1" : "y1"] = {
        beginAtZero: true,
        position: horizontal ? "top" : "right",
        grid: { drawOnChartArea: false },
        ticks: { precision: 0, color: palette[datasets.indexOf(secondary) % palette.length] },
        title: { display: true, text: secondary.label, color: palette[datasets.indexOf(secondary) % palette.length] },
      };
    }
    return result;
  }

  for (const chart of charts) {
    const canvas = document.querySelector(`canvas[data-chart="${chart.id}"]`);
    if (!canvas) {
      continue;
    }
    const funnel = chart.type === "funnel";
    const doughnut = chart.type === "doughnut";
    const horizontal = funnel || ["expertise", "countries", "regions"].includes(chart.id);
    const datasets = chart.datasets.map((dataset, index) => {
      const drawn = {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: doughnut ? palette.slice(0, dataset.data.length) : palette[index % palette.length],
      };
      if (dataset.axis === "secondary") {
        drawn[horizontal ? "xAxisID" : "yAxisID"] = horizontal ? "x1" : "y1";
      }
      return drawn;
    });
    if (horizontal) {
      // One bar (or bar group) per row: tall enough to read every label.
      canvas.parentElement.style.height = `${Math.max(220, chart.labels.length * 30 * datasets.length + 80)}px`;
    }
    new window.Chart(canvas, {
      type: funnel ? "bar" : chart.type,
      data: { labels: chart.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: datasets.length > 1 || doughnut } },
        scales: doughnut ? {} : scales(horizontal, chart.datasets),
      },
    });
  }
})();
