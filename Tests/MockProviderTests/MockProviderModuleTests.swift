import MockProvider
import Testing

@Suite struct MockProviderModuleTests {
    @Test func hasAName() {
        #expect(MockProviderModule.name == "siuo-mock-provider")
    }
}
