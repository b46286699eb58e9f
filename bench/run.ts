/**
 * The benchmark runner: `npm run bench -- <scenario…|all> [--full] [--profile]`.
 *
 * Every run measures the machine's floors first (bench/scenarios/floors.ts) and prints them, then
 * each scenario named, each with its reference measured in the same run; each report is printed
 * as a table and written to bench/results/<scenario>.json. `--full` runs longer and larger
 * (short mode takes seconds per case). `--profile` has the homeserver write a CPU profile
 * (bench/profiles/) and prints its costliest functions. Load only ever targets loopback.
 */
import { measureFloors, floorRows, type Floors } from "./scenarios/floors.js";
import { printReport, writeReport, type Report } from "./lib/report.js";
import { sms } from "./scenarios/sms.js";
import { callSetup } from "./scenarios/call-setup.js";
import { idleClients } from "./scenarios/idle-clients.js";
import { names } from "./scenarios/names.js";
import { federatedCallSetup } from "./scenarios/federated-call-setup.js";
import { profileOn, printProfiles } from "./lib/profile.js";

type Scenario = (full: boolean, floors: Floors) => Promise<Report>;

const SCENARIOS: Record<string, Scenario> = {
  sms: (full) => sms(full),
  "call-setup": callSetup,
  "federated-call-setup": (full) => federatedCallSetup(full),
  "idle-clients": (full) => idleClients(full),
  names,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const full = args.includes("--full");
  const profile = args.includes("--profile");
  const named = args.filter((a) => !a.startsWith("--"));
  const chosen = named.length === 0 || named.includes("all") ? Object.keys(SCENARIOS) : named;
  const unknown = chosen.filter((n) => n !== "floors" && !(n in SCENARIOS));
  if (unknown.length) {
    console.error(
      `unknown scenario ${unknown.join(", ")}; known: floors, ${Object.keys(SCENARIOS).join(", ")}, all`,
    );
    process.exit(2);
  }
  const mode = full ? "full" : "short";
  console.log(`Callsign benchmarks (${mode}); floors first`);
  const floors = await measureFloors(full);
  const floorReport: Report = { scenario: "floors", mode, rows: floorRows(floors), details: { ...floors } };
  printReport(floorReport);
  writeReport(floorReport);
  if (profile) profileOn();
  for (const name of chosen.filter((n) => n !== "floors")) {
    const report = await SCENARIOS[name]!(full, floors);
    report.details.floors = floors;
    printReport(report);
    console.log(`  written to ${writeReport(report)}`);
    if (profile) printProfiles(name);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
