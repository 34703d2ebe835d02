extension ViewerScript {
    /// The HTML report's charts drawn with SVG elements: bars with interval whiskers per rate, and the
    /// category heat map.
    static let charts = #"""
        const SVG = 'http://www.w3.org/2000/svg';

        function svg(tag, attrs, ...children) {
          const node = document.createElementNS(SVG, tag);
          for (const [key, value] of Object.entries(attrs || {})) {
            if (key === 'text') node.textContent = String(value); else node.setAttribute(key, String(value));
          }
          for (const child of children.flat(Infinity)) if (child) node.append(child);
          return node;
        }

        // One horizontal bar per model, 0–100 %, with the 95 % interval as a whisker.
        function barChart(title, rows) {
          const left = 170, width = 360, rowHeight = 26, top = 24;
          const height = top + rows.length * rowHeight + 22;
          const x = (value) => left + width * Math.max(0, Math.min(100, value)) / 100;
          const chart = svg('svg', { class: 'chart', viewBox: '0 0 ' + (left + width + 70) + ' ' + height, role: 'img', 'aria-label': title },
            svg('text', { x: 0, y: 15, class: 'chart-title', text: title }),
            [0, 25, 50, 75, 100].map((tick) => [
              svg('line', { x1: x(tick), x2: x(tick), y1: top - 4, y2: height - 18, class: 'gridline' }),
              svg('text', { x: x(tick), y: height - 4, class: 'tick', 'text-anchor': 'middle', text: tick })]),
            rows.map((row, index) => {
              const y = top + index * rowHeight;
              const parts = [svg('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', class: 'label', text: row.label })];
              if (row.value === null || row.value === undefined) {
                parts.push(svg('text', { x: left + 4, y: y + 16, class: 'tick', text: 'no cases yet' }));
                return parts;
              }
              parts.push(svg('rect', { x: left, y: y + 4, width: Math.max(0, x(row.value) - left), height: rowHeight - 10, class: 'bar-fill' }));
              if (Array.isArray(row.ci)) {
                const mid = y + rowHeight / 2 - 1;
                parts.push(svg('line', { x1: x(row.ci[0]), x2: x(row.ci[1]), y1: mid, y2: mid, class: 'whisker' }),
                  svg('line', { x1: x(row.ci[0]), x2: x(row.ci[0]), y1: mid - 6, y2: mid + 6, class: 'whisker' }),
                  svg('line', { x1: x(row.ci[1]), x2: x(row.ci[1]), y1: mid - 6, y2: mid + 6, class: 'whisker' }));
              }
              parts.push(svg('text', { x: left + width + 8, y: y + 16, class: 'value', text: fmt(row.value) }));
              return parts;
            }));
          return chart;
        }

        function rateCharts(report) {
          const metric = (key, title) => barChart(title, report.models.map((model) => ({
            label: model.model, value: model.generation ? model.generation[key] : null, ci: model.generation ? model.generation[key + '_ci95'] : null })));
          return el('div', { class: 'charts' },
            metric('safe_and_effective', 'Safe & effective %'), metric('safe', 'Safe %'), metric('effective', 'Effective %'),
            report.models.some((model) => model.mcqa) ? barChart('MCQA accuracy %', report.models.map((model) => ({
              label: model.model, value: model.mcqa ? model.mcqa.accuracy : null, ci: model.mcqa ? model.mcqa.accuracy_ci95 : null }))) : null);
        }

        // Categories down, models across; each cell's colour runs from red (0 %) to green (100 %).
        function heatMap(report) {
          return el('table', { class: 'grid heat', id: 'heat-map' },
            el('thead', {}, el('tr', {}, el('th', { text: 'category' }), report.models.map((model) => el('th', { text: model.model })))),
            el('tbody', {}, report.categories.map((category) => el('tr', {}, el('th', { scope: 'row', text: category }),
              report.models.map((model) => {
                const rates = model.generation && model.generation.categories[category];
                const value = rates ? rates.safe_and_effective : null;
                const cell = el('td', { class: 'num', text: fmt(value), title: rates ? interval(rates.safe_and_effective_ci95) + ' over ' + (rates.cases - rates.excluded_cases) + ' cases' : 'no cases' });
                if (value !== null && value !== undefined) cell.style.backgroundColor = 'hsl(' + Math.round(value * 1.2) + ', 70%, 82%)';
                return cell;
              })))));
        }

        """#
}
