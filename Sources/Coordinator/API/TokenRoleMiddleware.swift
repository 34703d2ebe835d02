import Hummingbird

/// Reads the bearer token once per request and records the role it names in the context; each route
/// then checks that role against its access (``RouteRegistrar``). The header is read here and nowhere
/// else, and never logged.
struct TokenRoleMiddleware: RouterMiddleware {
    let tokens: APITokens

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        context.role = tokens.role(authorization: request.headers[.authorization])
        return try await next(request, context)
    }
}
