import Shared
import Testing

/// A delay crosses the wire in milliseconds, rounded up on the worker and
/// bounded to a day on both sides.
@Suite struct ReportedDelayTests {
    @Test func millisecondsRoundUpAndStopAtADay() {
        #expect(ReportedDelay.milliseconds(0.0001) == 1)
        #expect(ReportedDelay.milliseconds(1.5) == 1500)
        #expect(ReportedDelay.milliseconds(-3) == 0)
        #expect(ReportedDelay.milliseconds(1e12) == ReportedDelay.maxMilliseconds)
        #expect(ReportedDelay.milliseconds(.infinity) == ReportedDelay.maxMilliseconds)
        #expect(ReportedDelay.milliseconds(.nan) == 0)
    }

    @Test func secondsStayWithinADay() {
        #expect(ReportedDelay.seconds(1500) == 1.5)
        #expect(ReportedDelay.seconds(-1) == 0)
        #expect(ReportedDelay.seconds(Int.max) == 86_400)
    }
}
