/**
 * Measures the floors (short) and prints them: a check that they run, clean up after
 * themselves and let the process exit. `npx tsx bench/scenarios/floors-check.ts`
 */
import { printReport } from "../lib/report.js";
import { floorRows, measureFloors } from "./floors.js";

const started = performance.now();
const f = await measureFloors(false);
printReport({ scenario: "floors", mode: "short", rows: floorRows(f), details: {} });
console.log(`\nmeasured in ${((performance.now() - started) / 1000).toFixed(1)} s`);
