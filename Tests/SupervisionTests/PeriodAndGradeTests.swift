import Foundation
import Supervision
import Testing

@Suite("Periods and grades")
struct PeriodAndGradeTests {
    @Test(arguments: ["2026Q0", "2026Q5", "26Q1", "2026q1", "2026Q", "Q1", "2026Q12", "", "1899Q4", "２０２６Q1"])
    func rejectsMalformedPeriods(text: String) {
        #expect(Period(text) == nil)
    }

    @Test func daysOfAQuarter() throws {
        let q = try #require(Period("2026Q1"))
        #expect(q.firstDay.description == "2026-01-01" && q.lastDay.description == "2026-03-31")
        #expect(q.days.count == 90)
        #expect(try #require(Period("2024Q1")).days.count == 91)  // leap year
        #expect(q.weekdays.count == 64)
        #expect(q.weekdays.allSatisfy { !$0.isWeekend && q.contains($0) })
        #expect(!q.contains(try #require(CalendarDate("2026-04-01"))))
        #expect(Period(containing: try #require(CalendarDate("2026-06-30"))).description == "2026Q2")
        #expect(q.next.description == "2026Q2" && q.previous.description == "2025Q4")
        #expect(try #require(Period("2026Q4")).next.description == "2027Q1")
        #expect(try #require(Period("2026Q3")).earlierInYear.map(\.description) == ["2026Q1", "2026Q2"])
        #expect(try #require(Period("2025Q4")) < q)
    }

    @Test func periodsAndDatesRoundTripThroughJSON() throws {
        struct Box: Codable, Equatable { var period: Period; var day: CalendarDate; var grade: Grade }
        let box = Box(period: try #require(Period("2026Q2")), day: try #require(CalendarDate("2026-05-04")), grade: .c)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(box)
        #expect(String(decoding: data, as: UTF8.self) == #"{"day":"2026-05-04","grade":"C","period":"2026Q2"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: data) == box)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Box.self, from: Data(#"{"period":"2026Q9","day":"2026-05-04","grade":"C"}"#.utf8))
        }
    }

    @Test func gradesAreOrderedByRiskNotByText() {
        #expect(Grade.allCases.map(\.label) == ["A", "B", "C", "D"])
        #expect(Grade(label: "C") == .c && Grade(label: "E") == nil && Grade(label: "a") == nil && Grade(label: "AB") == nil)
        #expect(max(Grade.b, Grade.d) == .d && Grade.a < Grade.b)
        #expect(Grade.a.raised() == .b && Grade.c.raised() == .d && Grade.d.raised() == .d)
        #expect(Grade.a.raised(by: 2) == .c && Grade.b.raised(by: 0) == .b)
    }

    @Test func keysSortByUTF8Bytes() {
        // "Z" (0x5A) sorts before "a" (0x61) by bytes; "é" (0xC3 0xA9) after "z".
        let codes: [DepartmentCode] = ["fire", "Zoo", "é", "z", "market"]
        #expect(codes.sorted().map(\.rawValue) == ["Zoo", "fire", "market", "z", "é"])
        #expect(Stratum(department: "fire", grade: .d) < Stratum(department: "market", grade: .a))
        #expect(Stratum(department: "fire", grade: .a) < Stratum(department: "fire", grade: .b))
    }

    @Test func workingDaysOfAPeriodSkipHolidays() throws {
        let q = try #require(Period("2026Q2"))
        let holiday = try #require(CalendarDate("2026-05-01"))  // a Friday
        let makeUp = try #require(CalendarDate("2026-05-09"))   // a Saturday
        let days = WorkingDayCalendar(holidays: [holiday], workingWeekends: [makeUp]).workingDays(of: q)
        #expect(!days.contains(holiday) && days.contains(makeUp))
        #expect(days.count == q.weekdays.count)
    }
}
