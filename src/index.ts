// Probot application function, for `probot run` (the first-run setup flow) and for anyone
// embedding the App in their own Probot server: jobs run in this process, through an
// in-process queue. The production server is src/server/main.ts. No logic here.
import type { ApplicationFunction } from "probot";
import { enqueue, jobHandler, policyDeps, registerHandlers } from "./app.js";
import { appIdResolver, botLoginResolver } from "./github/app-id.js";
import type { Octokit } from "./github/octokit.js";
import { MemoryQueue } from "./queue/memory.js";

const app: ApplicationFunction = (probot) => {
  const queue = new MemoryQueue();
  // Only this App's own check runs are read back; its id comes from APP_ID, else from GitHub.
  const appId = appIdResolver(process.env, async () => Number((await (await probot.auth()).rest.apps.getAuthenticated()).data?.id));
  const botLogin = botLoginResolver(process.env, async () => (await (await probot.auth()).rest.apps.getAuthenticated()).data?.slug);
  queue.start(jobHandler({ auth: async (id) => (await probot.auth(id)) as unknown as Octokit, appId, botLogin, queue, policy: policyDeps(), log: probot.log }), { concurrency: 4, perGroup: 2 });
  registerHandlers(probot, async (job) => {
    await enqueue(queue, job);
  });
};

export default app;
