// A real redis-server for tests, on a free port, with no persistence. `.ci/run` installs
// Debian's redis-server when it is missing; a machine without it fails here, loudly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private child?: ChildProcess;
  url = "";

  async start(): Promise<void> {
    if (spawnSync("redis-server", ["--version"]).status !== 0) throw new Error("start redis-server: not installed; `.ci/run` installs it (apt-get install redis-server)");
    const port = await freePort();
    this.child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    this.url = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = createConnection(port, "127.0.0.1", () => {
          socket.end();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });
      if (up) return;
      if (Date.now() > deadline) throw new Error(`start redis-server: not listening on ${port} after 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
}
