/** Library API: `import { analyze } from "pptp-analyze"`. */
export { analyze, type AnalyzeOptions } from "./analyze.js";
export { CaptureOpenError } from "./capture/reader.js";
export type { Report, Finding, FrameRef, CaptureSummary, Severity } from "./report/schema.js";
