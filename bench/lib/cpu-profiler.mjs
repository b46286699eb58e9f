// Loaded into a benchmarked homeserver with NODE_OPTIONS="--import <this file>" (Node 20 does
// not take --cpu-prof there): samples the process's CPU from start to exit with the inspector's
// profiler and writes a .cpuprofile into BENCH_PROFILE_DIR when the process exits.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  // An in-process session answers synchronously, so the profile is written before the exit.
  process.once("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err)
        writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
