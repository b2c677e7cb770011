// The page: paste or drop a document, summarize it through the worker's HTTP API (the same topic
// and pipeline as any record), watch the result arrive, compare two models, follow recent results.
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
    field(dl, 'time', (result.durationMs || 0) + ' ms in the worker, ' + Math.round(performance.now() - started) + ' ms here');
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

  // Listens for the document's result first, then submits it, so the result cannot be missed.
  function summarize(model, pane) {
    const id = 'page-' + crypto.randomUUID();
    const started = performance.now();
    const events = new EventSource('api/results?id=' + encodeURIComponent(id));
    const finish = (result) => { events.close(); show(pane, result, started); };
    events.addEventListener('result', (e) => finish(JSON.parse(e.data)));
    events.addEventListener('dead-letter', (e) => finish(JSON.parse(e.data)));
    events.onopen = async () => {
      if (pane.dataset.state) return;
      pane.dataset.state = 'sent';
      const doc = { id: id, text: text.value, options: { length: $('length').value } };
      if (text.dataset.title) doc.title = text.dataset.title;
      if ($('strategy').value) doc.options.strategy = $('strategy').value;
      if ($('target').value.trim()) doc.targetLanguage = $('target').value.trim();
      if (model) doc.model = model;
      const response = await fetch('api/documents', { method: 'POST', headers: headers(), body: JSON.stringify(doc) });
      if (response.status !== 202) {
        events.close();
        const answer = await response.json().catch(() => ({}));
        finish({ status: 'REFUSED', code: answer.code, reason: answer.reason || String(response.status) });
        return;
      }
      pane.querySelector('.summary').textContent = 'Summarizing…';
    };
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
