"""The archive's search script run by Node.js in a small stand-in for a browser page, on the same
index files and script the browser loads: the tests that run it share this page."""

from __future__ import annotations

import shutil

NODE = shutil.which("node")

# page(folder, strip, script): a window whose <script> tags load folder/<src without strip>
PAGE = r"""
const fs = require('fs'), path = require('path'), vm = require('vm');
function page(folder, strip, script) {
  const ctx = {document: {currentScript: {src: 'file:///x/assets/javascripts/archive-search.js'},
               readyState: 'complete', querySelectorAll: () => [], addEventListener() {},
               createElement: () => ({}), head: {appendChild(el) {
                 vm.runInContext(fs.readFileSync(path.join(folder, el.src.slice(strip.length)), 'utf8'), ctx);
                 setTimeout(el.onload, 0); }}},
               performance: {now: () => 0}, setTimeout, Promise, Map, Set, console};
  ctx.window = ctx;
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(script, 'utf8').replace(/\bel\.remove\(\);/g, ''), ctx);
  return ctx;
}
"""
