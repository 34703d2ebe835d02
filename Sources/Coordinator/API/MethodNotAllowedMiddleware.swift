import Hummingbird
import Synchronization

/// Answers 405 with an `Allow` header when a path is served but not with the request's method
/// (`TRACE /v1/leases`, `DELETE /v1/sweeps`), where the router alone would say 404.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound else { return response }
            return refusal(for: request) ?? response
        } catch let error as HTTPError where error.status == .notFound {
            if let refusal = refusal(for: request) { return refusal }
            throw error
        }
    }

    /// 405 when another method serves this path and this one does not; nil otherwise (a real 404).
    private func refusal(for request: Request) -> Response? {
        let allowed = table.methods(for: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return nil }
        var response = JSONResponses.error(
            .methodNotAllowed, "\(request.method.rawValue) is not served here; use \(allowed.sorted().joined(separator: ", "))")
        response.headers[.allow] = allowed.sorted().joined(separator: ", ")
        return response
    }
}

/// The served routes, set once the registrar is done (the middleware is added before them).
final class RouteTable: Sendable {
    private let routes = Mutex<[RouteDescription]>([])

    func set(_ routes: [RouteDescription]) { self.routes.withLock { $0 = routes } }

    /// The methods whose route template matches `path` (`{name}` matches one segment).
    func methods(for path: String) -> Set<String> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return Set(
            routes.withLock { $0 }.filter { route in
                let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
                return template.count == segments.count
                    && zip(template, segments).allSatisfy { pattern, segment in
                        (pattern.hasPrefix("{") && pattern.hasSuffix("}") && !segment.isEmpty) || pattern == segment
                    }
            }.map(\.method))
    }
}
