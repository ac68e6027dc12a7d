import { loadConfig } from "./config";
import { startServer } from "./server";

const running = await startServer(loadConfig());
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void running.close().then(() => process.exit(0));
  });
}
