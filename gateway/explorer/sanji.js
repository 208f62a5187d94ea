// The explorer page: GraphiQL with Sanji's contract operations as ready tabs, and the caller's
// token sent with every request. In development a picker of demo viewers sets the token; in
// production the analyst pastes their own. Each viewer's tabs and variables are kept in this
// browser (localStorage), so a reload finds them as they were. Beside the JSON, the result view
// shows the answer's lists as tables and charts. Everything it loads comes from the gateway itself.
(function () {
  'use strict';
  var h = React.createElement;
  var TOKEN_KEY = 'sanji.explorer.token';
  var VIEWER_KEY = 'sanji.explorer.viewer';
  var VIEW_KEY = 'sanji.explorer.view';
  var OWN_TOKEN = 'own token';

  // Each viewer's tabs are its own: a city's saved ids mean nothing to a county. Resetting starts a
  // new generation, so a save the closing GraphiQL still has pending cannot bring the old tabs back.
  function generationKey(viewer) { return 'sanji.explorer.generation.' + viewer; }

  function storageFor(viewer) {
    var generation = window.localStorage.getItem(generationKey(viewer)) || '0';
    return GraphiQL.createLocalStorage({ namespace: 'sanji.explorer.tabs.' + viewer + '.' + generation });
  }

  function forgetTabs(viewer) {
    var generation = Number(window.localStorage.getItem(generationKey(viewer)) || '0');
    var prefix = 'sanji.explorer.tabs.' + viewer + '.';
    Object.keys(window.localStorage).forEach(function (key) { if (key.indexOf(prefix) === 0) window.localStorage.removeItem(key); });
    window.localStorage.setItem(generationKey(viewer), String(generation + 1));
  }

  // The answers of the operations run (not GraphiQL's own schema requests) go to the result view too.
  function fetcherFor(token, onAnswer) {
    var fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: token ? { authorization: 'Bearer ' + token } : {}, enableIncrementalDelivery: false });
    return function (params, options) {
      var answer = fetcher(params, options);
      if (params.operationName !== 'IntrospectionQuery') {
        Promise.resolve(answer).then(function (body) {
          if (body && typeof body === 'object' && !(Symbol.asyncIterator in body)) onAnswer({
            operationName: params.operationName,
            query: params.query,
            variables: params.variables || {},
            data: body.data,
            // The result view asks for the other pages of a connection as this viewer.
            ask: function (query, variables, operationName) { return ask(token, query, variables, operationName); },
          });
        }, function () { return undefined; });
      }
      return answer;
    };
  }

  function ask(token, query, variables, operationName) {
    return fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables || {}, operationName: operationName || undefined }),
    }).then(function (response) { return response.json(); });
  }

  // Example ids for the operations that need one, read with the caller's own token and tier: the
  // caller's own branch, else a branch covering an institution of the tier, and a full member of
  // that branch. Not any member's branch: some members' formal relation is kept at a station, and
  // not any covered institution's: a branch office may be covered by its head office's branch in
  // another city, which the caller cannot read.
  function exampleIds(token) {
    var fallback = { code: '210000', organizationId: null, memberId: null };
    return askUntilAnswered(token, '{ viewer { region { code } organization { id } } institutions(first: 20, filter: { coverageStatus: STANDALONE_BRANCH }) { edges { node { partyOrganization { id } } } } }')
      .then(function (answer) {
        var data = (answer && answer.data) || {};
        var edges = (data.institutions && data.institutions.edges) || [];
        var covering = edges.find(function (edge) { return edge.node.partyOrganization; });
        var covered = covering && covering.node.partyOrganization;
        var ids = {
          code: data.viewer && data.viewer.region ? data.viewer.region.code : fallback.code,
          organizationId: (data.viewer && data.viewer.organization && data.viewer.organization.id) || (covered && covered.id) || null,
          memberId: null,
        };
        var filter = ids.organizationId ? { organizationId: ids.organizationId, partyStatus: 'FULL' } : { partyStatus: 'FULL' };
        return askUntilAnswered(token, 'query($filter: MemberFilter) { members(first: 1, filter: $filter) { edges { node { id } } } }', { filter: filter }).then(function (members) {
          var edge = members && members.data && members.data.members && members.data.members.edges[0];
          ids.memberId = edge ? edge.node.id : null;
          return ids;
        });
      })
      .catch(function (err) {
        console.warn('Sanji explorer: no example variables for this viewer, the province\'s are shown instead:', err);
        return fallback;
      });
  }

  // The example variables are asked once per viewer, so a request that failed on the way (a busy
  // gateway, a dropped connection) is asked again before the tabs fall back to the province's.
  // An answer without data fails, with its errors, once the tries are spent; one with data is used
  // as it is, even with errors on part of it (a pasted token may not read every field).
  function askUntilAnswered(token, query, variables) {
    var tries = 3;
    function attempt(left) {
      return ask(token, query, variables).then(function (answer) {
        if (answer && answer.data) return answer;
        throw new Error(JSON.stringify((answer && answer.errors) || answer));
      }).catch(function (err) {
        if (left <= 1) throw err;
        return new Promise(function (resolve) { setTimeout(resolve, 300 * (tries - left + 1)); }).then(function () { return attempt(left - 1); });
      });
    }
    return attempt(tries);
  }

  function tabsFor(operations, ids) {
    return operations.map(function (operation) {
      var variables = {};
      Object.keys(operation.variables).forEach(function (name) {
        var value = operation.variables[name];
        if (value === '$code') value = ids.code;
        if (value === '$organizationId') value = ids.organizationId;
        if (value === '$memberId') value = ids.memberId;
        variables[name] = value;
      });
      return { query: operation.query, variables: JSON.stringify(variables, null, 2) };
    });
  }

  var MagnifyingGlass = GraphiQL.React.MagnifyingGlassIcon;

  function App() {
    var tokenState = React.useState(window.localStorage.getItem(TOKEN_KEY) || '');
    var token = tokenState[0], setToken = tokenState[1];
    var viewerState = React.useState(window.localStorage.getItem(VIEWER_KEY) || '');
    var viewerLabel = viewerState[0], setViewerLabel = viewerState[1];
    var viewersState = React.useState(null);
    var viewers = viewersState[0], setViewers = viewersState[1];
    var tabsState = React.useState(null);
    var tabs = tabsState[0], setTabs = tabsState[1];
    var operationsState = React.useState(null);
    var operations = operationsState[0], setOperations = operationsState[1];
    var termsState = React.useState(null);
    var terms = termsState[0], setTerms = termsState[1];
    var answerState = React.useState(null);
    var answer = answerState[0], setAnswer = answerState[1];
    var viewState = React.useState(window.localStorage.getItem(VIEW_KEY) || 'json');
    var view = viewState[0], setView = viewState[1];
    var resetState = React.useState(0);
    var resets = resetState[0], setResets = resetState[1];

    React.useEffect(function () {
      fetch('/explorer/viewers.json').then(function (r) { return r.ok ? r.json() : []; }).then(setViewers, function () { setViewers([]); });
      fetch('/explorer/operations.json').then(function (r) { return r.json(); }).then(setOperations);
      fetch('/explorer/terms.json').then(function (r) { return r.json(); }).then(setTerms);
    }, []);

    React.useEffect(function () { window.localStorage.setItem(VIEW_KEY, view); }, [view]);

    // A new viewer closes the old tabs until its own are ready: GraphiQL mounts once per viewer
    // with that viewer's saved tabs, or the examples for it, and an answer for a viewer no longer
    // chosen is dropped.
    // Demo tokens are signed afresh on every load: a reload picks the same viewer again by its name.
    var picked = viewers && viewerLabel !== OWN_TOKEN ? viewers.find(function (viewer) { return viewer.label === viewerLabel; }) : undefined;
    if (picked) token = picked.token;
    var viewerKey = picked ? picked.label : token ? OWN_TOKEN : '';
    React.useEffect(function () {
      if (!operations || !viewers) return;
      var chosen = true;
      window.localStorage.setItem(TOKEN_KEY, token);
      window.localStorage.setItem(VIEWER_KEY, viewerKey);
      setAnswer(null);
      if (!token) { setTabs(tabsFor(operations, { code: '210000', organizationId: null, memberId: null })); return; }
      setTabs(null);
      exampleIds(token).then(function (ids) { if (chosen) setTabs(tabsFor(operations, ids)); });
      return function () { chosen = false; };
    }, [operations, viewers, token, resets]);

    var fetcher = React.useMemo(function () { return fetcherFor(token, setAnswer); }, [token]);
    var storage = React.useMemo(function () { return storageFor(viewerKey || 'none'); }, [viewerKey, resets]);
    var plugins = React.useMemo(function () {
      return [{
        title: 'Search terms 术语检索',
        icon: function () { return h(MagnifyingGlass); },
        content: function () { return h(SanjiResultView.TermSearch, { terms: terms }); },
      }];
    }, [terms]);

    function resetTabs() {
      forgetTabs(viewerKey || 'none');
      setResets(resets + 1);
    }

    var bar = h('div', { className: 'sanji-bar' },
      h('strong', null, 'Sanji 三级'),
      viewers && viewers.length > 0 && h('label', null, 'Demo viewer ',
        h('select', {
          'aria-label': 'Demo viewer',
          value: picked ? picked.label : '',
          onChange: function (event) {
            var viewer = viewers.find(function (v) { return v.label === event.target.value; });
            setViewerLabel(viewer ? viewer.label : '');
            setToken(viewer ? viewer.token : '');
          },
        }, [h('option', { key: '', value: '' }, '— choose —')].concat(viewers.map(function (viewer) {
          return h('option', { key: viewer.label, value: viewer.label }, viewer.label);
        })))),
      h('input', {
        'aria-label': 'Bearer token',
        placeholder: 'Paste a bearer token',
        value: token,
        onChange: function (event) { setViewerLabel(OWN_TOKEN); setToken(event.target.value.trim()); },
      }),
      h('span', { className: 'sanji-who' }, picked ? picked.label : token ? 'your token' : 'no token'),
      h('button', { type: 'button', className: 'sanji-reset', title: 'Open the contract operations again with this viewer\'s example variables', onClick: resetTabs }, 'Reset tabs 重置'),
      h('div', { className: 'sanji-views', role: 'group', 'aria-label': 'Result view' },
        h('button', { type: 'button', 'aria-pressed': view === 'json', onClick: function () { setView('json'); } }, 'JSON'),
        h('button', { type: 'button', 'aria-pressed': view === 'table', onClick: function () { setView('table'); } }, 'Table & chart 表格')));

    return h(React.Fragment, null, bar,
      h('div', { className: 'sanji-main sanji-view-' + view },
        h('div', { className: 'sanji-explorer' },
          tabs && h(GraphiQL, {
            key: viewerKey + ':' + token + ':' + resets,
            fetcher: fetcher,
            defaultTabs: tabs,
            storage: storage,
            plugins: plugins,
            defaultEditorToolsVisibility: 'variables',
          })),
        view === 'table' && h(SanjiResultView.ResultView, { answer: answer, terms: terms })));
  }

  ReactDOM.createRoot(document.getElementById('sanji')).render(h(App));
})();
