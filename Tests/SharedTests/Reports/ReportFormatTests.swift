import Shared
import Testing

/// `siuo report --out FILE` without `--format`: the extension names the format.
@Suite struct ReportFormatTests {
    @Test(arguments: [
        ("r.json", ReportFormat.json), ("r.csv", .csv), ("r.md", .markdown), ("r.markdown", .markdown),
        ("r.html", .html), ("r.htm", .html), ("r.txt", .table), ("out/Report.HTML", .html), ("a.b/c.Json", .json),
    ])
    func anExtensionNamesItsFormat(path: String, format: ReportFormat) {
        #expect(ReportFormat(fileExtensionOf: path) == format)
    }

    @Test(arguments: ["report", "r.xyz", "r.", ".json", "dir.json/report", "r.json.bak", "r.pdf"])
    func otherNamesNameNoFormat(path: String) {
        #expect(ReportFormat(fileExtensionOf: path) == nil)
    }

    @Test func everyFormatHasAnExtension() {
        for format in ReportFormat.allCases {
            #expect(!format.fileExtensions.isEmpty)
            #expect(ReportFormat(fileExtensionOf: "r." + format.fileExtensions[0]) == format)
        }
    }
}
