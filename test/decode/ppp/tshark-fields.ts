/** Test helper: tshark's field values per frame, for the PPP control cross-checks. */
import { spawnSync } from "node:child_process";

/** Joins the values of a field that occurs several times in one frame (our texts never hold it). */
const AGGREGATOR = "|";

/** Every value of one field in one frame, in packet order; [] when absent. */
export type Fields = (name: string) => string[];

/** Runs tshark over `file` and returns, per frame, a lookup of each field's values. */
export function tsharkFieldsPerFrame(file: string, fields: readonly string[]): Fields[] {
  const args = ["-r", file, "-T", "fields", "-E", "occurrence=a", "-E", `aggregator=${AGGREGATOR}`, "-E", "separator=/t"];
  for (const field of fields) args.push("-e", field);
  const run = spawnSync("tshark", args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
  return run.stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const columns = line.split("\t");
      return (name: string) => {
        const index = fields.indexOf(name);
        if (index < 0) throw new Error(`field ${name} was not asked of tshark`);
        const column = columns[index] ?? "";
        return column === "" ? [] : column.split(AGGREGATOR);
      };
    });
}

