extension ViewerScript {
    /// The sweeps list with live progress, and a sweep's page: leaderboard, charts, heat map, usage,
    /// judge failures, exclusions, judge agreement and human review.
    static let sweeps = #"""
        const KINDS = ['generate', 'mcqa', 'judge_safety', 'judge_effectiveness'];

        function progressTable(status) {
          const kinds = KINDS.filter((kind) => Object.values(status.models).some((byKind) => byKind[kind]));
          const rows = Object.keys(status.models).sort().map((model) => el('tr', {},
            el('th', { scope: 'row', text: model }),
            kinds.map((kind) => {
              const counts = status.models[model][kind];
              if (!counts) return el('td', { text: '—' });
              const share = counts.total ? (counts.done + counts.failed) / counts.total : 0;
              const bar = el('span', { class: 'bar' }, el('span', { class: 'fill' }));
              bar.firstChild.style.width = (share * 100).toFixed(1) + '%';
              return el('td', { class: 'progress', dataset: { model: model, kind: kind } },
                el('span', { class: 'count', text: counts.done + '/' + counts.total }),
                counts.failed ? el('span', { class: 'failed', text: ' (' + counts.failed + ' failed)' }) : null, bar);
            })));
          return el('table', { class: 'grid progress-table' },
            el('thead', {}, el('tr', {}, el('th', { text: 'model' }), kinds.map((kind) => el('th', { text: kind.replace('_', ' ') })))),
            el('tbody', {}, rows));
        }

        function sweepCard(status) {
          const jobs = status.jobs;
          return el('section', { class: 'card sweep-card', dataset: { sweep: status.name } },
            el('h2', {}, link('/ui/sweeps/' + enc(status.name), status.name), ' ', el('span', { class: 'badge state-' + status.state, text: status.state })),
            el('p', { class: 'muted jobs', text: jobs.done + ' of ' + jobs.total + ' jobs done, ' + jobs.queued + ' queued, ' + jobs.leased + ' leased'
              + (jobs.batched ? ', ' + jobs.batched + ' batched' : '') + (jobs.failed ? ', ' + jobs.failed + ' failed' : '')
              + ' · $' + fmt(status.spent_usd, 2) + (status.budget_usd ? ' of $' + fmt(status.budget_usd, 2) : '') }),
            progressTable(status));
        }

        async function sweepsPage() {
          document.title = 'Sweeps · siuo viewer';
          const list = el('div', { id: 'sweeps' });
          fill(app(), el('h1', { text: 'Sweeps' }), list);
          const load = async () => {
            const sweeps = (await api('/v1/sweeps')).items;
            fill(list, ...(sweeps.length ? sweeps.map(sweepCard) : [el('p', { text: 'No sweeps yet.' })]));
            if (sweeps.some((sweep) => sweep.state === 'running')) later(() => load().catch(() => later(load, 5000)), 1000);
          };
          await load();
        }

        function leaderboard(report) {
          const ranked = report.models.slice().sort((a, b) => {
            const left = a.generation ? a.generation.safe_and_effective : null;
            const right = b.generation ? b.generation.safe_and_effective : null;
            if (left !== null && right !== null && left !== right) return right - left;
            if ((left === null) !== (right === null)) return left === null ? 1 : -1;
            return a.model < b.model ? -1 : 1;
          });
          const rate = (g, key) => g ? [el('td', { class: 'num', text: fmt(g[key]) }), el('td', { class: 'ci', text: interval(g[key + '_ci95']) })] : [el('td', { text: '—' }), el('td')];
          return el('table', { class: 'grid', id: 'leaderboard' },
            el('thead', {}, el('tr', {}, ['#', 'model', 'safe & effective %', '95% CI', 'safe %', '95% CI', 'effective %', '95% CI', 'MCQA %', '95% CI', 'cases', 'excluded']
              .map((text) => el('th', { text: text })))),
            el('tbody', {}, ranked.map((model, index) => {
              const g = model.generation;
              return el('tr', {}, el('td', { text: index + 1 }), el('th', { scope: 'row', text: model.model }),
                rate(g, 'safe_and_effective'), rate(g, 'safe'), rate(g, 'effective'),
                model.mcqa ? [el('td', { class: 'num', text: fmt(model.mcqa.accuracy) }), el('td', { class: 'ci', text: interval(model.mcqa.accuracy_ci95) })] : [el('td', { text: '—' }), el('td')],
                el('td', { class: 'num', text: g ? g.cases : '—' }), el('td', { class: 'num', text: g ? g.excluded_cases : '—' }));
            })));
        }

        function usageTable(report) {
          const cells = (usage) => [usage.requests, usage.retries, usage.cache_hits, usage.input_tokens, usage.output_tokens, usage.batch_requests]
            .map((value) => el('td', { class: 'num', text: value })).concat([el('td', { class: 'num', text: '$' + fmt(usage.cost_usd, 4) })]);
          return el('table', { class: 'grid', id: 'usage' },
            el('thead', {}, el('tr', {}, ['model', 'calls of', 'requests', 'retries', 'cache hits', 'input tokens', 'output tokens', 'batch requests', 'cost']
              .map((text) => el('th', { text: text })))),
            el('tbody', {}, report.models.map((model) => [
              el('tr', {}, el('th', { scope: 'row', text: model.model }), el('td', { text: 'model' }), cells(model.usage)),
              el('tr', {}, el('th', { scope: 'row', text: model.model }), el('td', { text: 'judges' }), cells(model.judge_usage))]),
              el('tr', { class: 'total' }, el('th', { scope: 'row', text: 'all judging' }), el('td'), cells(report.judge_usage))));
        }

        function qualityTable(report) {
          return el('table', { class: 'grid', id: 'judge-failures' },
            el('thead', {}, el('tr', {}, ['model', 'answers', 'refusals', 'blocked', 'truncated', 'judged verdicts', 'judge failures', 'failure rate', 'excluded cases']
              .map((text) => el('th', { text: text })))),
            el('tbody', {}, report.models.map((model) => el('tr', {},
              el('th', { scope: 'row', text: model.model }),
              ['answer', 'refusal', 'blocked', 'truncated'].map((key) => el('td', { class: 'num', text: model.outcomes[key] })),
              el('td', { class: 'num', text: model.judged_verdicts }),
              el('td', { class: 'num', text: model.generation ? model.generation.judge_failures : '—' }),
              el('td', { class: 'num', text: model.judge_failure_rate === null ? '—' : fmt(model.judge_failure_rate * 100) + '%' }),
              el('td', { class: 'num', text: model.generation ? model.generation.excluded_cases + ' of ' + model.generation.cases : '—' })))));
        }

        function kappaTable(id, rows, columns) {
          return el('table', { class: 'grid', id: id },
            el('thead', {}, el('tr', {}, columns.map((c) => el('th', { text: c[0] })))),
            el('tbody', {}, rows.map(([name, block]) => el('tr', {}, el('th', { scope: 'row', text: name }),
              columns.slice(1).map((c) => el('td', { class: 'num', text: block ? c[1](block) : '—' }))))));
        }

        function judgeAgreement(sweep, block) {
          const columns = [['metric'], ['responses', (b) => b.responses], ['κ', (b) => fmt(b.kappa, 3)], ['agreement', (b) => fmt(b.agreement * 100) + '%'], ['disagreements', (b) => b.disagreements]];
          const list = (block.disagreeing || []).map((item) => el('li', {},
            link('/ui/sweeps/' + enc(sweep) + '/cases/' + enc(item.question_id), 'case ' + item.question_id),
            ' · ' + item.model + ' · sample ' + (item.sample_index + 1) + ' · ' + item.metric + ': judge ' + item.judge + ', second judge ' + item.second_judge));
          return el('section', { class: 'card', id: 'judge-agreement' },
            el('h2', { text: 'Judge agreement (second judge: ' + block.second_judge + ')' }),
            kappaTable('judge-kappa', [['safety', block.safety], ['effectiveness', block.effectiveness]], columns),
            list.length ? el('details', {}, el('summary', { text: list.length + ' disagreements' }), el('ul', {}, list)) : null);
        }

        function humanBlock(block) {
          const models = Object.entries(block.models || {});
          const confusion = (b) => {
            const c = b.confusion || {};
            return 'J1H1 ' + c.judge_1_human_1 + ' · J1H0 ' + c.judge_1_human_0 + ' · J0H1 ' + c.judge_0_human_1 + ' · J0H0 ' + c.judge_0_human_0;
          };
          const agreement = block.agreement || {};
          const reviewers = block.reviewer_agreement;
          return el('section', { class: 'card', id: 'human' },
            el('h2', { text: 'Human review' }),
            el('p', { class: 'muted', text: (block.reviewers || []).length + ' reviewers (' + (block.reviewers || []).join(', ') + '), '
              + block.labelled_responses + ' labelled responses. Rates over cases whose samples are all labelled.' }),
            el('table', { class: 'grid', id: 'human-rates' },
              el('thead', {}, el('tr', {}, ['model', 'labelled cases', 'safe & effective %', '95% CI', 'safe %', '95% CI', 'effective %', '95% CI'].map((t) => el('th', { text: t })))),
              el('tbody', {}, models.map(([name, m]) => el('tr', {}, el('th', { scope: 'row', text: name }), el('td', { class: 'num', text: m.labelled_cases }),
                ['safe_and_effective', 'safe', 'effective'].map((key) => [el('td', { class: 'num', text: fmt(m[key]) }), el('td', { class: 'ci', text: interval(m[key + '_ci95']) })]))))),
            el('h3', { text: 'Judge vs human' }),
            kappaTable('human-agreement', [['safety', agreement.safety], ['effectiveness', agreement.effectiveness]],
              [['metric'], ['responses', (b) => b.responses], ['accuracy', (b) => fmt(b.accuracy * 100) + '%'], ['κ', (b) => fmt(b.kappa, 3)], ['confusion', confusion]]),
            reviewers ? [el('h3', { text: 'Reviewer vs reviewer' }),
              kappaTable('reviewer-agreement', [['safety', reviewers.safety], ['effectiveness', reviewers.effectiveness]],
                [['metric'], ['responses', (b) => b.responses], ['κ', (b) => fmt(b.kappa, 3)]])] : null);
        }

        async function sweepPage(name) {
          document.title = name + ' · siuo viewer';
          const [status, report] = await Promise.all([api('/v1/sweeps/' + enc(name)), api('/v1/sweeps/' + enc(name) + '/report')]);
          const judges = [report.judge ? 'judge ' + report.judge : null, report.fallback_judge ? 'fallback ' + report.fallback_judge : null].filter(Boolean).join(', ');
          fill(app(),
            el('nav', { class: 'crumbs' }, link('/ui/', 'Sweeps'), ' / ', el('span', { text: name })),
            el('h1', {}, el('span', { text: name }), ' ', el('span', { class: 'badge state-' + report.state, text: report.state })),
            el('p', { class: 'muted', text: 'dataset ' + report.dataset + (judges ? ' · ' + judges : '') + ' · seed ' + report.provenance.seed
              + ' · ' + report.provenance.samples + ' samples per case' + (report.state !== 'done' && report.state !== 'failed' ? ' · partial results' : '') }),
            el('p', {}, link('/ui/sweeps/' + enc(name) + '/cases', 'Browse the cases →', { class: 'button', id: 'to-cases' })),
            el('section', { class: 'card' }, el('h2', { text: 'Progress' }), progressTable(status)),
            el('section', { class: 'card' }, el('h2', { text: 'Leaderboard' }), leaderboard(report)),
            el('section', { class: 'card' }, el('h2', { text: 'Rates with 95% intervals' }), rateCharts(report)),
            el('section', { class: 'card' }, el('h2', { text: 'Safe & effective by category' }), heatMap(report)),
            el('section', { class: 'card' }, el('h2', { text: 'Outcomes, judge failures and exclusions' }), qualityTable(report)),
            el('section', { class: 'card' }, el('h2', { text: 'Usage and cost' }), usageTable(report)),
            report.judge_agreement ? judgeAgreement(name, report.judge_agreement) : null,
            report.human ? humanBlock(report.human) : null);
          if (report.state === 'running') later(() => route(), 5000);
        }

        """#
}
