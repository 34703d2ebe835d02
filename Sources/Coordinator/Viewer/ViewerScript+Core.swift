extension ViewerScript {
    /// Sign-in, the API client, the DOM helpers and the router. Every piece of data reaches the page
    /// through `textContent` or an attribute, never as markup.
    static let core = #"""
        'use strict';
        const state = { token: null, role: null, reviewer: '', timer: null, keys: null };
        const TOKEN_KEY = 'siuo.token';
        const REVIEWER_KEY = 'siuo.reviewer';

        // Builds an element: attrs sets properties (text goes to textContent), children are nodes or strings (text nodes).
        function el(tag, attrs, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(attrs || {})) {
            if (value === undefined || value === null || value === false) continue;
            if (key === 'text') node.textContent = String(value);
            else if (key === 'class') node.className = value;
            else if (key === 'dataset') Object.assign(node.dataset, value);
            else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
            else if (key === 'href' || key === 'type' || key === 'for' || key.startsWith('aria-') || key === 'role' || key === 'tabindex' || key === 'title' || key === 'placeholder') node.setAttribute(key, String(value));
            else node[key] = value;
          }
          for (const child of children.flat(Infinity)) {
            if (child === null || child === undefined || child === false) continue;
            node.append(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return node;
        }

        // Replaces node's children, flattening arrays and skipping empty values as el does.
        function fill(node, ...children) {
          node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
            .map((child) => child instanceof Node ? child : document.createTextNode(String(child))));
          return node;
        }

        function link(path, text, attrs) {
          return el('a', Object.assign({ href: path, text: text, dataset: { nav: '' } }, attrs || {}));
        }

        const enc = encodeURIComponent;
        const app = () => document.getElementById('app');

        function showError(message) {
          const box = document.getElementById('error');
          box.textContent = message;
          box.hidden = !message;
        }

        function showStatus(message) {
          document.getElementById('status').textContent = message || '';
        }

        class APIError extends Error {
          constructor(status, message) { super(message); this.status = status; }
        }

        async function api(path, options) {
          const opts = options || {};
          const headers = { 'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json' };
          if (opts.body) headers['Content-Type'] = 'application/json';
          const response = await fetch(path, { method: opts.method || 'GET', headers: headers, body: opts.body, cache: 'no-store', credentials: 'omit' });
          if (!response.ok) {
            let message = response.statusText;
            try { message = (await response.json()).error || message; } catch (ignored) { /* not JSON */ }
            if (response.status === 401) { signOut('The token was refused (401): ' + message); }
            throw new APIError(response.status, message);
          }
          return opts.blob ? response.blob() : response.json();
        }

        function fmt(value, digits) {
          if (value === null || value === undefined || Number.isNaN(value)) return '—';
          return Number(value).toFixed(digits === undefined ? 1 : digits);
        }

        function interval(ci) {
          return Array.isArray(ci) ? '[' + fmt(ci[0]) + ', ' + fmt(ci[1]) + ']' : '';
        }

        // Reads #token=… once, keeps it for this tab, and takes it out of the address bar and history.
        function readFragment() {
          const match = /^#token=(.+)$/.exec(location.hash);
          if (!match) return;
          let token = match[1];
          try { token = decodeURIComponent(token); } catch (ignored) { /* not percent-encoded: take it as it is */ }
          sessionStorage.setItem(TOKEN_KEY, token);
          history.replaceState(null, '', location.pathname + location.search);
        }

        function signOut(message) {
          sessionStorage.removeItem(TOKEN_KEY);
          state.token = null;
          state.role = null;
          stopTimer();
          renderChrome();
          renderSignIn(message);
        }

        function renderChrome() {
          const signedIn = !!state.token;
          const role = document.getElementById('role');
          role.hidden = !state.role;
          role.textContent = state.role ? state.role + ' token' : '';
          document.getElementById('reviewer-box').hidden = !signedIn;
          document.getElementById('signout').hidden = !signedIn;
          document.getElementById('reviewer').value = state.reviewer;
        }

        function renderSignIn(message) {
          showError(message || '');
          const token = el('input', { id: 'token', type: 'password', autocomplete: 'off', required: true });
          const reviewer = el('input', { id: 'signin-reviewer', autocomplete: 'off', value: state.reviewer, placeholder: 'for labelling (optional)' });
          const form = el('form', { id: 'signin', class: 'signin', onsubmit: async (event) => {
            event.preventDefault();
            state.token = token.value.trim();
            setReviewer(reviewer.value.trim());
            if (!state.token) return;
            sessionStorage.setItem(TOKEN_KEY, state.token);
            await start();
          } },
          el('h1', { text: 'Sign in' }),
          el('p', { text: 'Paste a viewer, reviewer or admin token. It stays in this tab only and is sent as a bearer header.' }),
          el('label', { for: 'token', text: 'Token' }), token,
          el('label', { for: 'signin-reviewer', text: 'Reviewer name' }), reviewer,
          el('button', { type: 'submit', text: 'Sign in' }));
          fill(app(), form);
          token.focus();
        }

        function setReviewer(name) {
          state.reviewer = name;
          sessionStorage.setItem(REVIEWER_KEY, name);
          document.getElementById('reviewer').value = name;
        }

        function stopTimer() {
          if (state.timer) clearTimeout(state.timer);
          state.timer = null;
        }

        function later(fn, ms) {
          stopTimer();
          state.timer = setTimeout(fn, ms);
        }

        function navigate(path) {
          history.pushState(null, '', path);
          route();
        }

        async function start() {
          try {
            state.role = (await api('/v1/whoami')).role;
          } catch (error) {
            if (error.status === 403) { signOut('This token cannot read sweeps (403): ' + error.message); }
            else if (error.status !== 401) { showError('Cannot reach the coordinator: ' + error.message); }
            return;
          }
          showError('');
          renderChrome();
          route();
        }

        async function route() {
          stopTimer();
          state.keys = null;
          showStatus('');
          if (!state.token) { renderSignIn(); return; }
          const parts = location.pathname.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
          try {
            if (parts.length === 0) await sweepsPage();
            else if (parts[0] === 'sweeps' && parts.length === 2) await sweepPage(parts[1]);
            else if (parts[0] === 'sweeps' && parts.length === 3 && parts[2] === 'cases') await casesPage(parts[1]);
            else if (parts[0] === 'sweeps' && parts.length === 4 && parts[2] === 'cases') await casePage(parts[1], parts[3]);
            else fill(app(), el('h1', { text: 'Not found' }), el('p', {}, link('/ui/', 'All sweeps')));
          } catch (error) {
            if (error.status !== 401) showError(error.status ? 'Error ' + error.status + ': ' + error.message : String(error.message || error));
          }
        }

        function boot() {
          readFragment();
          state.token = sessionStorage.getItem(TOKEN_KEY);
          state.reviewer = sessionStorage.getItem(REVIEWER_KEY) || '';
          document.addEventListener('click', (event) => {
            const anchor = event.target.closest('a[data-nav]');
            if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            navigate(anchor.getAttribute('href'));
          });
          document.addEventListener('keydown', (event) => {
            if (!state.keys || event.ctrlKey || event.metaKey || event.altKey) return;
            if (event.target.closest('input, textarea, select, button')) return;
            state.keys(event);
          });
          window.addEventListener('popstate', route);
          document.getElementById('signout').addEventListener('click', () => signOut('Signed out.'));
          document.getElementById('reviewer').addEventListener('change', (event) => setReviewer(event.target.value.trim()));
          renderChrome();
          if (state.token) start(); else renderSignIn();
        }

        """#
}

/// The viewer's script, in parts that one asset joins (``ViewerAssets``).
enum ViewerScript {}
