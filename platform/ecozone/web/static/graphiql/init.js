/* ecozone GraphiQL page: renders the vendored GraphiQL 3 UMD build
 * (hand-written, not vendored; see scripts/vendor-graphiql.sh).
 * Same-origin HTTP endpoint /graphql; subscriptions over graphql-transport-ws
 * at ws(s)://<host>/graphql using the graphql-ws client bundled in graphiql.min.js.
 *
 * The page's JSON config (#ecozone-ide-config, written by ecozone/web/graphiql.py) holds the
 * start tabs: the README's first queries, commented in Chinese and English. Above the IDE, a
 * bar lets a developer act as a demo user (a token issued by the server in development, from
 * GET /dev/tokens, goes into the Authorization header) and choose the zone (X-Zone) among the
 * zones of the database; "anonymous" and "no zone" remove the headers.
 */
(function () {
  'use strict';

  var h = React.createElement;
  var config = JSON.parse(document.getElementById('ecozone-ide-config').textContent);

  var httpUrl = new URL('/graphql', window.location.href);
  var wsUrl = new URL('/graphql', window.location.href);
  wsUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';

  var fetcher = GraphiQL.createFetcher({
    url: httpUrl.toString(),
    subscriptionUrl: wsUrl.toString(),
  });

  // ---- headers text <-> object -------------------------------------------------------------

  function parseHeaders(text) {
    if (!text || !text.trim()) return {};
    try {
      var value = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch (e) {
      return null;
    }
  }

  function findKey(headers, name) {
    var lower = name.toLowerCase();
    var keys = Object.keys(headers);
    for (var i = 0; i < keys.length; i++) {
      if (keys[i].toLowerCase() === lower) return keys[i];
    }
    return null;
  }

  function getHeader(headers, name) {
    var key = headers && findKey(headers, name);
    return key ? String(headers[key]) : '';
  }

  function withHeader(headers, name, value) {
    var copy = {};
    Object.keys(headers).forEach(function (key) {
      if (key.toLowerCase() !== name.toLowerCase()) copy[key] = headers[key];
    });
    if (value) copy[name] = value;
    return copy;
  }

  function bearer(token) {
    return token ? 'Bearer ' + token : '';
  }

  function headersText(headers) {
    return Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '';
  }

  // ---- the directory: demo users with tokens, zones ----------------------------------------

  function loadDirectory() {
    var zonesQuery = '{ zones { edges { node { slug nameZh nameEn isHost } } } }';
    function zonesFromGraphQL() {
      return fetch(httpUrl.toString(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ query: zonesQuery }),
      })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          return body.data.zones.edges.map(function (e) { return e.node; });
        })
        .catch(function () { return []; });
    }
    if (!config.devTokensUrl) {
      return zonesFromGraphQL().then(function (zones) { return { users: [], zones: zones }; });
    }
    return fetch(config.devTokensUrl, { headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (body) { return { users: body.users || [], zones: body.zones || [] }; })
      .catch(function () {
        return zonesFromGraphQL().then(function (zones) { return { users: [], zones: zones }; });
      });
  }

  function tokenOf(directory, username) {
    for (var i = 0; i < directory.users.length; i++) {
      if (directory.users[i].username === username) return directory.users[i].token;
    }
    return null;
  }

  // The start tabs with the tokens of their demo users (without a token: X-Zone only).
  function startTabs(directory) {
    return config.tabs.map(function (tab) {
      var headers = parseHeaders(tab.headers) || {};
      var token = tab.user ? tokenOf(directory, tab.user) : null;
      if (token) headers = withHeader(headers, 'Authorization', bearer(token));
      return { query: tab.query, variables: tab.variables, headers: headersText(headers) || null };
    });
  }

  function rolesText(user) {
    var roles = user.roles.map(function (r) { return r.zone + ' ' + r.role; });
    return roles.length ? roles.join(', ') : 'no role · 无角色';
  }

  // ---- the bar above the IDE -----------------------------------------------------------------

  function IdentityBar(props) {
    var directory = props.directory;
    var headers = parseHeaders(props.headers) || {};
    var auth = getHeader(headers, 'Authorization');
    var zone = getHeader(headers, 'X-Zone');
    var selectedUser = '';
    directory.users.forEach(function (user) {
      if (auth && auth === bearer(user.token)) selectedUser = user.username;
    });
    if (auth && !selectedUser) selectedUser = '*other';

    var byZone = {};
    directory.users.forEach(function (user) {
      (byZone[user.homeZone] = byZone[user.homeZone] || []).push(user);
    });
    var userOptions = [h('option', { key: '', value: '' }, '匿名 · anonymous')];
    if (selectedUser === '*other') {
      userOptions.push(h('option', { key: '*other', value: '*other', disabled: true },
                         '其他令牌 · another token'));
    }
    directory.zones.forEach(function (z) {
      var users = byZone[z.slug] || [];
      if (!users.length) return;
      userOptions.push(h('optgroup', { key: z.slug, label: z.nameZh + ' · ' + z.nameEn },
        users.map(function (user) {
          return h('option', { key: user.username, value: user.username },
                   user.username + ' — ' + user.displayName + ' (' + rolesText(user) + ')');
        })));
    });

    var zoneOptions = [h('option', { key: '', value: '' }, '不指定（本区）· none (home zone)')];
    var known = false;
    directory.zones.forEach(function (z) {
      if (z.slug === zone) known = true;
      zoneOptions.push(h('option', { key: z.slug, value: z.slug },
                         z.nameZh + ' · ' + z.nameEn + ' (' + z.slug + ')'));
    });
    if (zone && !known) zoneOptions.push(h('option', { key: zone, value: zone }, zone));

    function change(name, value) {
      var base = parseHeaders(props.headers) || {};
      props.onHeaders(headersText(withHeader(base, name, value)));
    }

    var tokenControl = directory.users.length
      ? h('label', { htmlFor: 'ecozone-user' },
          h('span', null, '身份 · Sign in as '),
          h('select', {
            id: 'ecozone-user',
            value: selectedUser,
            onChange: function (event) {
              change('Authorization', bearer(tokenOf(directory, event.target.value)));
            },
          }, userOptions))
      : h('span', { className: 'ecozone-note' },
          '没有演示用户（运行 ecozone demo）· no demo users (run ecozone demo)');

    return h('nav', { className: 'ecozone-bar', 'aria-label': '身份与试验区 · identity and zone' },
      h('a', { className: 'ecozone-home', href: config.links.home }, 'ecozone'),
      tokenControl,
      h('label', { htmlFor: 'ecozone-zone' },
        h('span', null, '试验区 · Zone (X-Zone) '),
        h('select', {
          id: 'ecozone-zone',
          value: zone,
          onChange: function (event) { change('X-Zone', event.target.value); },
        }, zoneOptions)),
      h('button', {
        type: 'button',
        title: '恢复示例查询标签页 · bring back the sample query tabs',
        onClick: function () {
          ['tabState', 'query', 'variables', 'headers'].forEach(function (key) {
            window.localStorage.removeItem('graphiql:' + key);
          });
          window.location.reload();
        },
      }, '示例查询 · Sample queries'),
      config.links.schema ? h('a', { href: config.links.schema }, 'SDL') : null,
      h('span', { className: 'ecozone-note' },
        config.devTokensUrl ? '开发环境令牌 · development tokens' : ''));
  }

  function App(props) {
    var tabs = React.useMemo(function () { return startTabs(props.directory); }, [props.directory]);
    // What the headers editor holds (tracked from its edits and tab switches) and what the
    // bar last asked it to hold (GraphiQL's `headers` prop replaces the editor's text).
    var first = tabs.length ? tabs[0].headers || '' : '';
    var current = React.useState(first);
    var pushed = React.useState(undefined);

    function setHeaders(text) {
      current[1](text);
      // The same text twice (the same choice on another tab) must still reach the editor:
      // GraphiQL syncs the editor when the prop changes, so the second one ends in a newline.
      pushed[1](text === pushed[0] ? text + '\n' : text);
    }

    var picked = parseHeaders(current[0]) || {};
    var forNewTabs = {};
    ['Authorization', 'X-Zone'].forEach(function (name) {
      var value = getHeader(picked, name);
      if (value) forNewTabs[name] = value;
    });

    return h('div', { className: 'ecozone-ide' },
      h(IdentityBar, { directory: props.directory, headers: current[0], onHeaders: setHeaders }),
      h('div', { className: 'ecozone-graphiql' },
        h(GraphiQL, {
          fetcher: fetcher,
          defaultTabs: tabs,
          defaultQuery: config.defaultQuery,
          defaultHeaders: headersText(forNewTabs),
          headers: pushed[0],
          onEditHeaders: function (text) { current[1](text); },
          onTabChange: function (state) {
            var tab = state.tabs[state.activeTabIndex];
            if (tab) current[1](tab.headers || '');
          },
          defaultEditorToolsVisibility: 'headers',
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: false,
        })));
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  loadDirectory().then(function (directory) {
    root.render(h(App, { directory: directory }));
  });
})();
