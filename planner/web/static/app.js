// dakpan serve: live progress through server-sent events, and the Stop button.
// Texts come from the server; they are set with textContent, never as HTML.
"use strict";
(function () {
  var job = document.getElementById("job");
  if (!job) { return; }
  var bar = document.getElementById("bar");
  var line = document.getElementById("line");
  var next = document.getElementById("next");
  var stop = document.getElementById("stop");
  var source = new EventSource(job.getAttribute("data-events"));
  function show(p) {
    line.textContent = p.stopping ? p.line + " · " + p.stopping_text : p.line;
    bar.value = p.fraction;
    job.setAttribute("data-state", p.state);
    if (p.over && stop) { stop.remove(); stop = null; }
    if (p.state === "noplan") {
      next.textContent = p.no_plan_text + " " + p.explanation.join(" ");
    }
    if (p.result) {
      var link = document.createElement("a");
      link.href = p.result;
      link.id = "result";
      link.textContent = p.result;
      next.replaceChildren(link);
    }
  }
  source.onmessage = function (event) { show(JSON.parse(event.data)); };
  source.addEventListener("end", function () {
    source.close();
    var link = document.getElementById("result");
    if (link) { window.location.assign(link.href); }
  });
  if (stop) {
    stop.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(stop);
      fetch(stop.action, { method: "POST", body: new URLSearchParams(data),
        credentials: "same-origin", redirect: "manual" });
      var button = stop.querySelector("button");
      if (button) { button.disabled = true; }
    });
  }
})();
