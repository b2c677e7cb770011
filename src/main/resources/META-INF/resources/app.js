// The page: paste or drop a document, summarize it through the worker's HTTP API (the same
// pipeline as the topic's records), watch the summary grow as the model writes it, compare two
// models, follow the results the worker publishes.
// Text from documents and models is only ever set as textContent (see markdown.js).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const text = $('text');
  let info = { default: 'extractive', named: [], submit: false, apiKey: false };

  function option(select, value, label) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  async function load() {
    try {
      const response = await fetch('api/models');
      info = await response.json();
    } catch (e) {
      $('message').textContent = 'The worker does not answer: ' + e;
      return;
    }
    option($('model'), '', 'default (' + info.default + ')');
    for (const name of info.named) {
      option($('model'), name, name);
      option($('compare'), name, name);
    }
    if (info.named.length === 0) $('compare').disabled = true;
    $('keyLabel').hidden = !info.apiKey;
    $('apiKey').value = sessionStorage.getItem('precis-api-key') || '';
    $('server').textContent = 'default model: ' + info.default;
    if (!info.submit) {
      $('message').textContent = 'Submitting is off on this worker (precis.http.submit=false); results can still be read.';
      $('go').disabled = true;
    }
  }

  text.addEventListener('dragover', (e) => { e.preventDefault(); text.classList.add('drop'); });
  text.addEventListener('dragleave', () => text.classList.remove('drop'));
  text.addEventListener('drop', async (e) => {
    e.preventDefault();
    text.classList.remove('drop');
    const file = e.dataTransfer.files[0];
    if (file) {
      text.value = await file.text();
      text.dataset.title = file.name;
    }
  });

  function field(dl, name, value) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }

  function show(pane, result, started) {
    const summary = pane.querySelector('.summary');
    if (result.status !== 'SUMMARIZED') {
      summary.replaceChildren();
      const p = document.createElement('p');
      p.className = 'failed';
      p.textContent = result.status + ': ' + (result.error || result.reason || result.code || '');
      summary.appendChild(p);
    } else {
      renderMarkdown(summary, result.summary);
    }
    if (result.translation && result.translation.text) {
      renderMarkdown(pane.querySelector('.translation'), result.translation.text);
    }
    const dl = pane.querySelector('.usage');
    dl.replaceChildren();
    const u = result.usage || {};
    field(dl, 'model', result.model || '');
    field(dl, 'strategy', (result.strategy || '') + (result.chunks ? ', ' + result.chunks + (result.chunks === 1 ? ' chunk' : ' chunks') : ''));
    field(dl, 'tokens', (u.inputTokens || 0) + ' in, ' + (u.outputTokens || 0) + ' out');
    field(dl, 'calls', String(u.llmCalls || 0));
    field(dl, 'cost', '$' + Number(u.estimatedCostUsd || 0).toFixed(6));
    field(dl, 'time', (result.durationMs || 0) + ' ms in the worker, ' + Math.round(performance.now() - started) + ' ms here'
      + (pane.dataset.firstPieceMs ? ', first text after ' + pane.dataset.firstPieceMs + ' ms' : ''));
    const warnings = pane.querySelector('.warnings');
    warnings.replaceChildren();
    for (const w of result.warnings || []) {
      const li = document.createElement('li');
      li.textContent = w;
      warnings.appendChild(li);
    }
    pane.dataset.state = 'done';
  }

  function headers() {
    const h = { 'Content-Type': 'application/json' };
    const key = $('apiKey').value.trim();
    if (key) {
      h['X-API-Key'] = key;
      sessionStorage.setItem('precis-api-key', key);
    }
    return h;
  }

  // One block of a server-sent event stream: its name and its data.
  function parseEvent(block) {
    let name = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    return { name: name, data: data.join('\n') };
  }

  // Summarizes while the page waits: the summary is drawn again with every piece the model writes.
  async function summarize(model, pane) {
    const id = 'page-' + crypto.randomUUID();
    const started = performance.now();
    const doc = { id: id, text: text.value, options: { length: $('length').value } };
    if (text.dataset.title) doc.title = text.dataset.title;
    if ($('strategy').value) doc.options.strategy = $('strategy').value;
    if ($('target').value.trim()) doc.targetLanguage = $('target').value.trim();
    if (model) doc.model = model;
    const summary = pane.querySelector('.summary');
    summary.textContent = 'Summarizing…';
    let response;
    try {
      response = await fetch('api/summarize/stream', { method: 'POST', headers: headers(), body: JSON.stringify(doc) });
    } catch (e) {
      show(pane, { status: 'FAILED', error: String(e) }, started);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let written = '';
    let pieces = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.name === 'token') {
          written += JSON.parse(event.data).text;
          pieces++;
          pane.dataset.pieces = String(pieces);
          if (pieces === 1) pane.dataset.firstPieceMs = String(Math.round(performance.now() - started));
          renderMarkdown(summary, written);
        } else if (event.name === 'restart') {
          written = '';
        } else if (event.name === 'result') {
          show(pane, JSON.parse(event.data), started);
        } else if (event.name === 'refused') {
          const answer = JSON.parse(event.data);
          show(pane, { status: 'REFUSED', code: answer.code, reason: answer.reason }, started);
        }
      }
    }
    if (!pane.dataset.state) show(pane, { status: 'FAILED', error: 'the stream ended without a result' }, started);
  }

  $('go').addEventListener('click', () => {
    $('message').textContent = '';
    if (!text.value.trim()) {
      $('message').textContent = 'Paste or drop a document first.';
      return;
    }
    const outputs = $('outputs');
    outputs.replaceChildren();
    const models = [$('model').value];
    if ($('compare').value) models.push($('compare').value);
    for (const model of models) {
      const pane = $('paneTemplate').content.firstElementChild.cloneNode(true);
      pane.querySelector('.title').textContent = model || 'default (' + info.default + ')';
      outputs.appendChild(pane);
      summarize(model, pane);
    }
  });

  function feed() {
    const list = $('feed');
    const events = new EventSource('api/results');
    const add = (e) => {
      const r = JSON.parse(e.data);
      const li = document.createElement('li');
      const first = (r.summary || r.reason || r.error || '').split('\n')[0];
      li.textContent = r.id + ' — ' + r.status + (r.model ? ' (' + r.model + ')' : '') + (first ? ': ' + first : '');
      list.prepend(li);
      while (list.children.length > 20) list.lastChild.remove();
    };
    events.addEventListener('result', add);
    events.addEventListener('dead-letter', add);
  }

  load();
  feed();
})();
