// The explorer's result view: the lists of an answer as sortable tables with the schema's Chinese
// terms as headings, a bar chart of a numeric column, and downloads as CSV or XLSX. The headings
// follow the rule of `npm run export` (shared/src/report/terms.ts): a field's term, joined with
// its parents' for a nested column.
(function () {
  'use strict';
  var h = React.createElement;

  function isRecord(value) { return value !== null && typeof value === 'object' && !Array.isArray(value); }

  function term(terms, typeName, key) {
    var fields = typeName && terms[typeName];
    return (fields && Object.prototype.hasOwnProperty.call(fields, key)) ? fields[key] : null;
  }

  // A list of records, or a connection's edges (whose records are their nodes).
  function recordsOf(items, typeName, terms) {
    var objects = items.filter(isRecord);
    if (objects.length === 0 || objects.length !== items.filter(function (item) { return item !== null; }).length) return null;
    var edges = objects.every(function (item) { return isRecord(item.node); });
    if (!edges) return { rows: objects, typeName: typeName, edges: false };
    var node = term(terms, typeName, 'node');
    return { rows: objects.map(function (item) { return item.node; }), typeName: node ? node.type : null, edges: true };
  }

  /** Every list of records in the answer that objects lead to, with where it sits and its records' type. */
  function findLists(data, terms) {
    var lists = [];
    function walk(value, typeName, path, headings) {
      Object.keys(value).forEach(function (key) {
        var child = value[key];
        var t = term(terms, typeName, key);
        var nextType = t ? t.type : null;
        var nextHeadings = headings.concat([t ? t.heading : key]);
        if (Array.isArray(child)) {
          var found = recordsOf(child, nextType, terms);
          if (found && found.rows.length > 0) {
            lists.push({
              path: path.concat(found.edges ? [key, 'node'] : [key]).join('.'),
              label: nextHeadings.join(' › '),
              rows: found.rows,
              typeName: found.typeName,
              // A connection's path and page, for the download of all its pages.
              connectionPath: found.edges && isRecord(value.pageInfo) ? path : null,
            });
          }
        } else if (isRecord(child)) {
          walk(child, nextType, path.concat([key]), nextHeadings);
        }
      });
    }
    if (isRecord(data)) walk(data, 'Query', [], []);
    return lists;
  }

  /** The leaf columns of the records, nested objects flattened (`coverage.rate`), in the order they first appear. */
  function columnsOf(rows, typeName, terms) {
    var columns = [];
    var byKey = {};
    function visit(record, type, path, headings) {
      Object.keys(record).forEach(function (key) {
        var value = record[key];
        var t = term(terms, type, key);
        var keyPath = path.concat([key]);
        var heading = headings.concat([t ? t.heading : key]);
        if (isRecord(value)) return visit(value, t ? t.type : null, keyPath, heading);
        var id = keyPath.join('.');
        var column = byKey[id];
        if (!column) {
          column = byKey[id] = { key: id, path: keyPath, heading: heading.join('·'), rate: Boolean(t && t.rate), numeric: false, description: t ? t.description : '' };
          columns.push(column);
        }
        if (typeof value === 'number') column.numeric = true;
      });
    }
    rows.forEach(function (row) { visit(row, typeName, [], []); });
    return columns;
  }

  function valueAt(row, column) {
    var value = row;
    for (var i = 0; i < column.path.length; i++) value = isRecord(value) ? value[column.path[i]] : undefined;
    return value === undefined ? null : value;
  }

  function display(value, column) {
    if (value === null) return '';
    if (Array.isArray(value)) return value.length + ' 项';
    if (column.rate && typeof value === 'number') return (value * 100).toFixed(1) + '%';
    if (typeof value === 'number') return value.toLocaleString('zh-CN');
    return String(value);
  }

  /** A cell's value in a file: lists as their items joined, like `npm run export` writes them. */
  function fileValue(value) {
    if (value === null) return null;
    if (Array.isArray(value)) return value.map(function (item) { return isRecord(item) ? JSON.stringify(item) : String(item); }).join('; ');
    return value;
  }

  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b), 'zh-CN');
  }

  function csvText(columns, rows) {
    function quote(value) {
      var text = value === null || value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    var lines = [columns.map(function (c) { return quote(c.heading); }).join(',')];
    rows.forEach(function (row) { lines.push(columns.map(function (c) { return quote(fileValue(valueAt(row, c))); }).join(',')); });
    // The byte-order mark tells Excel the file is UTF-8, so the Chinese headings read right.
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  /** The variable that carries a connection's `after` in the operation, or null when it has none (or fragments hide it). */
  function cursorVariable(answer, connectionPath) {
    var G = GraphiQL.GraphQL;
    var document;
    try { document = G.parse(answer.query); } catch (err) { return null; }
    var operation = document.definitions.find(function (d) {
      return d.kind === 'OperationDefinition' && (!answer.operationName || (d.name && d.name.value === answer.operationName));
    });
    var set = operation && operation.selectionSet;
    var field = null;
    for (var i = 0; set && i < connectionPath.length; i++) {
      field = set.selections.find(function (s) { return s.kind === 'Field' && (s.alias ? s.alias.value : s.name.value) === connectionPath[i]; });
      set = field && field.selectionSet;
    }
    var after = field && (field.arguments || []).find(function (a) { return a.name.value === 'after'; });
    return after && after.value.kind === 'Variable' ? after.value.name.value : null;
  }

  /** Every record of a connection, from its first page on, asked again as the viewer who ran it. */
  function allRecords(answer, list, cursor, onProgress) {
    var rows = [];
    function page(after) {
      var variables = Object.assign({}, answer.variables);
      variables[cursor] = after;
      return answer.ask(answer.query, variables, answer.operationName).then(function (body) {
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        var connection = body.data;
        list.connectionPath.forEach(function (key) { connection = isRecord(connection) ? connection[key] : null; });
        if (!isRecord(connection)) throw new Error('the connection is missing from the answer');
        rows = rows.concat(connection.edges.map(function (edge) { return edge.node; }));
        onProgress(rows.length, connection.totalCount);
        var info = connection.pageInfo;
        return info.hasNextPage && info.endCursor && info.endCursor !== after ? page(info.endCursor) : rows;
      });
    }
    return page(null);
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function xlsxBlob(sheetName, columns, rows) {
    var workbook = new ExcelJS.Workbook();
    workbook.creator = 'Sanji';
    var sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'report', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map(function (c) {
      var column = { header: c.heading, key: c.key, width: Math.min(40, Math.max(10, c.heading.length * 2 + 2)) };
      if (c.rate) column.style = { numFmt: '0.0%' };
      return column;
    });
    sheet.getRow(1).font = { bold: true };
    rows.forEach(function (row) { sheet.addRow(columns.map(function (c) { return fileValue(valueAt(row, c)); })); });
    return workbook.xlsx.writeBuffer().then(function (buffer) {
      return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    });
  }

  /** The column that names each row in the chart: a name, else the first text column. */
  function labelColumn(columns, rows) {
    var text = columns.filter(function (c) { return !c.numeric; });
    return text.find(function (c) { return c.key === 'name'; }) || text.find(function (c) { return /(^|\.)name$/.test(c.key); }) ||
      text.find(function (c) { return c.key === 'year' || c.key === 'kind' || c.key === 'category'; }) || text[0] ||
      columns.find(function (c) { return c.key === 'year'; }) || null;
  }

  function BarChart(props) {
    var column = props.column, rows = props.rows, label = props.label;
    var values = rows.map(function (row) { var v = valueAt(row, column); return typeof v === 'number' ? v : 0; });
    var max = Math.max.apply(null, values.concat([column.rate ? 1 : 0, 0])) || 1;
    var barHeight = 22, gap = 6, labelWidth = 130, valueWidth = 70, width = 560;
    var plot = width - labelWidth - valueWidth;
    var height = rows.length * (barHeight + gap) + gap;
    return h('svg', { className: 'sanji-chart', role: 'img', 'aria-label': column.heading + ' bar chart', viewBox: '0 0 ' + width + ' ' + height, width: width, height: height },
      rows.map(function (row, i) {
        var y = gap + i * (barHeight + gap);
        var w = Math.max(1, (values[i] / max) * plot);
        var name = label ? display(valueAt(row, label), label) : String(i + 1);
        return h('g', { key: i, className: 'sanji-bar-row' },
          h('text', { x: labelWidth - 6, y: y + barHeight / 2, textAnchor: 'end', dominantBaseline: 'middle' }, name),
          h('rect', { x: labelWidth, y: y, width: w, height: barHeight, rx: 2 }, h('title', null, name + ': ' + display(values[i], column))),
          h('text', { x: labelWidth + w + 4, y: y + barHeight / 2, dominantBaseline: 'middle', className: 'sanji-bar-value' }, display(valueAt(row, column), column)));
      }));
  }

  function ResultView(props) {
    var lists = React.useMemo(function () { return props.answer && props.terms ? findLists(props.answer.data, props.terms) : []; }, [props.answer, props.terms]);
    var longest = lists.reduce(function (best, list, i) { return best === -1 || list.rows.length > lists[best].rows.length ? i : best; }, -1);
    var choice = React.useState(null), listPath = choice[0], setListPath = choice[1];
    var list = lists.find(function (l) { return l.path === listPath; }) || lists[longest];
    var columns = React.useMemo(function () { return list ? columnsOf(list.rows, list.typeName, props.terms) : []; }, [list, props.terms]);
    var sortState = React.useState(null), sort = sortState[0], setSort = sortState[1];
    var chartState = React.useState(null), chartKey = chartState[0], setChartKey = chartState[1];
    var busyState = React.useState(''), busy = busyState[0], setBusy = busyState[1];

    if (!props.answer) return h('div', { className: 'sanji-result-view sanji-empty' }, 'Run an operation: its lists show here as tables and charts. 运行查询后，列表以表格和图表显示。');
    if (!list) return h('div', { className: 'sanji-result-view sanji-empty' }, 'This answer has no list of records to show as a table. 该结果不含可显示为表格的列表。');

    var rows = list.rows.slice();
    var sortColumn = sort && columns.find(function (c) { return c.key === sort.key; });
    if (sortColumn) {
      rows.sort(function (a, b) { return (sort.descending ? -1 : 1) * compare(valueAt(a, sortColumn), valueAt(b, sortColumn)); });
    }
    var numeric = columns.filter(function (c) { return c.numeric; });
    var chartColumn = numeric.find(function (c) { return c.key === chartKey; }) || numeric.find(function (c) { return c.rate; }) || numeric[0];
    var label = labelColumn(columns, rows);
    var fileName = (props.answer.operationName || 'result') + '-' + list.path.replace(/\.edges\.node$/, '').replace(/\./g, '-');

    var cursor = list.connectionPath ? cursorVariable(props.answer, list.connectionPath) : null;
    function downloadAll(format) {
      setBusy('…');
      allRecords(props.answer, list, cursor, function (count, total) { setBusy(count + (total === undefined ? '' : ' / ' + total)); })
        .then(function (all) {
          var allColumns = columnsOf(all, list.typeName, props.terms);
          var name = fileName + '-all';
          return format === 'csv'
            ? save(new Blob([csvText(allColumns, all)], { type: 'text/csv;charset=utf-8' }), name + '.csv')
            : xlsxBlob(props.answer.operationName || 'result', allColumns, all).then(function (blob) { save(blob, name + '.xlsx'); });
        })
        .then(function () { setBusy(''); }, function (err) { setBusy('failed: ' + err.message); });
    }

    function sortBy(column) {
      setSort(sort && sort.key === column.key ? { key: column.key, descending: !sort.descending } : { key: column.key, descending: false });
    }

    return h('div', { className: 'sanji-result-view' },
      h('div', { className: 'sanji-result-tools' },
        h('label', null, 'List 列表 ',
          h('select', { 'aria-label': 'List', value: list.path, onChange: function (event) { setListPath(event.target.value); setSort(null); setChartKey(null); } },
            lists.map(function (l) { return h('option', { key: l.path, value: l.path }, l.path.replace(/\.edges\.node$/, '') + ' · ' + l.label + ' (' + l.rows.length + ')'); }))),
        h('span', { className: 'sanji-count' }, rows.length + ' rows 行'),
        h('button', { type: 'button', onClick: function () { save(new Blob([csvText(columns, rows)], { type: 'text/csv;charset=utf-8' }), fileName + '.csv'); } }, 'Download CSV'),
        h('button', { type: 'button', onClick: function () { xlsxBlob(props.answer.operationName || 'result', columns, rows).then(function (blob) { save(blob, fileName + '.xlsx'); }); } }, 'Download XLSX'),
        cursor && h('button', { type: 'button', disabled: Boolean(busy) && busy.indexOf('failed') !== 0, onClick: function () { downloadAll('csv'); } }, 'All pages: CSV'),
        cursor && h('button', { type: 'button', disabled: Boolean(busy) && busy.indexOf('failed') !== 0, onClick: function () { downloadAll('xlsx'); } }, 'All pages: XLSX'),
        busy && h('span', { className: 'sanji-count', role: 'status' }, busy)),
      h('div', { className: 'sanji-result-body' },
        h('div', { className: 'sanji-table-wrap' },
          h('table', { className: 'sanji-table' },
            h('thead', null, h('tr', null, columns.map(function (c) {
              var state = sort && sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none';
              return h('th', { key: c.key, 'aria-sort': state, title: c.key + (c.description ? ' — ' + c.description : ''), className: c.numeric ? 'sanji-number' : '' },
                h('button', { type: 'button', onClick: function () { sortBy(c); } }, c.heading, state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''));
            }))),
            h('tbody', null, rows.map(function (row, i) {
              return h('tr', { key: i }, columns.map(function (c) {
                return h('td', { key: c.key, className: c.numeric ? 'sanji-number' : '' }, display(valueAt(row, c), c));
              }));
            })))),
        chartColumn && h('div', { className: 'sanji-chart-wrap' },
          h('label', null, 'Chart 图表 ',
            h('select', { 'aria-label': 'Chart column', value: chartColumn.key, onChange: function (event) { setChartKey(event.target.value); } },
              numeric.map(function (c) { return h('option', { key: c.key, value: c.key }, c.heading); }))),
          h(BarChart, { column: chartColumn, rows: rows, label: label }))));
  }

  /** Fields and types whose name, Chinese term or description holds the words searched for. */
  function searchTerms(terms, text) {
    var words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    var found = [];
    Object.keys(terms).sort().forEach(function (typeName) {
      var fields = terms[typeName];
      Object.keys(fields).forEach(function (name) {
        var t = fields[name];
        var haystack = (typeName + '.' + name + ' ' + t.heading + ' ' + t.description).toLowerCase();
        if (words.every(function (w) { return haystack.indexOf(w) !== -1; })) found.push({ typeName: typeName, name: name, term: t });
      });
    });
    // A field whose own term holds the words comes before one that only mentions them.
    found.sort(function (a, b) {
      var inA = words.every(function (w) { return a.term.heading.toLowerCase().indexOf(w) !== -1; }) ? 0 : 1;
      var inB = words.every(function (w) { return b.term.heading.toLowerCase().indexOf(w) !== -1; }) ? 0 : 1;
      return inA - inB;
    });
    return found;
  }

  function TermSearch(props) {
    var state = React.useState(''), text = state[0], setText = state[1];
    var found = props.terms ? searchTerms(props.terms, text) : [];
    return h('div', { className: 'sanji-term-search' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Search terms 术语检索'),
      h('p', null, 'Finds fields by name, Chinese term or description: 覆盖率, 党员, coverage.'),
      h('input', { type: 'search', 'aria-label': 'Search terms', placeholder: '覆盖率', value: text, onChange: function (event) { setText(event.target.value); } }),
      text.trim() && h('p', { className: 'sanji-count' }, found.length + ' fields 个字段'),
      h('ul', null, found.slice(0, 100).map(function (f) {
        return h('li', { key: f.typeName + '.' + f.name },
          h('div', null, h('strong', null, f.term.heading), ' ', h('code', null, f.typeName + '.' + f.name + ': ' + (f.term.list ? '[' + f.term.type + ']' : f.term.type))),
          h('div', { className: 'sanji-term-description' }, f.term.description));
      })));
  }

  window.SanjiResultView = { ResultView: ResultView, TermSearch: TermSearch, findLists: findLists, columnsOf: columnsOf, searchTerms: searchTerms };
})();
