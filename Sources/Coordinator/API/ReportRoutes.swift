import Hummingbird
import Shared

/// Routes for a sweep's results: the report (JSON, or rendered with `?format=`) and the export
/// in SIUO's file format (docs/protocol.md, "The report").
struct ReportRoutes {
    let reports: ReportStore

    func register(on routes: inout RouteRegistrar) {
        routes.add(.get, "/v1/sweeps/{name}/report", .read) { request, context in
            let name = try context.parameters.require("name")
            let requested = request.uri.queryParameters["format"].map(String.init) ?? ReportFormat.json.rawValue
            guard let format = ReportFormat(rawValue: requested) else {
                throw HTTPError(
                    .badRequest,
                    message: "query \"format\": expected one of "
                        + ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let report = try await reports.report(name)
            // JSON goes out in the wire's compact form, which `CoordinatorClient.report` reads.
            if format == .json { return try JSONResponses.json(report) }
            return Response(
                status: .ok, headers: [.contentType: format.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: try format.render(report))))
        }
        routes.add(.get, "/v1/sweeps/{name}/export", .read) { _, context in
            let name = try context.parameters.require("name")
            return try JSONResponses.json(try await reports.export(name))
        }
    }
}
