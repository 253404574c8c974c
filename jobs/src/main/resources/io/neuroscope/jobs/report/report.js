// NeuroScope report: draws the charts from the JSON in #ns-data (written by HtmlReport.model).
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('ns-data').textContent);
  var COLORS = ['#bdbdbd', '#66bb6a', '#ffb300', '#d32f2f']; // UNKNOWN, HEALTHY, WARNING, CRITICAL
  var esc = echarts.format.encodeHTML;
  var charts = [];

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var c = echarts.init(el, null, { renderer: 'canvas' });
    charts.push(c);
    return c;
  }

  function num(v) {
    if (typeof v !== 'number') return v == null ? '' : String(v); // "NaN", "Infinity"
    if (v === 0) return '0';
    var a = Math.abs(v);
    return a >= 1e4 || a < 1e-3 ? v.toExponential(3) : String(Math.round(v * 10000) / 10000);
  }

  // an axis label: short, exponent only where the value needs one
  function tick(v) {
    var a = Math.abs(v);
    return v !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(0) : String(Math.round(v * 1000) / 1000);
  }

  var statusPieces = D.statuses.map(function (s, i) { return { value: i, label: s, color: COLORS[i] }; });

  // A status heatmap: rows (y) x epochs (x), cell colour = status, tooltip = status and value.
  function statusHeatmap(id, title, rows, epochs, status, value, rowName) {
    var c = chart(id);
    if (!c) return;
    var data = [];
    for (var y = 0; y < rows.length; y++) {
      for (var x = 0; x < epochs.length; x++) {
        if (status[y][x] >= 0) data.push([x, y, status[y][x]]);
      }
    }
    c.setOption({
      title: { text: title, left: 0, textStyle: { fontSize: 13, fontWeight: 500 } },
      grid: { left: 150, right: 16, top: 30, bottom: 40 },
      tooltip: {
        formatter: function (p) {
          var x = p.value[0], y = p.value[1];
          return esc(rowName(rows[y])) + ' · epoch ' + esc(String(epochs[x])) + '<br>' +
            D.statuses[p.value[2]] + ' · value ' + esc(num(value[y][x]));
        }
      },
      xAxis: { type: 'category', data: epochs.map(String), name: 'epoch', nameLocation: 'middle', nameGap: 26,
        splitArea: { show: false } },
      yAxis: { type: 'category', data: rows.map(rowName), inverse: true, axisLabel: { fontSize: 11 } },
      visualMap: { type: 'piecewise', show: false, dimension: 2, pieces: statusPieces },
      series: [{ type: 'heatmap', data: data, itemStyle: { borderColor: '#fff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }]
    });
  }

  function lossChart(id, loss) {
    var c = chart(id);
    if (!c) return;
    function pts(ys) {
      return loss.epochs.map(function (e, i) { return [e, typeof ys[i] === 'number' ? ys[i] : null]; });
    }
    var all = loss.train.concat(loss.val).filter(function (v) { return typeof v === 'number'; });
    var log = all.length > 0 && all.every(function (v) { return v > 0; });
    var bad = loss.epochs.filter(function (e, i) { return typeof loss.train[i] !== 'number'; });
    c.setOption({
      title: { text: 'loss' + (log ? ' (log scale)' : '') + (bad.length ? ' · train loss not finite from epoch ' +
        bad[0] : ''), left: 0, textStyle: { fontSize: 13, fontWeight: 500 } },
      grid: { left: 56, right: 16, top: 40, bottom: 40 },
      legend: { top: 20, right: 0, data: ['train', 'validation'] },
      tooltip: { trigger: 'axis', valueFormatter: num },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
      yAxis: { type: log ? 'log' : 'value', scale: true, axisLabel: { formatter: tick } },
      series: [
        { name: 'train', type: 'line', showSymbol: false, data: pts(loss.train), lineStyle: { color: '#1565c0' },
          itemStyle: { color: '#1565c0' } },
        { name: 'validation', type: 'line', showSymbol: false, connectNulls: true, data: pts(loss.val),
          lineStyle: { color: '#ef6c00', type: 'dashed' }, itemStyle: { color: '#ef6c00' } }
      ]
    });
  }

  // --- runs by worst status, per diagnostic (stacked bars)
  (function () {
    var c = chart('overview-chart');
    if (!c) return;
    c.setOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { data: D.statuses.slice().reverse() },
      grid: { left: 50, right: 16, top: 36, bottom: 70 },
      xAxis: { type: 'category', data: D.diagnostics, axisLabel: { rotate: 30, fontSize: 11 } },
      yAxis: { type: 'value', name: 'runs', minInterval: 1 },
      series: D.statuses.map(function (s, i) {
        return { name: s, type: 'bar', stack: 'runs', itemStyle: { color: COLORS[i] },
          data: D.diagnostics.map(function (d) { return D.overview[d][i]; }) };
      }).reverse()
    });
  })();

  // --- one status heatmap and one loss chart per run
  D.details.forEach(function (r, i) {
    statusHeatmap('run-' + i + '-status', 'status per diagnostic and epoch', D.diagnostics, r.epochs, r.status,
      r.value, function (d) { return d; });
    if (r.loss.epochs.length) lossChart('run-' + i + '-loss', r.loss);
  });

  // --- layers x epochs of the sickest runs, per layer-level diagnostic
  D.layers.forEach(function (m, i) {
    var since = m.worst === 3 ? ' from epoch ' + m.firstCritical : m.worst === 2 ? ' from epoch ' + m.firstWarning : '';
    statusHeatmap('layer-' + i, m.run + ' · ' + D.statuses[m.worst] + since, m.layers, m.epochs, m.status, m.value,
      function (l) { return 'layer ' + l; });
  });

  // --- hyperparameter effects: matrix and the strongest, per scope
  (function () {
    var select = document.getElementById('effects-scope');
    if (!select || !D.effects.rows.length) return;
    D.effects.scopes.forEach(function (s) {
      var o = document.createElement('option');
      o.value = s;
      o.textContent = s === 'all' ? 'all runs' : 'experiment ' + s.slice('experiment:'.length);
      select.appendChild(o);
    });
    var el = document.getElementById('effects-chart');
    var c = chart('effects-chart');

    function draw(scope) {
      var rows = D.effects.rows.filter(function (r) { return r.scope === scope; });
      var targets = D.effects.targets.filter(function (t) { return rows.some(function (r) { return r.target === t; }); });
      // a Map, not an object: a hyperparameter may be named __proto__ or constructor
      var strongest = new Map();
      rows.forEach(function (r) { strongest.set(r.hyperparameter, Math.max(strongest.get(r.hyperparameter) || 0, r.strength)); });
      var hps = Array.from(strongest.keys()).sort(function (a, b) { return strongest.get(b) - strongest.get(a) || (a < b ? -1 : 1); });
      var data = rows.map(function (r, k) {
        return [targets.indexOf(r.target), hps.indexOf(r.hyperparameter), r.strength, k];
      });
      el.style.height = Math.max(260, 130 + 22 * hps.length) + 'px';
      c.resize();
      c.setOption({
        tooltip: {
          formatter: function (p) {
            var r = rows[p.value[3]];
            var s = esc(r.hyperparameter) + ' → ' + esc(r.target) + '<br>' + esc(r.kind) +
              (r.scale ? ' (' + esc(r.scale) + ')' : '') + ', n = ' + r.n + ', strength ' + num(r.strength);
            if (r.kind === 'numeric') {
              s += '<br>Spearman ' + num(r.spearman) + ' (p ' + num(r.spearmanP) + ', 95% ' + num(r.spearmanLow) +
                ' … ' + num(r.spearmanHigh) + ')<br>Pearson ' + num(r.pearson) + ' (p ' + num(r.pearsonP) + ')';
            } else {
              s += '<br>eta² ' + num(r.etaSquared) + (r.omegaSquared != null ? ', omega² ' + num(r.omegaSquared) : '') +
                ' (ANOVA p ' + num(r.anovaP) + ')';
            }
            if (r.importance != null) s += '<br>forest importance ' + num(r.importance) + ', forest R² ' + num(r.forestR2);
            return s;
          }
        },
        grid: { left: 170, right: 24, top: 50, bottom: 120 },
        xAxis: { type: 'category', data: targets, axisLabel: { rotate: 50, fontSize: 10, interval: 0 } },
        yAxis: { type: 'category', data: hps, inverse: true, axisLabel: { fontSize: 11 } },
        visualMap: { type: 'continuous', min: 0, max: 1, dimension: 2, orient: 'horizontal', top: 0, right: 24,
          itemHeight: 160, text: ['strength 1', '0'], inRange: { color: ['#f7fbff', '#9ecae1', '#3182bd', '#08306b'] } },
        series: [{ type: 'heatmap', data: data, itemStyle: { borderColor: '#fff', borderWidth: 1 },
          label: { show: data.length <= 600, fontSize: 9, formatter: function (p) {
            var r = rows[p.value[3]];
            return (r.signed < 0 ? '−' : '') + r.strength.toFixed(2).replace(/^0/, '');
          } } }]
      }, true);

      var table = document.getElementById('effects-table');
      table.textContent = '';
      var head = ['hyperparameter', 'target', 'kind', 'n', 'strength', 'Spearman / omega²', 'p', 'importance', 'forest R²'];
      var tr = table.createTHead().insertRow();
      head.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; tr.appendChild(th); });
      var body = table.createTBody();
      rows.slice().sort(function (a, b) { return b.strength - a.strength; }).slice(0, 20).forEach(function (r) {
        var numeric = r.kind === 'numeric';
        var cells = [r.hyperparameter, r.target, r.kind + (r.scale ? ' (' + r.scale + ')' : ''), String(r.n),
          num(r.strength), numeric ? num(r.spearman) : num(r.omegaSquared != null ? r.omegaSquared : r.etaSquared), numeric ? num(r.spearmanP) : num(r.anovaP),
          num(r.importance), num(r.forestR2)];
        var row = body.insertRow();
        cells.forEach(function (v) { row.insertCell().textContent = v; });
      });
    }
    select.addEventListener('change', function () { draw(select.value); });
    draw(select.value);
  })();

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
