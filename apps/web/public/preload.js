// Asks the agent for the host list and the topology of the host the page opens while the page's
// JavaScript is still downloading and starting (half a second on a slow machine), instead of
// after, and reads and parses the answers in that time too. The app takes them once, through
// src/api/preloadedAnswers.ts: with the answers in, it starts with the graph instead of a
// loading state. A plain script, so that it runs during HTML parsing; a separate file, so that a
// strict CSP (script-src 'self') allows it.
(function () {
  'use strict';
  if (typeof fetch !== 'function' || typeof Map !== 'function' || typeof Promise !== 'function') return;
  var responses = new Map();
  var parsed = new Map();
  var init = { headers: { accept: 'application/json, application/problem+json' }, cache: 'no-store' };
  var base = location.origin;

  /** Fetches url; resolves to its parsed body when the answer is a 200 JSON one, else null. */
  function ask(url) {
    var answer = fetch(url, init);
    responses.set(url, answer);
    return answer.then(function (r) {
      var type = r.headers.get('content-type') || '';
      if (r.status !== 200 || type.indexOf('application/json') !== 0) return null;
      return r.clone().json().then(function (body) {
        // Only while the app has not taken the response itself.
        if (responses.get(url) === answer) parsed.set(url, { etag: r.headers.get('etag'), body: body });
        return body;
      });
    });
  }
  function topologyOf(host) {
    return ask(base + '/api/v1/hosts/' + encodeURIComponent(host) + '/topology');
  }

  // The host in the address bar, else the one the agent named in index.html: its topology is
  // asked for at once, beside the host list that confirms it. The fleet overview needs no
  // topology. Once the list is in, the page opens a host the address names and the server knows,
  // or the only host; with several hosts and none named it opens the fleet (src/hostChoice.ts
  // chooses the same way).
  var params = new URLSearchParams(location.search);
  var fleet = params.get('view') === 'fleet' || (!params.get('host') && params.has('q'));
  var wanted = fleet ? null : params.get('host') || null;
  var hint = document.querySelector('meta[name="vfmap-host"]');
  var early = fleet ? null : wanted || (hint && hint.getAttribute('content')) || null;
  var earlyTopology = early ? topologyOf(early) : null;
  var done = ask(base + '/api/v1/hosts').then(function (list) {
    if (fleet) return;
    var all = list && Array.isArray(list.hosts) ? list.hosts : [];
    var chosen = all.filter(function (h) { return h.id === wanted; })[0] || (all.length === 1 ? all[0] : null);
    if (!chosen || typeof chosen.id !== 'string') return;
    return chosen.id === early ? earlyTopology : topologyOf(chosen.id);
  });
  // Settles when every answer the app will want is in and parsed, or failed: the app explains
  // failures when it asks again.
  window.__vfmapPreloaded = {
    responses: responses,
    parsed: parsed,
    done: done.then(function () {}, function () {}),
  };
  if (earlyTopology) earlyTopology.catch(function () {});
})();
