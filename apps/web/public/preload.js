// Asks the agent for the host list and the first host's topology while the page's JavaScript is
// still downloading and starting (half a second on a slow machine), instead of after. The app
// takes these answers once, through src/api/preloadedFetch.ts, and fetches normally from then on.
// A plain script, so that it runs during HTML parsing; a separate file, so that a strict CSP
// (script-src 'self') allows it.
(function () {
  'use strict';
  if (typeof fetch !== 'function' || typeof Map !== 'function') return;
  var preloaded = new Map();
  window.__vfmapPreloaded = preloaded;
  var init = { headers: { accept: 'application/json, application/problem+json' }, cache: 'no-store' };
  var base = location.origin;
  var hostsUrl = base + '/api/v1/hosts';
  var hosts = fetch(hostsUrl, init);
  preloaded.set(hostsUrl, hosts);
  var wanted = new URLSearchParams(location.search).get('host');
  hosts
    .then(function (r) {
      return r.ok ? r.clone().json() : null;
    })
    .then(function (list) {
      var all = list && Array.isArray(list.hosts) ? list.hosts : [];
      var chosen = all.filter(function (h) { return h.id === wanted; })[0] || all[0];
      if (!chosen || typeof chosen.id !== 'string') return;
      var url = base + '/api/v1/hosts/' + encodeURIComponent(chosen.id) + '/topology';
      preloaded.set(url, fetch(url, init));
    })
    .catch(function () {
      // The app asks again and explains the failure.
    });
})();
