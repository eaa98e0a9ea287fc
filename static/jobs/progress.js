// The background job page: asks the job's status every 2 seconds and shows it; reloads the page
// once the job has ended (to show its file or its error). Without script the page refreshes
// itself (a <noscript> meta refresh) and has a reload link.
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status-url]");
  if (!root || !root.dataset.jobStatusUrl) {
    return;
  }
  var url = root.dataset.jobStatusUrl;
  var bar = document.getElementById("job-progress-bar");

  function field(name) {
    return root.querySelector('[data-job-field="' + name + '"]');
  }

  function setText(name, text) {
    var element = field(name);
    if (element) {
      element.textContent = text;
    }
  }

  function show(status) {
    setText("state_label", status.state_label);
    setText("started", status.started);
    setText("phase", status.phase || "");
    var phaseWrap = field("phase-wrap");
    if (phaseWrap) {
      phaseWrap.hidden = !status.phase;
    }
    setText("done", status.done.toLocaleString("en-US"));
    setText("total", status.total === null ? "?" : status.total.toLocaleString("en-US"));
    setText("time_left", status.time_left || "\u2014");
    var note = field("cancel-note");
    if (note) {
      note.hidden = !status.cancel_requested;
    }
    if (bar) {
      if (status.total) {
        bar.max = status.total;
        bar.value = status.done;
        bar.textContent = status.percent + "%";
      } else {
        bar.removeAttribute("value");
      }
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
