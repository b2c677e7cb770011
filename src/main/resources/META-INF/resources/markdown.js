// Markdown to DOM nodes for summaries: headings, bullet and numbered lists, paragraphs, **bold**,
// *italic* and `code`. Every piece of text becomes a text node (textContent), never HTML, so nothing
// a document or a model writes can add an element, an attribute or a script to the page.
'use strict';
window.renderMarkdown = (function () {
  function inline(parent, text) {
    const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const token = match[0];
      const tag = token.startsWith('**') ? 'strong' : token.startsWith('`') ? 'code' : 'em';
      const cut = tag === 'strong' ? 2 : 1;
      const el = document.createElement(tag);
      el.textContent = token.slice(cut, token.length - cut);
      parent.appendChild(el);
      last = match.index + token.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  return function render(target, markdown) {
    target.replaceChildren();
    let list = null;
    let paragraph = null;
    for (const raw of markdown.split('\n')) {
      const line = raw.trimEnd();
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
      const numbered = /^\s*\d{1,3}[.)]\s+(.*)$/.exec(line);
      if (!line.trim()) { list = null; paragraph = null; continue; }
      if (heading) {
        list = null; paragraph = null;
        const h = document.createElement('h' + Math.min(6, heading[1].length + 2));
        inline(h, heading[2]);
        target.appendChild(h);
      } else if (bullet || numbered) {
        paragraph = null;
        const kind = bullet ? 'ul' : 'ol';
        if (!list || list.tagName.toLowerCase() !== kind) {
          list = document.createElement(kind);
          target.appendChild(list);
        }
        const li = document.createElement('li');
        inline(li, (bullet || numbered)[1]);
        list.appendChild(li);
      } else {
        list = null;
        if (!paragraph) {
          paragraph = document.createElement('p');
          target.appendChild(paragraph);
        } else {
          paragraph.appendChild(document.createTextNode(' '));
        }
        inline(paragraph, line.trim());
      }
    }
  };
})();
