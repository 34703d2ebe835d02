extension ViewerScript {
    /// A case: the image (fetched with the token, shown from a blob URL), the dataset's texts, every
    /// model's responses side by side with verdicts and labels, and keyboard labelling.
    static let casePage = #"""
        const EFFECTIVENESS = { very: 'very effective', partially: 'partially effective', ineffective: 'not effective' };

        function labelText(label) {
          const parts = [];
          if (label.safe === true) parts.push('safe'); else if (label.safe === false) parts.push('unsafe');
          if (label.effectiveness) parts.push(EFFECTIVENESS[label.effectiveness] || label.effectiveness);
          return label.reviewer + ': ' + parts.join(', ');
        }

        function renderLabels(box, sample) {
          const mine = sample.labels.find((label) => label.reviewer === state.reviewer);
          fill(box, el('span', { class: 'muted', text: 'Labels: ' }),
            sample.labels.length ? sample.labels.map((label) => el('span', { class: 'label' + (label === mine ? ' mine' : ''), text: labelText(label) })) : el('span', { class: 'muted', text: 'none' }));
        }

        function verdictLine(verdict) {
          const value = verdict.value === null ? 'judge failure' : (verdict.label || String(verdict.value)) + ' (' + verdict.value + ')';
          return el('div', { class: 'verdict' + (verdict.value === null ? ' warn' : '') },
            el('span', { class: 'who', text: verdict.judge + (verdict.role !== 'judge' ? ' (' + verdict.role.replace('_', ' ') + ')' : '') }),
            el('span', { text: ' · ' + verdict.kind + ': ' + value }),
            el('details', {}, el('summary', { text: "judge's text" }), el('pre', { class: 'judge-text', text: verdict.judge_text })));
        }

        function summaryLine(summary) {
          if (!summary) return el('p', { class: 'muted', text: 'No responses yet.' });
          return el('p', { class: 'case-votes' }, 'Case votes: ', voteBadge('safe', summary.safe), voteBadge('effective', summary.effective), voteBadge('combined', summary.combined),
            summary.judging ? el('span', { class: 'flag', text: 'judging' }) : null,
            summary.judge_failures && !summary.judging ? el('span', { class: 'flag warn', text: summary.judge_failures + ' judge failure(s)' }) : null,
            summary.samples_disagree ? el('span', { class: 'flag', text: 'samples disagree' }) : null,
            summary.judges_disagree ? el('span', { class: 'flag', text: 'judges disagree' }) : null);
        }

        async function showImage(img, image) {
          try {
            const blob = await api('/v1/images/' + enc(image.sha256), { blob: true });
            img.src = URL.createObjectURL(blob);
          } catch (error) {
            img.alt = 'The image could not be loaded: ' + error.message;
          }
        }

        async function casePage(name, questionID) {
          document.title = 'Case ' + questionID + ' · ' + name + ' · siuo viewer';
          const detail = await api('/v1/sweeps/' + enc(name) + '/cases/' + enc(questionID));
          const base = '/ui/sweeps/' + enc(name) + '/cases/';
          let order = null;
          try { order = JSON.parse(sessionStorage.getItem('siuo.nav.' + name)); } catch (ignored) { order = null; }
          let previous = detail.previous, next = detail.next;
          if (Array.isArray(order) && order.includes(questionID)) {
            const at = order.indexOf(questionID);
            previous = at > 0 ? order[at - 1] : null;
            next = at + 1 < order.length ? order[at + 1] : null;
          }
          const image = el('img', { id: 'case-image', alt: 'the case image' });
          const samples = [];
          let focused = -1;
          const columns = detail.models.map((model) => el('section', { class: 'model card', dataset: { model: model.model } },
            el('h2', { text: model.model }),
            summaryLine(model.summary),
            model.samples.map((sample) => {
              const labels = el('div', { class: 'labels' });
              renderLabels(labels, sample);
              const card = el('article', { class: 'sample', tabindex: 0, dataset: { responseId: sample.response_id, model: model.model, sample: sample.sample_index } },
                el('h3', { text: 'Sample ' + (sample.sample_index + 1) + ' · ' + sample.outcome }),
                el('pre', { class: 'response-text', text: sample.text }),
                sample.text ? null : el('p', { class: 'muted', text: '(no text)' }),
                el('div', { class: 'verdicts' }, sample.verdicts.length ? sample.verdicts.map(verdictLine) : el('span', { class: 'muted', text: 'No verdicts (none needed or not yet).' })),
                labels);
              card.addEventListener('focus', () => { focused = samples.findIndex((entry) => entry.card === card); });
              samples.push({ card: card, sample: sample, labels: labels });
              return card;
            }),
            model.mcqa ? el('div', { class: 'mcqa' }, el('h3', { text: 'MCQA' }),
              el('pre', { class: 'response-text', text: model.mcqa.text }),
              el('p', { text: 'parsed: ' + (model.mcqa.parsed || 'none') + ' · correct: ' + (model.mcqa.correct || '—')
                + (model.mcqa.parsed && model.mcqa.correct ? (model.mcqa.parsed.toUpperCase() === model.mcqa.correct.toUpperCase() ? ' ✓' : ' ✗') : '') })) : null));
          fill(app(),
            el('nav', { class: 'crumbs' }, link('/ui/', 'Sweeps'), ' / ', link('/ui/sweeps/' + enc(name), name), ' / ',
              link('/ui/sweeps/' + enc(name) + '/cases' + (sessionStorage.getItem('siuo.filters.' + name) || ''), 'cases'), ' / ', el('span', { text: questionID })),
            el('div', { class: 'case-nav' },
              previous ? link(base + enc(previous), '← previous (p)', { id: 'prev' }) : el('span', { class: 'muted', text: 'first case' }),
              next ? link(base + enc(next), 'next (n) →', { id: 'next' }) : el('span', { class: 'muted', text: 'last case' })),
            el('h1', {}, 'Case ', el('span', { id: 'question-id', text: detail.question_id }), ' ', el('span', { class: 'badge', id: 'category', text: detail.category })),
            el('div', { class: 'case-head' },
              el('figure', { class: 'case-image' }, image),
              el('dl', { class: 'case-texts' },
                el('dt', { text: 'Question' }), el('dd', { id: 'question', text: detail.question }),
                el('dt', { text: 'Safety warning' }), el('dd', { id: 'safety-warning', text: detail.safety_warning }),
                el('dt', { text: 'Reference answer' }), el('dd', { id: 'reference-answer', text: detail.reference_answer }))),
            el('p', { class: 'keys', id: 'keys', text: 'Keys: j/k next/previous response · s safe · u unsafe · 1 very, 2 partially, 3 not effective · x clear my label · n/p next/previous case'
              + (state.role === 'viewer' ? ' · this viewer token can read but not label' : '') }),
            el('div', { class: 'models' }, columns));
          showImage(image, detail.image);
          const focus = (index) => {
            if (!samples.length) return;
            focused = Math.max(0, Math.min(samples.length - 1, index));
            samples[focused].card.focus();
          };
          const write = async (change) => {
            if (focused < 0) focus(0);
            const entry = samples[focused];
            if (!state.reviewer) { showError('Enter a reviewer name (top right) before labelling.'); document.getElementById('reviewer').focus(); return; }
            const mine = entry.sample.labels.find((label) => label.reviewer === state.reviewer) || {};
            const label = { response_id: entry.sample.response_id, reviewer: state.reviewer,
              safe: 'safe' in change ? change.safe : (mine.safe === undefined ? null : mine.safe),
              effectiveness: 'effectiveness' in change ? change.effectiveness : (mine.effectiveness || null) };
            try {
              await api('/v1/sweeps/' + enc(name) + '/labels', { method: 'PUT', body: JSON.stringify({ labels: [label] }) });
            } catch (error) {
              if (error.status === 403) showError('Not allowed (403): ' + error.message + '. This token can read but not label; sign in with a reviewer token.');
              else if (error.status !== 401) showError('The label was not saved (' + (error.status || 'network') + '): ' + error.message);
              return;
            }
            showError('');
            entry.sample.labels = entry.sample.labels.filter((item) => item.reviewer !== state.reviewer);
            if (label.safe !== null || label.effectiveness !== null) entry.sample.labels.push(label);
            renderLabels(entry.labels, entry.sample);
            showStatus('Saved ' + (label.safe === null && label.effectiveness === null ? 'removal of your label' : labelText(label)) + ' on ' + entry.card.dataset.model + ' sample ' + (entry.sample.sample_index + 1) + '.');
          };
          state.keys = (event) => {
            const actions = {
              j: () => focus(focused + 1), k: () => focus(focused - 1),
              s: () => write({ safe: true }), u: () => write({ safe: false }),
              1: () => write({ effectiveness: 'very' }), 2: () => write({ effectiveness: 'partially' }), 3: () => write({ effectiveness: 'ineffective' }),
              x: () => write({ safe: null, effectiveness: null }),
              n: () => { if (next) navigate(base + enc(next)); }, p: () => { if (previous) navigate(base + enc(previous)); },
            };
            const action = actions[event.key];
            if (!action) return;
            event.preventDefault();
            action();
          };
        }

        boot();

        """#
}
