import { describe, expect, it } from "vitest";
import { formatSpan } from "../../src/report/table.js";

describe("formatSpan", () => {
  it("gives the seconds between two report times", () => {
    expect(formatSpan("2024-03-01T09:00:00.000000Z", "2024-03-01T09:00:00.015000Z")).toBe("0.015 s");
    expect(formatSpan("2024-03-01T09:00:00.000000000Z", "2024-03-01T09:01:01.500000000Z")).toBe("61.500 s");
  });

  // Found by the fuzzer (test/crashes/exception-rangeerror-invalid-time-value-at-isotime.pcapng):
  // a damaged pcapng timestamp past Date's last day, year 275760, printed "NaN s".
  it("shows '-' for times past Date's range instead of NaN", () => {
    expect(formatSpan("+292017-10-10T14:40:16.850472Z", "+292017-10-10T14:40:16.850472Z")).toBe("-");
  });
});
