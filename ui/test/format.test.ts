import { describe, expect, it } from "vitest";
import { kind } from "../src/format";

describe("kind", () => {
  it("names the kinds of file people upload, captions and mail included", () => {
    expect(kind("application/pdf")).toBe("PDF");
    expect(kind("text/vtt")).toBe("Captions");
    expect(kind("application/x-subrip")).toBe("Captions");
    expect(kind("application/vnd.ms-outlook")).toBe("Outlook message");
    expect(kind("message/rfc822")).toBe("E-mail");
    expect(kind("video/mp4")).toBe("Video");
  });

  it("falls back to the subtype of a type it does not name", () => {
    expect(kind("text/x-python")).toBe("x-python");
    expect(kind(undefined)).toBe("");
  });
});
