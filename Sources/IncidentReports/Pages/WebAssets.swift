/// The web pages' one stylesheet and one script, served by the server at ``WebPage/stylesheetPath``
/// and ``WebPage/scriptPath``: the reports' house style, the review's, and the site's own.
public enum WebAssets {
    public static let stylesheet = HTML.stylesheet + ReviewHTML.stylesheet + site

    static let site = """
        .skip { position: absolute; left: -9999px; top: 0; padding: 8px 12px; background: #fff; color: var(--accent); z-index: 10; }
        .skip:focus { left: 8px; top: 8px; }
        header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 22px; max-width: 1120px; margin: 0 auto; padding: 10px 40px; border: 0; background: var(--ink); color: #fff; }
        header.site a { color: #fff; }
        header.site .brand { margin: 0; font-weight: 700; } header.site .brand a { text-decoration: none; }
        nav#site { display: flex; gap: 4px 16px; flex-wrap: wrap; }
        nav#site a { padding: 2px 2px; text-decoration: none; border-bottom: 2px solid transparent; }
        nav#site a:hover, nav#site a[aria-current="page"] { border-bottom-color: #fff; }
        header.site .viewer { margin-left: auto; display: flex; align-items: center; gap: 10px; font-size: 13px; }
        header.site form { margin: 0; }
        header.site button { padding: 3px 10px; border: 1px solid #fff; background: transparent; color: #fff; font: inherit; border-radius: 4px; cursor: pointer; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
        .error { margin: 10px 0; padding: 8px 12px; border-radius: 4px; background: var(--bad-bg); color: var(--bad); font-weight: 600; }
        .ok { margin: 10px 0; padding: 8px 12px; border-radius: 4px; background: #e6f4ea; color: #1e5c2e; font-weight: 600; }
        .field-error { margin: 2px 0 0; color: var(--bad); font-size: 13px; font-weight: 600; }
        form.filters, form.inline { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 10px 14px; margin: 12px 0; padding: 12px; background: var(--soft); border-radius: 6px; }
        form.filters label, form.inline label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; font-weight: 600; }
        form.stacked { display: grid; gap: 10px; max-width: 640px; }
        form.stacked label { display: block; font-weight: 600; font-size: 14px; }
        form.stacked .hint { display: block; font-weight: 400; font-size: 12.5px; color: var(--muted); }
        input, select, textarea, button { font: inherit; }
        input[type=text], input[type=password], input[type=search], input[type=number], select, textarea { width: 100%; max-width: 100%; padding: 5px 8px; border: 1px solid #8a94a3; border-radius: 4px; background: #fff; color: var(--ink); }
        form.filters input, form.filters select, form.inline input, form.inline select { width: auto; min-width: 9em; }
        input[type=checkbox], input[type=radio] { width: auto !important; min-width: 0 !important; margin: 0; }
        textarea { min-height: 5em; }
        fieldset { margin: 0; padding: 6px 10px; border: 1px solid var(--line); border-radius: 4px; }
        fieldset label { display: inline-flex !important; flex-direction: row !important; align-items: center; gap: 4px; margin-right: 12px; font-weight: 400 !important; }
        legend { font-weight: 600; font-size: 14px; }
        button[type=submit], .button { display: inline-block; padding: 6px 14px; border: 0; border-radius: 4px; background: var(--accent); color: #fff; font-weight: 600; text-decoration: none; cursor: pointer; }
        button[type=submit].secondary { background: #fff; color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); }
        ul.preview { display: grid; gap: 8px; margin: 8px 0 0; padding: 0; list-style: none; }
        ul.preview li { padding: 8px 12px; border-left: 3px solid var(--accent); border-radius: 4px; background: var(--soft); }
        ul.preview .channels { margin: 0 0 4px; font-size: 13px; font-weight: 600; }
        ul.preview .text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; }
        article.template { margin: 14px 0; padding: 8px 14px; border: 1px solid var(--line); border-radius: 6px; }
        article.template h3 { margin: 4px 0; }
        article.template[data-retired] { background: var(--soft); }
        .chip.retired { background: var(--bad-bg); color: var(--bad); }
        dd.template-text { white-space: pre-wrap; overflow-wrap: anywhere; }
        table#policy-settings th { width: 40%; }
        table#policy-settings th code { overflow-wrap: anywhere; }
        table.incidents td, table.incidents th { vertical-align: top; }
        ul.due { margin: 0; padding: 0; list-style: none; font-size: 12.5px; }
        li.due-item { margin: 0 0 2px; }
        li.due-item[data-overdue] { color: var(--bad); font-weight: 600; }
        nav.pagination { display: flex; gap: 14px; align-items: center; margin: 10px 0; }
        details.record { margin: 8px 0; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; }
        details.record summary { cursor: pointer; font-weight: 600; }
        details.record[open] summary { margin-bottom: 8px; }
        .downloads { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
        .downloads a { padding: 4px 10px; border: 1px solid var(--accent); border-radius: 4px; text-decoration: none; }
        .replay-control input[type=range] { width: 100%; }
        #live-status { font-size: 12.5px; color: var(--muted); }
        @media (max-width: 700px) {
          main { padding: 16px 14px 28px; }
          header.site { padding: 8px 14px; }
          header.site .viewer { margin-left: 0; }
          dl.facts { grid-template-columns: minmax(7em, 38%) 1fr; gap: 4px 10px; }
          h1 { font-size: 22px; }
          table.timeline td.who, table.timeline td.notes { min-width: 0; }
          main table { display: block; max-width: 100%; overflow-x: auto; }
          pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
        }

        """

    /// The site's icon (so a browser's request for one is answered): a ledger's page with a mark.
    public static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="5" y="3" width="22" height="26" rx="3" fill="#1d2430"/><path d="M10 11h12M10 16h12M10 21h8" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/></svg>

        """

    /// Progressive enhancement only: every page works without it.
    public static let script = """
        "use strict";
        (function () {
          // Filters apply as they change.
          document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
            form.addEventListener("change", function () { form.requestSubmit(); });
          });
          // The replay control: the chosen step's moment shows while dragging; letting go loads it.
          var step = document.getElementById("replay-step");
          if (step) {
            var label = document.getElementById("replay-step-moment");
            var moments = (step.getAttribute("data-moments") || "").split(" ");
            step.addEventListener("input", function () {
              var moment = moments[step.valueAsNumber - 1];
              if (label && moment) { label.textContent = "Step " + step.value + ": " + moment; }
            });
            step.addEventListener("change", function () { step.form.requestSubmit(); });
          }
          // A live page follows its incident's events and swaps in the parts that changed.
          var main = document.querySelector("main[data-live]");
          if (main && window.EventSource) {
            var pending = null;
            var refresh = function () {
              pending = null;
              fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) {
                  if (!html) { return; }
                  var fresh = new DOMParser().parseFromString(html, "text/html");
                  document.querySelectorAll("[data-live-part]").forEach(function (part) {
                    var next = fresh.getElementById(part.id);
                    if (next) { part.replaceWith(document.importNode(next, true)); }
                  });
                  var status = document.getElementById("live-status");
                  if (status) { status.textContent = "Updated live at " + new Date().toISOString().slice(11, 19) + " UTC."; }
                })
                .catch(function () {});
            };
            var source = new EventSource(main.getAttribute("data-live"));
            source.onmessage = function () { if (!pending) { pending = setTimeout(refresh, 150); } };
          }
        })();

        """
}
