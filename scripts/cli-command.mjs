// How a script starts the installed command (dist/rpi-os.cjs) as a user's shell would: the node
// options on the launcher's first line (tools/launch.cjs: `#!/usr/bin/env -S node OPTIONS`),
// given to the node that runs the script. Spawning `node dist/rpi-os.cjs` without them would
// measure a command nobody runs.
import { readFileSync } from "node:fs";

/** The node options of a script's `#!/usr/bin/env [-S] node ...` line ([] for none or no such line). */
export function launcherNodeOptions(script) {
  const first = readFileSync(script, "utf8").split("\n", 1)[0];
  if (!first.startsWith("#!")) return [];
  const m = /^#!\/usr\/bin\/env\s+(?:-S\s+)?node((?:\s+-[^\s]+)*)\s*$/.exec(first);
  if (!m) throw new Error(`${script}: a first line that is not "#!/usr/bin/env [-S] node [OPTIONS]": ${first}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/** argv that runs `script` with its launcher's node options: [node, ...options, script]. */
export function cliCommand(script) {
  return [process.execPath, ...launcherNodeOptions(script), script];
}
