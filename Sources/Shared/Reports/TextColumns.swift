/// Rows of cells padded into aligned columns, for terminal output.
struct TextColumns {
    /// The first row, underlined when rendered.
    var header: [String]
    /// The body rows; each has as many cells as `header`.
    var rows: [[String]] = []

    /// The rows as lines: text columns left-aligned, the rest (numbers) right-aligned.
    func lines(leftAligned: Set<Int> = [0, 1]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return leftAligned.contains(column) ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return [line(header), rule] + rows.map(line)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
