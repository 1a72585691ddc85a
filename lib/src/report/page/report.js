// h2sim report: draws the page model that html_report.cpp wrote into #h2sim-data. Every string
// from the data is put into the page as text (textContent, Chart.js labels), never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('h2sim-data').textContent);
  var root = document.getElementById('h2sim-report');
  var charts = [];     // Chart.js instances
  var heatmaps = [];   // {canvas, draw}
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b',
                 '#e377c2', '#7f7f7f', '#bcbd22'];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(value, digits) {
    if (value === null || value === undefined || typeof value !== 'number' || !isFinite(value)) {
      return '—';
    }
    var d = digits === undefined ? 2 : digits;
    var parts = Math.abs(value).toFixed(d).split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (value < 0 ? '−' : '') + parts.join('.');
  }

  function cellValue(cell) {
    if (cell !== null && typeof cell === 'object') return cell.v;
    return cell;
  }

  function cellText(cell, column) {
    if (cell === null || cell === undefined) return '—';
    if (typeof cell === 'object') {
      var digits = typeof cell.d === 'number' ? cell.d : column.digits === undefined ? 2 : column.digits;
      if (typeof cell.lo !== 'number') return fmt(cell.v, digits);
      return fmt(cell.v, digits) + ' [' + fmt(cell.lo, digits) + '–' + fmt(cell.hi, digits) + ']';
    }
    if (typeof cell === 'number') {
      // A count (open stations, replications) in a column of mixed values: no decimals.
      if (!column.numeric && Number.isInteger(cell)) return fmt(cell, 0);
      return fmt(cell, column.numeric ? column.digits : 3);
    }
    if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
    return String(cell);
  }

  // A colour scale for waits: green below half the target, amber at it, red from twice it.
  function waitColour(value, target) {
    if (value === null || value === undefined) return 'rgba(150,150,150,0.6)';
    var t = Math.max(0, Math.min(1, value / (2 * target)));
    return rampColour(t);
  }

  function rampColour(t) {
    // light yellow -> orange -> dark red (colour-blind safe, prints in grey as light -> dark)
    var stops = [[255, 255, 204], [254, 217, 118], [253, 141, 60], [227, 26, 28], [128, 0, 38]];
    var x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    var i = Math.min(stops.length - 2, Math.floor(x));
    var f = x - i;
    var c = [0, 1, 2].map(function (k) {
      return Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
    });
    return 'rgb(' + c.join(',') + ')';
  }

  // ------------------------------------------------------------------ blocks

  function renderTable(block) {
    var wrap = el('div', 'table-wrap');
    var table = el('table', block.sortable ? 'sortable' : '');
    if (block.role) table.setAttribute('data-role', block.role);
    var thead = el('thead');
    var headRow = el('tr');
    var tbody = el('tbody');
    var rows = block.rows.slice();
    var sortState = {column: -1, ascending: true};
    block.columns.forEach(function (column, index) {
      var th = el('th', column.numeric ? 'num' : '', column.label);
      th.setAttribute('scope', 'col');
      if (block.sortable) {
        th.setAttribute('tabindex', '0');
        th.setAttribute('aria-sort', 'none');
        var sort = function () {
          sortState.ascending = sortState.column === index ? !sortState.ascending : true;
          sortState.column = index;
          rows.sort(function (a, b) {
            var x = cellValue(a[index]);
            var y = cellValue(b[index]);
            var missingX = x === null || x === undefined || x === '';
            var missingY = y === null || y === undefined || y === '';
            if (missingX || missingY) return missingX === missingY ? 0 : missingX ? 1 : -1;
            var order = typeof x === 'number' && typeof y === 'number'
                ? x - y : String(x).localeCompare(String(y), undefined, {numeric: true});
            return sortState.ascending ? order : -order;
          });
          Array.prototype.forEach.call(headRow.children, function (other) {
            other.setAttribute('aria-sort', 'none');
          });
          th.setAttribute('aria-sort', sortState.ascending ? 'ascending' : 'descending');
          fill();
        };
        th.addEventListener('click', sort);
        th.addEventListener('keydown', function (event) {
          if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
        });
      }
      headRow.appendChild(th);
    });
    thead.appendChild(headRow);
    function fill() {
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      rows.forEach(function (row) {
        var tr = el('tr');
        row.forEach(function (cell, index) {
          var column = block.columns[index] || {};
          var td = el(index === 0 ? 'th' : 'td', typeof cellValue(cell) === 'number' ? 'num' : '',
                      cellText(cell, column));
          if (index === 0) td.setAttribute('scope', 'row');
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
    }
    fill();
    table.appendChild(thead);
    table.appendChild(tbody);
    wrap.appendChild(table);
    return wrap;
  }

  // The figure goes into the page at once, so that the chart is made at its real size.
  var currentParent = null;
  function chartBox(title, tall) {
    var figure = el('figure', 'chart' + (tall ? ' tall' : ''));
    currentParent.appendChild(figure);
    if (title) figure.appendChild(el('figcaption', '', title));
    var holder = el('div', 'canvas-holder');
    var canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', title || 'chart');
    holder.appendChild(canvas);
    figure.appendChild(holder);
    return {figure: figure, canvas: canvas};
  }

  function baseOptions() {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: {mode: 'nearest', intersect: false},
      plugins: {legend: {labels: {boxWidth: 12}}}
    };
  }

  // Category x axis: series of values (bars or lines), optional second axis, optional target.
  function renderChart(block) {
    var box = chartBox(block.title);
    var datasets = block.series.map(function (series, index) {
      var colour = palette[index % palette.length];
      return {
        type: series.style === 'bar' ? 'bar' : 'line',
        label: series.label,
        data: series.values,
        yAxisID: series.axis === 'y1' ? 'y1' : 'y',
        borderColor: colour,
        backgroundColor: series.style === 'bar' ? colour + '55' : colour,
        borderWidth: series.style === 'bar' ? 1 : 2,
        pointRadius: series.values.length > 40 ? 0 : 2,
        spanGaps: true,
        order: series.style === 'bar' ? 2 : 1
      };
    });
    if (typeof block.target === 'number') {
      datasets.push({
        type: 'line', label: 'target (' + fmt(block.target, 1) + ')',
        data: block.labels.map(function () { return block.target; }),
        borderColor: '#b00020', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, yAxisID: 'y'
      });
    }
    var options = baseOptions();
    options.scales = {
      x: {ticks: {autoSkip: true, maxRotation: 60}},
      y: {beginAtZero: true, position: 'left', title: {display: !!block.y, text: block.y || ''}}
    };
    if (block.stacked) {
      options.scales.x.stacked = true;
      options.scales.y.stacked = true;
    }
    if (block.series.some(function (s) { return s.axis === 'y1'; })) {
      options.scales.y1 = {beginAtZero: true, position: 'right', grid: {drawOnChartArea: false},
                           title: {display: true, text: block.y1 || ''}};
    }
    var chart = new Chart(box.canvas, {type: 'bar', data: {labels: block.labels, datasets: datasets},
                                       options: options});
    charts.push(chart);
    return box.figure;
  }

  // A curve against a parameter, with its 95% band, the target line and the answer marked.
  function renderCurve(block) {
    var box = chartBox(block.title);
    var datasets = [];
    var categories = null;
    if (!block.numeric) {
      categories = [];
      block.series.forEach(function (series) {
        series.points.forEach(function (p) {
          var label = typeof p.x === 'string' ? p.x : JSON.stringify(p.x);
          if (categories.indexOf(label) < 0) categories.push(label);
        });
      });
    }
    function xOf(p) {
      return block.numeric ? p.x : (typeof p.x === 'string' ? p.x : JSON.stringify(p.x));
    }
    var xs = [];
    block.series.forEach(function (series, index) {
      var colour = palette[index % palette.length];
      var points = series.points.filter(function (p) { return p.y !== null; }).slice();
      if (block.numeric) points.sort(function (a, b) { return a.x - b.x; });
      points.forEach(function (p) { if (block.numeric) xs.push(p.x); });
      var banded = points.some(function (p) { return typeof p.lo === 'number'; });
      if (banded) {
        datasets.push({
          type: 'line', label: series.label + ' 95% low', h2simBand: true,
          data: points.map(function (p) { return {x: xOf(p), y: typeof p.lo === 'number' ? p.lo : p.y}; }),
          borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'transparent'
        });
        datasets.push({
          type: 'line', label: series.label + ' 95% band', h2simBand: true,
          data: points.map(function (p) { return {x: xOf(p), y: typeof p.hi === 'number' ? p.hi : p.y}; }),
          borderWidth: 0, pointRadius: 0, fill: '-1', borderColor: 'transparent',
          backgroundColor: colour + '33'
        });
      }
      datasets.push({
        type: 'line', label: series.label + (banded ? ' (mean, 95% band)' : ''),
        data: points.map(function (p) { return {x: xOf(p), y: p.y}; }),
        borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 3
      });
    });
    if (typeof block.target === 'number') {
      var ends = block.numeric
          ? [Math.min.apply(null, xs), Math.max.apply(null, xs)] : [categories[0], categories[categories.length - 1]];
      datasets.push({
        type: 'line', label: 'target ' + (block.target_label || fmt(block.target, 2)),
        data: ends.map(function (x) { return {x: x, y: block.target}; }),
        borderColor: '#b00020', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0
      });
    }
    if (block.answer !== undefined && block.answer !== null) {
      var answerX = block.numeric ? block.answer : (typeof block.answer === 'string' ? block.answer : JSON.stringify(block.answer));
      var answerY = null;
      block.series[0].points.forEach(function (p) { if (xOf(p) === answerX) answerY = p.y; });
      datasets.push({
        type: 'scatter', label: 'answer: ' + block.x + ' = ' + answerX,
        data: [{x: answerX, y: answerY}], pointStyle: 'star', pointRadius: 12, borderWidth: 3,
        borderColor: '#000', backgroundColor: '#000'
      });
    }
    var options = baseOptions();
    options.scales = {
      x: block.numeric ? {type: 'linear', title: {display: true, text: block.x}}
                       : {type: 'category', labels: categories, title: {display: true, text: block.x}},
      y: {beginAtZero: true, title: {display: true, text: block.y}}
    };
    options.layout = {padding: {left: 8, right: 16}}; // room for the answer's star at an end
    options.plugins.legend.labels.filter = function (item, chartData) {
      return !chartData.datasets[item.datasetIndex].h2simBand;
    };
    charts.push(new Chart(box.canvas, {type: 'line', data: {datasets: datasets}, options: options}));
    return box.figure;
  }

  // The station map: a bubble per open station (area ~ served, colour ~ p95 wait).
  function renderMap(block) {
    var box = chartBox('', true);
    box.figure.className = 'chart tall map';
    box.canvas.setAttribute('data-role', 'map');
    var maxServed = 0;
    block.stations.forEach(function (s) { if (s.served > maxServed) maxServed = s.served; });
    // The largest marker: 17 px on a wide screen, smaller on a phone.
    var largest = Math.max(6, Math.min(17, (box.canvas.parentNode.clientWidth || 600) / 45));
    var all = block.stations.concat(block.closed, block.depots);
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    all.forEach(function (p) {
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
    });
    var span = Math.max(maxX - minX, maxY - minY, 1) * 1.1 / 2;
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    var datasets = [{
      label: 'open stations', h2simStations: true,
      data: block.stations.map(function (s) {
        return {x: s.x, y: s.y, r: 2 + (largest - 2) * Math.sqrt(maxServed > 0 ? (s.served || 0) / maxServed : 0),
                tip: s.tip};
      }),
      backgroundColor: block.stations.map(function (s) { return waitColour(s.p95, block.target); }),
      borderColor: block.stations.map(function (s) { return s.pipeline ? '#0b57d0' : '#333'; }),
      borderWidth: block.stations.map(function (s) { return s.pipeline ? 3 : 1; })
    }];
    if (block.closed.length) {
      datasets.push({
        label: 'closed stations',
        data: block.closed.map(function (s) { return {x: s.x, y: s.y, r: 3, tip: [s.id + ' (closed)']}; }),
        backgroundColor: 'rgba(255,255,255,0)', borderColor: '#888', borderWidth: 1
      });
    }
    if (block.depots.length) {
      datasets.push({
        label: 'trailer depots', pointStyle: 'rect',
        data: block.depots.map(function (d) { return {x: d.x, y: d.y, r: 6, tip: ['depot ' + d.id]}; }),
        backgroundColor: '#444', borderColor: '#000'
      });
    }
    var options = baseOptions();
    options.maintainAspectRatio = true;
    options.aspectRatio = 1;
    options.interaction = {mode: 'nearest', intersect: true};
    options.scales = {
      x: {type: 'linear', min: cx - span, max: cx + span, ticks: {includeBounds: false},
          title: {display: true, text: 'x (km)'}},
      y: {type: 'linear', min: cy - span, max: cy + span, ticks: {includeBounds: false},
          title: {display: true, text: 'y (km)'}}
    };
    options.plugins.tooltip = {callbacks: {label: function (context) {
      return context.raw && context.raw.tip ? context.raw.tip : '';
    }}};
    var chart = new Chart(box.canvas, {type: 'bubble', data: {datasets: datasets}, options: options});
    chart.h2simMap = true;
    charts.push(chart);
    var legend = el('div', 'scale');
    legend.appendChild(el('span', '', 'p95 wait: 0'));
    var bar = el('span', 'ramp');
    legend.appendChild(bar);
    legend.appendChild(el('span', '', fmt(2 * block.target, 0) + '+ min (target ' +
                          fmt(block.target, 1) + ' in the middle)'));
    box.figure.appendChild(legend);
    return box.figure;
  }

  // Rows × columns of values as coloured cells on a canvas; hover or tap shows the value.
  function renderHeatmap(block) {
    var figure = el('figure', 'chart heatmap');
    currentParent.appendChild(figure);
    figure.appendChild(el('figcaption', '', block.title));
    var holder = el('div', 'heat-holder');
    var canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', block.title);
    var tip = el('div', 'heat-tip');
    tip.hidden = true;
    holder.appendChild(canvas);
    holder.appendChild(tip);
    figure.appendChild(holder);
    // The scale: fixed when the data says so (waits: 0 to twice the target), else 0 to the max.
    var max = 0;
    block.values.forEach(function (row) {
      row.forEach(function (v) { if (typeof v === 'number' && v > max) max = v; });
    });
    var scaleTop = typeof block.scale_max === 'number' ? block.scale_max : max;
    var legend = el('div', 'scale');
    legend.appendChild(el('span', '', '0'));
    legend.appendChild(el('span', 'ramp'));
    legend.appendChild(el('span', '', fmt(scaleTop, scaleTop >= 100 ? 0 : 1) +
                          (typeof block.scale_max === 'number' ? '+' : '') +
                          (block.unit ? ' ' + block.unit : '') +
                          (typeof block.scale_max === 'number' ? ' (the target in the middle; max ' +
                           fmt(max, 1) + ')' : '')));
    figure.appendChild(legend);
    var layout = {};
    function draw() {
      var width = Math.max(300, holder.clientWidth || 600);
      var left = 64, top = 18;
      var cellW = (width - left - 4) / Math.max(1, block.cols.length);
      var cellH = block.rows.length > 40 ? 11 : 16;
      var height = top + cellH * block.rows.length + 4;
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = width + 'px';
      canvas.style.height = height + 'px';
      var g = canvas.getContext('2d');
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.fillStyle = '#fff';
      g.fillRect(0, 0, width, height);
      g.font = (cellH > 12 ? 11 : 9) + 'px sans-serif';
      g.fillStyle = '#222';
      g.textBaseline = 'middle';
      var step = Math.ceil(28 / cellW);
      block.cols.forEach(function (label, c) {
        if (c % step === 0) g.fillText(String(label), left + c * cellW + 1, top / 2);
      });
      block.rows.forEach(function (label, r) {
        var y = top + r * cellH;
        g.fillStyle = '#222';
        g.fillText(String(label).slice(0, 10), 2, y + cellH / 2);
        block.values[r].forEach(function (v, c) {
          g.fillStyle = typeof v === 'number' ? rampColour(scaleTop > 0 ? v / scaleTop : 0) : '#ddd';
          g.fillRect(left + c * cellW, y, Math.ceil(cellW), cellH - 1);
        });
      });
      layout = {left: left, top: top, cellW: cellW, cellH: cellH};
    }
    function show(event) {
      var rect = canvas.getBoundingClientRect();
      var x = event.clientX - rect.left, y = event.clientY - rect.top;
      var c = Math.floor((x - layout.left) / layout.cellW);
      var r = Math.floor((y - layout.top) / layout.cellH);
      if (c < 0 || r < 0 || c >= block.cols.length || r >= block.rows.length) {
        tip.hidden = true;
        return;
      }
      var v = block.values[r][c];
      tip.textContent = block.rows[r] + ', ' + block.cols[c] + ': ' +
          fmt(v, typeof v === 'number' && Math.abs(v) >= 100 ? 0 : 2) + (block.unit ? ' ' + block.unit : '');
      tip.hidden = false;
      tip.style.left = Math.min(x + 12, rect.width - 160) + 'px';
      tip.style.top = (y + 12) + 'px';
    }
    canvas.addEventListener('mousemove', show);
    canvas.addEventListener('click', show);
    canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
    heatmaps.push({canvas: canvas, draw: draw});
    return figure;
  }

  function renderBlock(block) {
    switch (block.type) {
      case 'headline': return el('p', 'headline', block.text);
      case 'text': return el('p', '', block.text);
      case 'note': return el('p', 'note', block.text);
      case 'cards': {
        var cards = el('div', 'cards');
        block.cards.forEach(function (card) {
          var box = el('div', 'card' + (card.status ? ' ' + card.status : ''));
          box.appendChild(el('div', 'card-label', card.label));
          box.appendChild(el('div', 'card-value', card.value));
          if (card.detail) box.appendChild(el('div', 'card-detail', card.detail));
          cards.appendChild(box);
        });
        return cards;
      }
      case 'list': {
        var list = el('ul', 'warnings');
        block.items.forEach(function (item) { list.appendChild(el('li', '', item)); });
        return list;
      }
      case 'table': return renderTable(block);
      case 'chart': return renderChart(block);
      case 'curve': return renderCurve(block);
      case 'map': return renderMap(block);
      case 'heatmap': return renderHeatmap(block);
      default: return el('p', 'note', 'unknown block ' + block.type);
    }
  }

  // ------------------------------------------------------------------ the page

  var intro = el('section', 'inputs');
  var list = el('ul');
  data.inputs.forEach(function (input) {
    list.appendChild(el('li', '', input.name + ' (' + input.kind +
                        (input.scenario ? ', scenario ' + input.scenario : '') + ')'));
  });
  intro.appendChild(el('p', '', data.inputs.length > 1 ? 'Inputs:' : 'Input:'));
  intro.appendChild(list);
  if (data.scenario !== null) intro.appendChild(el('p', 'note', 'Station positions and key inputs from ' + data.scenario + '.'));
  var nav = el('nav');
  var navList = el('ol');
  nav.appendChild(navList);
  root.appendChild(intro);
  root.appendChild(nav);

  data.sections.forEach(function (section) {
    var node = el('section', 'report-section');
    node.id = 'section-' + section.id;
    node.appendChild(el('h2', '', section.title));
    var link = el('a', '', section.title);
    link.setAttribute('href', '#' + node.id);
    var item = el('li');
    item.appendChild(link);
    navList.appendChild(item);
    root.appendChild(node);
    section.blocks.forEach(function (block) {
      if (block.title && (block.type === 'table' || block.type === 'list')) {
        node.appendChild(el('h3', '', block.title));
      }
      currentParent = node;
      var made = renderBlock(block);
      if (made.parentNode !== node) node.appendChild(made);
    });
  });
  // Chart.js draws when the chart is made; heat maps need their width, known once laid out.
  heatmaps.forEach(function (h) { h.draw(); });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { heatmaps.forEach(function (h) { h.draw(); }); }, 150);
  });
  window.addEventListener('beforeprint', function () {
    charts.forEach(function (c) { c.resize(); });
  });

  // ------------------------------------------------------------------ self-check
  // What a headless browser can read back (--dump-dom): errors, blank canvases, map markers, and
  // the names in the comparison table.
  function selfCheck() {
    var canvases = Array.prototype.slice.call(document.querySelectorAll('canvas'));
    var blank = [];
    canvases.forEach(function (canvas, index) {
      var painted = 0;
      try {
        var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (var i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      } catch (e) {
        window.h2simErrors.push('canvas ' + index + ': ' + e);
      }
      if (painted === 0 || canvas.width === 0 || canvas.height === 0) {
        blank.push(canvas.getAttribute('aria-label') || String(index));
      }
    });
    var markers = charts.filter(function (c) { return c.h2simMap; }).map(function (c) {
      return c.getDatasetMeta(0).data.length;
    });
    // With #self-check in the address: sort the station table by every numeric column, both ways.
    var sortOk = null;
    var stationTable = document.querySelector('table[data-role="stations"]');
    if (location.hash === '#self-check' && stationTable) {
      sortOk = true;
      var heads = stationTable.querySelectorAll('thead th');
      var columnValues = function (c) {
        return Array.prototype.map.call(stationTable.querySelectorAll('tbody tr'), function (tr) {
          return parseFloat(tr.children[c].textContent.replace(/,/g, '').replace('−', '-'));
        }).filter(function (v) { return !isNaN(v); });
      };
      Array.prototype.forEach.call(heads, function (th, c) {
        if (th.className !== 'num') return;
        th.click();
        var up = columnValues(c);
        th.click();
        var down = columnValues(c);
        for (var i = 1; i < up.length; i++) if (up[i] < up[i - 1]) sortOk = false;
        for (var j = 1; j < down.length; j++) if (down[j] > down[j - 1]) sortOk = false;
      });
    }
    var comparison = document.querySelector('table[data-role="comparison"] thead');
    var resources = performance.getEntriesByType ? performance.getEntriesByType('resource') : [];
    var result = {
      errors: window.h2simErrors.slice(),
      canvases: canvases.length,
      blank_canvases: blank,
      map_markers: markers,
      expected_map_markers: data.expected_map_markers,
      comparison_header: comparison ? comparison.textContent : null,
      inputs: data.inputs.map(function (i) { return i.name; }),
      requests: resources.map(function (r) { return r.name; }),
      sort_ok: sortOk
    };
    var total = markers.reduce(function (a, b) { return a + b; }, 0);
    result.ok = result.errors.length === 0 && blank.length === 0 && result.requests.length === 0 &&
        total === data.expected_map_markers && sortOk !== false;
    var out = document.getElementById('h2sim-self-check');
    out.textContent = JSON.stringify(result);
    document.documentElement.setAttribute('data-self-check', result.ok ? 'ok' : 'failed');
  }
  window.addEventListener('load', function () { setTimeout(selfCheck, 100); });
})();
