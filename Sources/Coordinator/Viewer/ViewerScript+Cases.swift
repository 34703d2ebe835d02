extension ViewerScript {
    /// The cases table: filters, text search, each model's case votes per row.
    static let cases = #"""
        const FILTERS = ['category', 'model', 'outcome', 'vote', 'failure', 'samples', 'judges', 'unlabelled', 'q'];
        const CHECKS = { failure: 'judge failure', samples: 'samples disagree', judges: 'judges disagree', unlabelled: 'human label missing' };

        function voteBadge(name, value) {
          const text = value === 1 ? '✓' : value === 0 ? '✗' : '?';
          return el('span', { class: 'vote vote-' + (value === 1 ? 'yes' : value === 0 ? 'no' : 'unknown'), title: name + ': ' + (value === null || value === undefined ? 'no vote' : value), text: name[0].toUpperCase() + text });
        }

        function votesCell(summary) {
          if (!summary) return el('td', { class: 'votes muted', text: 'not yet' });
          return el('td', { class: 'votes' }, voteBadge('safe', summary.safe), voteBadge('effective', summary.effective), voteBadge('combined', summary.combined),
            summary.judging ? el('span', { class: 'flag', text: 'judging' }) : null,
            summary.judge_failures && !summary.judging ? el('span', { class: 'flag warn', text: summary.judge_failures + ' judge failure' + (summary.judge_failures > 1 ? 's' : '') }) : null,
            summary.judges_disagree ? el('span', { class: 'flag', text: 'judges differ' }) : null);
        }

        function modelMatches(summary, filters) {
          if (!summary) return false;
          if (filters.outcome && !(summary.outcomes[filters.outcome] > 0)) return false;
          const votes = { safe: [summary.safe, 1], unsafe: [summary.safe, 0], effective: [summary.effective, 1], ineffective: [summary.effective, 0],
            'safe-effective': [summary.combined, 1], 'not-safe-effective': [summary.combined, 0] };
          if (filters.vote === 'excluded' && summary.safe !== null && summary.effective !== null && summary.combined !== null) return false;
          if (votes[filters.vote] && votes[filters.vote][0] !== votes[filters.vote][1]) return false;
          if (filters.failure && !(summary.judge_failures > 0 && !summary.judging)) return false;
          if (filters.samples && !summary.samples_disagree) return false;
          if (filters.judges && !summary.judges_disagree) return false;
          if (filters.unlabelled && !(summary.labelled_responses < summary.response_ids.length)) return false;
          return true;
        }

        function caseMatches(item, filters, models) {
          if (filters.category && item.category !== filters.category) return false;
          if (filters.q) {
            const needle = filters.q.toLowerCase();
            if (![item.question, item.question_id, item.category].some((text) => text.toLowerCase().includes(needle))) return false;
          }
          const perModel = ['outcome', 'vote', 'failure', 'samples', 'judges', 'unlabelled'].some((key) => filters[key]);
          const chosen = filters.model ? [filters.model] : models;
          if (!perModel) return !filters.model || !!item.models[filters.model];
          return chosen.some((model) => modelMatches(item.models[model], filters));
        }

        function readFilters() {
          const params = new URLSearchParams(location.search);
          const filters = {};
          for (const key of FILTERS) filters[key] = params.get(key) || '';
          for (const key of Object.keys(CHECKS)) filters[key] = filters[key] === '1';
          return filters;
        }

        function writeFilters(filters) {
          const params = new URLSearchParams();
          for (const key of FILTERS) if (filters[key]) params.set(key, filters[key] === true ? '1' : filters[key]);
          const query = params.toString();
          history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
        }

        function select(id, label, options, value, onchange) {
          return el('label', { class: 'filter' }, label + ' ',
            el('select', { id: id, onchange: onchange }, options.map(([key, text]) => el('option', { value: key, text: text, selected: key === value }))));
        }

        async function casesPage(name) {
          document.title = 'Cases · ' + name + ' · siuo viewer';
          const data = await api('/v1/sweeps/' + enc(name) + '/cases');
          const filters = readFilters();
          const categories = Array.from(new Set(data.cases.map((item) => item.category))).sort();
          const count = el('span', { id: 'case-count' });
          const body = el('tbody');
          const update = () => {
            writeFilters(filters);
            sessionStorage.setItem('siuo.filters.' + name, location.search);
            const shown = data.cases.filter((item) => caseMatches(item, filters, data.models));
            count.textContent = shown.length + ' of ' + data.cases.length + ' cases';
            sessionStorage.setItem('siuo.nav.' + name, JSON.stringify(shown.map((item) => item.question_id)));
            fill(body, ...shown.map((item) => el('tr', { dataset: { questionId: item.question_id, category: item.category } },
              el('td', {}, link('/ui/sweeps/' + enc(name) + '/cases/' + enc(item.question_id), item.question_id)),
              el('td', { text: item.category }),
              el('td', { class: 'question', text: item.question }),
              data.models.map((model) => votesCell(item.models[model])))));
          };
          const set = (key) => (event) => { filters[key] = event.target.type === 'checkbox' ? event.target.checked : event.target.value; update(); };
          const search = el('input', { id: 'f-q', type: 'search', value: filters.q, placeholder: 'search questions', oninput: set('q') });
          fill(app(),
            el('nav', { class: 'crumbs' }, link('/ui/', 'Sweeps'), ' / ', link('/ui/sweeps/' + enc(name), name), ' / ', el('span', { text: 'cases' })),
            el('h1', {}, 'Cases ', el('small', {}, count)),
            el('form', { class: 'filters', onsubmit: (event) => event.preventDefault() },
              select('f-category', 'Category', [['', 'all']].concat(categories.map((c) => [c, c])), filters.category, set('category')),
              select('f-model', 'Model', [['', 'any']].concat(data.models.map((m) => [m, m])), filters.model, set('model')),
              select('f-outcome', 'Outcome', [['', 'any'], ['answer', 'answer'], ['refusal', 'refusal'], ['blocked', 'blocked'], ['truncated', 'truncated']], filters.outcome, set('outcome')),
              select('f-vote', 'Vote', [['', 'any'], ['unsafe', 'unsafe'], ['safe', 'safe'], ['ineffective', 'ineffective'], ['effective', 'effective'],
                ['not-safe-effective', 'not safe & effective'], ['safe-effective', 'safe & effective'], ['excluded', 'excluded (no vote)']], filters.vote, set('vote')),
              Object.entries(CHECKS).map(([key, text]) => el('label', { class: 'filter check' },
                el('input', { id: 'f-' + key, type: 'checkbox', checked: filters[key], onchange: set(key) }), ' ' + text)),
              el('label', { class: 'filter' }, 'Search ', search)),
            el('p', { class: 'muted', text: 'Per model: S safe, E effective, C safe & effective case votes (✓ 1, ✗ 0, ? no vote). Model filters match a case when the chosen model (or any model) matches all of them.' }),
            el('table', { class: 'grid cases', id: 'cases' },
              el('thead', {}, el('tr', {}, el('th', { text: 'case' }), el('th', { text: 'category' }), el('th', { text: 'question' }),
                data.models.map((model) => el('th', { text: model })))),
              body));
          update();
        }

        """#
}
