// The explorer page: GraphiQL with Sanji's contract operations as ready tabs, and the caller's
// token sent with every request. In development a picker of demo viewers sets the token; in
// production the analyst pastes their own. Everything it loads comes from the gateway itself.
(function () {
  'use strict';
  var h = React.createElement;
  var TOKEN_KEY = 'sanji.explorer.token';

  // GraphiQL restores saved tabs on every mount; the explorer opens each viewer with its own fresh set.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; },
      get length() { return Object.keys(items).length; },
    };
  }

  function fetcherFor(token) {
    return GraphiQL.createFetcher({ url: '/graphql', headers: token ? { authorization: 'Bearer ' + token } : {} });
  }

  function ask(token, query, variables) {
    return fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (response) { return response.json(); });
  }

  // Example ids for the operations that need one, read with the caller's own token and tier.
  function exampleIds(token) {
    return ask(token, '{ viewer { region { code } organization { id } } members(first: 1, filter: { partyStatus: FULL }) { edges { node { id partyOrganization { id } } } } }')
      .then(function (answer) {
        var data = (answer && answer.data) || {};
        var member = data.members && data.members.edges[0] && data.members.edges[0].node;
        return {
          code: data.viewer && data.viewer.region ? data.viewer.region.code : '210000',
          organizationId: (data.viewer && data.viewer.organization && data.viewer.organization.id) || (member && member.partyOrganization && member.partyOrganization.id) || null,
          memberId: member ? member.id : null,
        };
      })
      .catch(function () { return { code: '210000', organizationId: null, memberId: null }; });
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

  function App() {
    var tokenState = React.useState(window.localStorage.getItem(TOKEN_KEY) || '');
    var token = tokenState[0], setToken = tokenState[1];
    var viewersState = React.useState([]);
    var viewers = viewersState[0], setViewers = viewersState[1];
    var tabsState = React.useState(null);
    var tabs = tabsState[0], setTabs = tabsState[1];
    var operationsState = React.useState(null);
    var operations = operationsState[0], setOperations = operationsState[1];

    React.useEffect(function () {
      fetch('/explorer/viewers.json').then(function (r) { return r.ok ? r.json() : []; }).then(setViewers, function () { setViewers([]); });
      fetch('/explorer/operations.json').then(function (r) { return r.json(); }).then(setOperations);
    }, []);

    // A new token closes the old tabs until its own are ready: GraphiQL mounts once per token with
    // the tabs read under that token, and an answer for a token no longer chosen is dropped.
    React.useEffect(function () {
      if (!operations) return;
      var chosen = true;
      window.localStorage.setItem(TOKEN_KEY, token);
      if (!token) { setTabs(tabsFor(operations, { code: '210000', organizationId: null, memberId: null })); return; }
      setTabs(null);
      exampleIds(token).then(function (ids) { if (chosen) setTabs(tabsFor(operations, ids)); });
      return function () { chosen = false; };
    }, [operations, token]);

    var picked = viewers.find(function (viewer) { return viewer.token === token; });
    var bar = h('div', { className: 'sanji-bar' },
      h('strong', null, 'Sanji 三级'),
      viewers.length > 0 && h('label', null, 'Demo viewer ',
        h('select', {
          'aria-label': 'Demo viewer',
          value: picked ? picked.token : '',
          onChange: function (event) { setToken(event.target.value); },
        }, [h('option', { key: '', value: '' }, '— choose —')].concat(viewers.map(function (viewer) {
          return h('option', { key: viewer.label, value: viewer.token }, viewer.label);
        })))),
      h('input', {
        'aria-label': 'Bearer token',
        placeholder: 'Paste a bearer token',
        value: token,
        onChange: function (event) { setToken(event.target.value.trim()); },
      }),
      h('span', { className: 'sanji-who' }, picked ? picked.label : token ? 'your token' : 'no token'));

    return h(React.Fragment, null, bar,
      h('div', { className: 'sanji-explorer' },
        tabs && h(GraphiQL, {
          key: token,
          fetcher: fetcherFor(token),
          defaultTabs: tabs,
          storage: memoryStorage(),
          defaultEditorToolsVisibility: 'variables',
        })));
  }

  ReactDOM.createRoot(document.getElementById('sanji')).render(h(App));
})();
