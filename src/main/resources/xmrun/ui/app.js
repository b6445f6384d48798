// xmrun ui: plain DOM, no build step. Every text from the store reaches the page through textContent
// (el() below), never as HTML. The page polls the server's JSON; the server refreshes each experiment
// once per interval however many tabs poll it.
'use strict';

const POLL_MS = 2000;
const TABLE_ROWS = 1000;
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const STATE_ORDER = ['RUNNING', 'PENDING', 'SUBMITTED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'UNKNOWN', 'UNSUBMITTED'];

let timer = null;      // the current view's polling
let view = 0;          // bumped on every navigation: answers for an older view are dropped

/** el('td', {class: 'num'}, 'text', child...): strings become text nodes. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'onclick' || k === 'onchange') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

async function api(path, options) {
  const r = await fetch('/api/' + path, Object.assign({credentials: 'same-origin', cache: 'no-store'}, options || {}));
  const body = await r.json().catch(() => ({error: r.status + ' ' + r.statusText}));
  if (!r.ok) throw new Error(body.error || (r.status + ' ' + r.statusText));
  return body;
}

function setStatus(text, isError) {
  const s = document.getElementById('status');
  s.textContent = text || '';
  s.className = isError ? 'error' : 'muted';
}

function crumbs(...links) {
  const nav = document.getElementById('crumbs');
  nav.replaceChildren(...links.map(([text, href]) => href ? el('a', {href}, text) : el('span', {}, text)));
}

/**
 * Runs fn now and every ms while this view is shown; a failure is shown and the next tick tries again.
 * Returns a function that asks again at once (after the answer under way, if one is).
 */
function poll(fn, ms) {
  const mine = view;
  let running = false, queued = false;
  const tick = async () => {
    if (mine !== view) return;
    if (running) { queued = true; return; }
    running = true;
    clearTimeout(timer);
    let stop = false;
    try {
      stop = (await fn()) === false;
      if (mine === view) setStatus('');
    } catch (e) {
      if (mine === view) setStatus(e.message, true);
    } finally {
      running = false;
    }
    if (mine !== view) return;
    if (queued) { queued = false; timer = setTimeout(tick, 0); }
    else if (!stop) timer = setTimeout(tick, ms);
  };
  tick();
  return tick;
}

function summary(states) {
  return STATE_ORDER.filter(s => states[s]).map(s => el('span', {class: 'state state-' + s}, states[s] + ' ' + s.toLowerCase()));
}

function isNumber(v) {
  return typeof v === 'number' && isFinite(v);
}

function cell(v) {
  if (v === null || v === undefined) return el('td', {class: 'muted'}, '-');
  if (isNumber(v)) return el('td', {class: 'num'}, String(v));
  return el('td', {}, typeof v === 'string' ? v : JSON.stringify(v));
}

/** A button that asks once more before it acts (no modal dialog). */
function cancelButton(label, title, action) {
  let armed = null;
  const b = el('button', {class: 'danger', title}, label);
  b.onclick = async () => {
    if (!armed) {
      b.textContent = 'Really cancel?';
      b.classList.add('confirm');
      armed = setTimeout(() => { armed = null; b.textContent = label; b.classList.remove('confirm'); }, 5000);
      return;
    }
    clearTimeout(armed);
    b.disabled = true;
    b.textContent = 'Cancelling…';
    try {
      await action();
      b.textContent = 'Cancelled';
    } catch (e) {
      setStatus('cancel failed: ' + e.message, true);
      b.disabled = false;
      b.textContent = label;
    }
    armed = null;
  };
  return b;
}

function cancel(path) {
  return api(path, {method: 'POST', headers: {'X-Requested-By': 'xmrun'}});
}

// ---- experiments, newest first

function experimentsView(main) {
  crumbs(['experiments']);
  const body = el('tbody', {id: 'experiments'});
  main.replaceChildren(el('h1', {}, 'Experiments'),
    el('table', {}, el('thead', {}, el('tr', {}, ['ID', 'NAME', 'CLUSTER', 'CREATED', 'WORK UNITS'].map(h => el('th', {}, h)))), body));
  poll(async () => {
    const list = await api('experiments');
    body.replaceChildren(...list.map(e => el('tr', {'data-experiment': e.id},
      el('td', {class: 'num'}, el('a', {href: '#/exp/' + e.id}, String(e.id))),
      el('td', {}, el('a', {href: '#/exp/' + e.id}, e.name)),
      el('td', {}, e.cluster),
      el('td', {}, new Date(e.createdAt).toLocaleString()),
      el('td', {class: 'summary'}, summary(e.states)))));
    if (!list.length) body.replaceChildren(el('tr', {}, el('td', {colspan: 5, class: 'muted'}, 'No experiments yet: launch one with xmrun LAUNCHER.xm.groovy')));
  }, POLL_MS);
}

// ---- one experiment: its units, live

function experimentHeader(main, id, tab) {
  const title = el('h1', {id: 'title'}, 'Experiment ' + id);
  const sum = el('div', {class: 'summary', id: 'summary'});
  const tabs = el('div', {class: 'tabs'},
    el('a', {href: '#/exp/' + id, class: tab === 'units' ? 'current' : null}, 'Work units'),
    el('a', {href: '#/exp/' + id + '/results', class: tab === 'results' ? 'current' : null}, 'Results and plot'));
  const actions = el('div', {id: 'actions'});
  main.replaceChildren(title, sum, actions, tabs);
  return {title, sum, actions};
}

function showExperiment(head, exp, id) {
  head.title.textContent = 'Experiment ' + exp.id + ': ' + exp.name + ' (' + exp.cluster + ')';
  head.sum.replaceChildren(...summary(exp.states));
  const open = Object.entries(exp.states).some(([s, n]) => n > 0 && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s));
  if (open && !head.actions.querySelector('button')) {
    head.actions.replaceChildren(cancelButton('Cancel experiment', 'cancel every work unit that has not ended',
      () => cancel('experiments/' + id + '/cancel')));
  } else if (!open) {
    head.actions.replaceChildren();
  }
}

function experimentView(main, id) {
  crumbs(['experiments', '#/'], ['experiment ' + id]);
  const head = experimentHeader(main, id, 'units');
  const table = el('table', {id: 'units'});
  const refreshed = el('p', {class: 'muted', id: 'refreshed'});
  const pager = el('div', {class: 'pager', id: 'pager'});
  main.append(pager, table, refreshed);
  let axes = null, from = 0, total = 0, page = 0;
  const buttons = new Map(); // unit id -> its cancel button, kept across polls while the unit is open
  const showPager = () => {
    if (total <= page) return pager.replaceChildren();
    const go = to => () => { from = Math.max(0, Math.min(to, total - 1)); again(); };
    pager.replaceChildren(
      el('button', {onclick: go(from - page), disabled: from === 0}, '‹ previous'),
      ' work units ' + (from + 1) + '–' + Math.min(total, from + page) + ' of ' + total + ' ',
      el('button', {onclick: go(from + page), disabled: from + page >= total}, 'next ›'));
  };
  const again = poll(async () => {
    const r = await api('experiments/' + id + '/units?from=' + from);
    showExperiment(head, r.experiment, id);
    total = r.total;
    page = Math.max(page, r.units.length);
    showPager();
    const keys = [...new Set(r.units.flatMap(u => Object.keys(u.point || {})))];
    if (axes === null || axes.join('\0') !== keys.join('\0')) {
      axes = keys;
      table.replaceChildren(el('thead', {}, el('tr', {},
        ['WU', 'JOB', 'STATE', 'EXIT', 'REASON', 'ATTEMPT', ...axes, 'OUTPUT', ''].map(h => el('th', {}, h)))), el('tbody'));
    }
    const rows = r.units.map(u => {
      let action = null;
      if (!u.final && u.state !== 'UNSUBMITTED') {
        if (!buttons.has(u.id)) buttons.set(u.id, cancelButton('Cancel', 'cancel work unit ' + u.id,
          () => cancel('experiments/' + id + '/units/' + u.id + '/cancel')));
        action = buttons.get(u.id);
      } else {
        buttons.delete(u.id);
      }
      return el('tr', {'data-unit': u.id},
        el('td', {class: 'num'}, String(u.id)),
        el('td', {}, u.job),
        el('td', {class: 'state state-' + u.state, 'data-state': u.state}, u.state),
        cell(u.exitCode),
        cell(u.reason),
        el('td', {class: 'num'}, String(u.attempt)),
        axes.map(a => cell((u.point || {})[a])),
        el('td', {}, el('a', {href: '#/exp/' + id + '/unit/' + u.id}, 'logs')),
        el('td', {}, action));
    });
    table.tBodies[0].replaceChildren(...rows);
    refreshed.textContent = (r.refreshedAt ? 'states as of ' + new Date(r.refreshedAt).toLocaleTimeString() : 'states as last recorded; refreshing…')
      + (r.error ? ' — last refresh failed: ' + r.error : '');
  }, POLL_MS);
}

// ---- one unit's output, followed while it runs

function unitView(main, id, wu) {
  crumbs(['experiments', '#/'], ['experiment ' + id, '#/exp/' + id], ['work unit ' + wu]);
  const title = el('h1', {}, 'Work unit ' + wu + ' of experiment ' + id);
  const info = el('p', {id: 'unit-info'});
  const actions = el('div');
  const out = el('pre', {class: 'log stdout', id: 'stdout'});
  const err = el('pre', {class: 'log stderr', id: 'stderr'});
  main.replaceChildren(title, info, actions, el('h2', {}, 'stdout'), out, el('h2', {}, 'stderr'), err);
  let outOffset = 0, errOffset = 0, button = null;
  const append = (pre, text) => {
    if (!text) return;
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(document.createTextNode(text));
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  };
  poll(async () => {
    const r = await api('experiments/' + id + '/units/' + wu + '/logs?out=' + outOffset + '&err=' + errOffset);
    append(out, r.out);
    append(err, r.err);
    outOffset = r.outOffset;
    errOffset = r.errOffset;
    const u = r.unit;
    info.replaceChildren(el('span', {class: 'state state-' + u.state, 'data-state': u.state}, u.state),
      u.exitCode !== null ? ' exit ' + u.exitCode : '', u.reason ? ' (' + u.reason + ')' : '',
      ' — job ' + u.job + ', attempt ' + u.attempt, u.schedulerId ? ', scheduler id ' + u.schedulerId : '');
    if (!u.final && u.state !== 'UNSUBMITTED') {
      if (!button) actions.replaceChildren(button = cancelButton('Cancel', 'cancel this work unit',
        () => cancel('experiments/' + id + '/units/' + wu + '/cancel')));
    } else {
      actions.replaceChildren();
    }
    if (r.more) return true; // more is waiting: the next tick reads it
    // the unit had ended when the output was read: what came back is all there is
    return !u.final;
  }, 1000);
}

// ---- results: the table of xmrun results, sortable, and a plot

function compare(a, b) {
  if (a === null || a === undefined) return (b === null || b === undefined) ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (isNumber(a) && isNumber(b)) return a - b;
  return String(a).localeCompare(String(b), undefined, {numeric: true});
}

function resultsView(main, id) {
  crumbs(['experiments', '#/'], ['experiment ' + id, '#/exp/' + id], ['results']);
  const head = experimentHeader(main, id, 'results');
  const controls = el('div', {class: 'controls', id: 'plot-controls'});
  const plot = el('div', {id: 'plot'});
  const table = el('table', {id: 'results'});
  const note = el('p', {class: 'muted'});
  main.append(el('h2', {}, 'Plot'), controls, plot, el('h2', {}, 'Results'), table, note);
  let data = null, last = null, sort = {col: 0, desc: false};
  const selects = {};

  const renderTable = () => {
    const rows = data.rows.slice().sort((a, b) => {
      const c = compare(a[sort.col], b[sort.col]);
      return sort.desc ? -c : c;
    });
    const ths = data.columns.map((c, i) => {
      const th = el('th', {class: 'sortable' + (sort.col === i ? (sort.desc ? ' sorted-desc' : ' sorted-asc') : ''), 'data-column': c}, c);
      th.onclick = () => { sort = {col: i, desc: sort.col === i ? !sort.desc : false}; renderTable(); };
      return th;
    });
    // the plot takes every row; the table the first TABLE_ROWS in this order (the DOM of 100,000 rows is slow)
    table.replaceChildren(el('thead', {}, el('tr', {}, ths)), el('tbody', {},
      rows.slice(0, TABLE_ROWS).map(r => el('tr', {'data-unit': r[0]}, r.map((v, i) => i === 2 ? el('td', {class: 'state state-' + v}, v) : cell(v))))));
    note.textContent = rows.length > TABLE_ROWS ? 'the first ' + TABLE_ROWS + ' of ' + rows.length + ' rows in this order; xmrun results ' + id + ' --csv has them all' : '';
  };

  const choice = (name, label, options, preferred) => {
    const s = selects[name] || (selects[name] = el('select', {id: 'plot-' + name, onchange: () => renderPlot()}));
    const keep = s.options.length ? s.value : null; // the choice made so far survives a new answer
    s.replaceChildren(...options.map(o => el('option', {value: o}, o === '' ? '(none)' : o)));
    s.value = keep !== null && options.includes(keep) ? keep : preferred;
    return el('label', {}, label + ' ', s);
  };

  const renderControls = () => {
    const axes = data.axes, metrics = data.metrics;
    controls.replaceChildren(
      choice('metric', 'metric', metrics, metrics[0]),
      choice('axis', 'against', axes, axes[0]),
      choice('color', 'colour by', [''].concat(axes), axes.length > 1 ? axes[1] : ''));
  };

  const renderPlot = () => {
    if (window.xmPlot && window.xmPlot.chart) window.xmPlot.chart.destroy();
    window.xmPlot = null;
    plot.replaceChildren();
    const metric = selects.metric && selects.metric.value, axis = selects.axis && selects.axis.value;
    if (!metric || !axis) {
      plot.append(el('p', {class: 'muted'}, !data.metrics.length ? 'No results reported yet (XM_RESULT lines or result.json).' : 'No sweep axis to plot against.'));
      return;
    }
    const colorBy = selects.color.value;
    const col = name => data.columns.indexOf(name);
    const xi = col(axis), yi = col(metric), ci = colorBy ? col(colorBy) : -1;
    const rows = data.rows.filter(r => isNumber(r[yi]) && r[xi] !== null && r[xi] !== undefined);
    // a numeric axis is plotted at its values; any other at evenly spaced categories
    const numeric = rows.every(r => isNumber(r[xi]));
    const categories = numeric ? [] : [...new Set(rows.map(r => String(r[xi])))].sort((a, b) => compare(a, b));
    const groups = ci < 0 ? [null] : [...new Set(rows.map(r => JSON.stringify(r[ci])))].sort((a, b) => compare(JSON.parse(a), JSON.parse(b)));
    const points = rows.map(r => ({x: numeric ? r[xi] : categories.indexOf(String(r[xi])), y: r[yi], unit: r[0],
      group: ci < 0 ? null : JSON.stringify(r[ci])})).sort((a, b) => a.x - b.x || a.unit - b.unit);
    // uPlot shares one x array between series: one x per point, each colour a series with nulls elsewhere
    const xs = points.map(p => p.x);
    const series = groups.map(g => points.map(p => p.group === g ? p.y : null));
    const opts = {
      width: Math.min(900, Math.max(480, main.clientWidth - 40)), height: 380,
      // a margin beyond the outermost points: uPlot draws the indices between the x range's ends, and with
      // several points at the last x an unpadded range ends at the first of them and leaves the others out
      scales: {x: {time: false, range: (u, min, max) => {
        const pad = numeric ? (max - min) * 0.05 || Math.abs(min) * 0.1 || 1 : 0.5;
        return [min - pad, max + pad];
      }}},
      axes: [numeric ? {label: axis} : {label: axis, splits: () => categories.map((c, i) => i), values: (u, ticks) => ticks.map(t => categories[t])},
        {label: metric}],
      series: [{label: axis}].concat(groups.map((g, i) => {
        const c = PALETTE[i % PALETTE.length];
        return {label: g === null ? metric : colorBy + '=' + JSON.parse(g), stroke: c, fill: c, paths: () => null,
          points: {show: true, size: 9, stroke: c, fill: c}};
      })),
      legend: {show: true},
    };
    const chart = new uPlot(opts, [xs].concat(series), plot);
    plot.setAttribute('data-points', String(points.length));
    window.xmPlot = {chart, points};
  };

  poll(async () => {
    const [r, u] = await Promise.all([api('experiments/' + id + '/results'), api('experiments/' + id + '/units')]);
    showExperiment(head, u.experiment, id);
    const text = JSON.stringify(r);
    if (text === last) return;
    last = text;
    data = r;
    if (sort.col >= data.columns.length) sort = {col: 0, desc: false};
    renderTable();
    renderControls();
    renderPlot();
  }, 5000);
}

// ---- routing: #/, #/exp/ID, #/exp/ID/results, #/exp/ID/unit/WU

function route() {
  view++;
  clearTimeout(timer);
  setStatus('');
  const main = document.getElementById('main');
  const h = location.hash.replace(/^#/, '') || '/';
  let m;
  if ((m = h.match(/^\/exp\/(\d+)\/unit\/(\d+)$/))) unitView(main, m[1], m[2]);
  else if ((m = h.match(/^\/exp\/(\d+)\/results$/))) resultsView(main, m[1]);
  else if ((m = h.match(/^\/exp\/(\d+)$/))) experimentView(main, m[1]);
  else experimentsView(main);
}

window.addEventListener('hashchange', route);
route();
