// Material's version selector, made to work from a file share (file://) as well as over HTTP.
//
// Material fetches ../versions.json with XMLHttpRequest, which browsers refuse for file:// pages, and
// its links open a version's folder (../v2/), which a file share shows as a directory listing. `bcm
// publish` writes versions.js at the site's root (loaded just before this script) with mike's version
// list and each version's pages; this script answers Material's request from it, and sends a click
// in the selector to the same page in the chosen version, or to that version's home page.
(function () {
  "use strict";
  var versions = window.bcmVersions;
  var script = document.currentScript;
  if (!Array.isArray(versions) || !script) return;
  // This script is <site>/<version>/assets/javascripts/bcm-versions.js.
  var versionRoot = new URL("../../", script.src);
  var siteRoot = new URL("../", versionRoot);
  var listUrl = new URL("versions.json", siteRoot).href;
  // Material writes each title into the selector as HTML: a title is text, so its markup is escaped.
  function text(value) {
    return String(value).replace(/[&<>"']/g, function (char) {
      return "&#" + char.charCodeAt(0) + ";";
    });
  }
  var listing = versions.map(function (entry) {
    return {
      version: entry.version,
      title: text(entry.title),
      aliases: entry.aliases,
      properties: entry.properties,
    };
  });

  var Native = window.XMLHttpRequest;
  function VersionsRequest() {
    var request = new Native();
    var open = request.open;
    var send = request.send;
    var answered = false;
    request.open = function (method, url) {
      answered = new URL(url, document.baseURI).href === listUrl;
      if (!answered) return open.apply(request, arguments);
    };
    request.send = function () {
      if (!answered) return send.apply(request, arguments);
      var body = new Blob([JSON.stringify(listing)], { type: "application/json" });
      Object.defineProperty(request, "status", { value: 200 });
      Object.defineProperty(request, "statusText", { value: "OK" });
      Object.defineProperty(request, "response", { value: body });
      setTimeout(function () {
        request.dispatchEvent(new ProgressEvent("load"));
      });
    };
    return request;
  }
  VersionsRequest.prototype = Native.prototype;
  window.XMLHttpRequest = VersionsRequest;

  function pageIn(entry) {
    var here = location.href.split("#")[0].split("?")[0];
    var page = here.indexOf(versionRoot.href) === 0 ? here.slice(versionRoot.href.length) : "";
    if (page === "" || page.slice(-1) === "/") page += "index.html";
    return entry.pages.indexOf(page) >= 0 ? page + location.hash : "index.html";
  }

  document.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest(".md-version a") : null;
      if (!link || event.metaKey || event.ctrlKey) return;
      var folder = new URL(link.href);
      var entry = versions.find(function (candidate) {
        return new URL(candidate.version + "/", siteRoot).href === folder.href;
      });
      if (!entry) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      location.href = new URL(entry.version + "/" + pageIn(entry), siteRoot).href;
    },
    true,
  );
})();
