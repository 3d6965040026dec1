import { describe, expect, it } from 'vitest';
import { builtinCatalog, CatalogIndex } from '../../src/ai/catalog.js';
import type { AiAnalysis } from '../../src/ai/classify.js';
import { aiStage } from '../../src/ai/stage.js';
import type { LockedPackage } from '../../src/inventory/model.js';
import type { AiToolReport } from '../../src/report/model.js';
import { inventory, lockedPackage } from '../helpers/inventory.js';
import { tempProjects } from '../helpers/temp-dirs.js';

const catalog = new CatalogIndex(builtinCatalog);
const project = tempProjects('aca-langgraph-');
const SDK = 'LangGraph SDK (client of a LangGraph server)';

async function analyse(root: string, packages: LockedPackage[]): Promise<AiAnalysis> {
  return (await aiStage(inventory({ root, packages }), { catalog })).analysis;
}

function row(ai: AiAnalysis, name: string): AiToolReport {
  const found = ai.tools.filter((tool) => tool.name === name);
  expect(found, `${name} in aiTools: ${ai.tools.map((tool) => tool.name).join(', ')}`).toHaveLength(1);
  return found[0] as AiToolReport;
}

const answers = (tool: AiToolReport) => [tool.requestPath, tool.handlesKeys, tool.sendsPrompts, tool.singlePointOfFailure];
const sdk = lockedPackage({ name: '@langchain/langgraph-sdk', version: '0.0.42', direct: true });

// the shape of mayooear/ai-pdf-chatbot-langchain's frontend: a Next.js app that sends every question to a LangGraph server
const CLIENT_FROM_ENV = `import { Client } from '@langchain/langgraph-sdk';

export const createClient = () =>
  new Client({
    apiUrl: process.env.NEXT_PUBLIC_LANGGRAPH_API_URL,
  });
`;

describe('the LangGraph SDK: a client of the server that runs the graph', () => {
  it('is a hop to a self-hosted server when the URL in the env file is local: the prompts stay with the project', async () => {
    const root = await project({ 'lib/langgraph-client.ts': CLIENT_FROM_ENV, '.env.example': 'NEXT_PUBLIC_LANGGRAPH_API_URL=http://localhost:2024\n' });
    const ai = await analyse(root, [sdk]);
    const client = row(ai, '@langchain/langgraph-sdk');
    expect(client).toMatchObject({ tool: SDK, tier: 'gateway', role: 'gateway-client', hosting: 'self-hosted' });
    expect(answers(client)).toEqual(['network-hop', 'forwards', 'none', true]);
    expect(client.confidence.requestPath).toBe('observed');
    expect(client.evidence).toContainEqual(expect.objectContaining({ file: 'lib/langgraph-client.ts', line: 4 }));
    const server = row(ai, 'localhost');
    expect(server).toMatchObject({ kind: 'endpoint', hosting: 'self-hosted', endpoint: { reachedBy: ['@langchain/langgraph-sdk'] } });
    // the port in the env file, not the SDK's own default
    expect(server.endpoint?.routes).toContainEqual(expect.objectContaining({ how: 'env', file: 'lib/langgraph-client.ts', line: 4, detail: expect.stringMatching(/NEXT_PUBLIC_LANGGRAPH_API_URL points at localhost \(\.env\.example:1\)/) }));
  });

  it('sends the prompts to LangChain when the URL is a LangSmith-hosted deployment', async () => {
    const root = await project({
      'lib/agent.ts': "import { Client } from '@langchain/langgraph-sdk';\nexport const client = new Client({ apiUrl: 'https://support-agent-5f1e0c2d.us.langgraph.app' });\n",
    });
    const ai = await analyse(root, [sdk]);
    const client = row(ai, '@langchain/langgraph-sdk');
    expect(client).toMatchObject({ tool: SDK, hosting: 'vendor' });
    expect(answers(client)).toEqual(['network-hop', 'forwards', 'default', true]);
    expect(row(ai, 'support-agent-5f1e0c2d.us.langgraph.app')).toMatchObject({ kind: 'endpoint', tool: SDK, hosting: 'vendor' });
  });

  it('goes to its own default, a local server on port 8123, when no apiUrl is given — not to a vendor', async () => {
    const root = await project({ 'agent.mjs': "import { Client } from '@langchain/langgraph-sdk';\nconst client = new Client();\nawait client.threads.create();\n" });
    const ai = await analyse(root, [sdk]);
    const client = row(ai, '@langchain/langgraph-sdk');
    expect(client).toMatchObject({ hosting: 'self-hosted' });
    expect(answers(client)).toEqual(['network-hop', 'forwards', 'none', true]);
    expect(client.reaches.join(' ')).toMatch(/localhost/);
  });

  it('counts LangGraph itself as LangChain, in-process; its SDK, only in the tree, stays a possibility', async () => {
    const root = await project({ 'src/graph.ts': "import { StateGraph } from '@langchain/langgraph';\nexport const graph = new StateGraph({ channels: {} });\n" });
    const ai = await analyse(root, [
      lockedPackage({ name: '@langchain/langgraph', version: '0.2.74', direct: true }),
      lockedPackage({ name: '@langchain/langgraph-sdk', version: '0.0.42', paths: [['app', '@langchain/langgraph', '@langchain/langgraph-sdk']] }),
    ]);
    const graph = row(ai, '@langchain/langgraph');
    expect(graph).toMatchObject({ tool: 'LangChain.js', role: 'framework', requestPath: 'in-process', sendsPrompts: 'none' });
    const transitive = row(ai, '@langchain/langgraph-sdk');
    expect(transitive.confidence.requestPath).toBe('possible');
    expect(transitive.reaches).toEqual([]);
    // as published it talks to a local server: nothing says LangChain runs it
    expect(transitive.hosting).toBe('self-hosted');
    expect(transitive.evidence.map((item) => item.detail).join('\n')).toMatch(/transitive: app > @langchain\/langgraph > @langchain\/langgraph-sdk/);
  });

  it('takes no route from helper calls once the project points its client somewhere the analysis cannot follow', async () => {
    // the shape of langchain-ai/agent-chat-ui: the client's URL comes from the page's query or settings; the SDK's message helpers make no request
    const root = await project({
      'src/providers/client.ts': "import { Client } from '@langchain/langgraph-sdk';\nexport function createClient(apiUrl: string) {\n  return new Client({ apiUrl });\n}\n",
      'src/providers/Stream.tsx': "import { isUIMessage, uiMessageReducer } from '@langchain/langgraph-sdk/react-ui';\nexport const reduce = (prev: unknown[], event: unknown) => (isUIMessage(event) ? uiMessageReducer(prev, event) : prev);\n",
    });
    const client = row(await analyse(root, [sdk]), '@langchain/langgraph-sdk');
    expect(client.reaches).toEqual([]);
    expect(client.unresolved).toContainEqual(expect.objectContaining({ file: 'src/providers/client.ts', line: 3 }));
  });

  it("follows a monorepo app's own `@/` alias to the constant that holds the URL", async () => {
    // the shape of langchain-ai/open-canvas: apps/web's tsconfig maps `@/*` to `./src/*`
    const root = await project({
      'package.json': '{ "private": true, "workspaces": ["apps/*"] }\n',
      'apps/web/package.json': '{ "name": "web" }\n',
      'apps/web/src/constants.ts': 'export const LANGGRAPH_API_URL =\n  process.env.LANGGRAPH_API_URL ?? "http://localhost:54367";\n',
      'apps/web/src/app/api/store/get/route.ts': "import { Client } from '@langchain/langgraph-sdk';\nimport { LANGGRAPH_API_URL } from '@/constants';\n\nexport const client = new Client({ apiUrl: LANGGRAPH_API_URL });\n",
    });
    const client = row(await analyse(root, [sdk]), '@langchain/langgraph-sdk');
    expect(client.unresolved).toEqual([]);
    expect(client.reaches).toEqual(['localhost']);
    expect(client.evidence.map((item) => item.detail).join('\n')).toMatch(/from apps\/web\/src\/constants\.ts/);
  });

  it("follows SvelteKit's `$lib` alias to the module that holds the URL (huggingface/chat-ui's shape)", async () => {
    const root = await project({
      'package.json': '{ "name": "app" }\n',
      'svelte.config.js': 'export default {};\n',
      'src/lib/server/config.ts': 'export const AGENT_URL = "http://localhost:2024";\n',
      'src/routes/api/agent/+server.ts': "import { Client } from '@langchain/langgraph-sdk';\nimport { AGENT_URL } from '$lib/server/config';\n\nexport const client = new Client({ apiUrl: AGENT_URL });\n",
    });
    const client = row(await analyse(root, [sdk]), '@langchain/langgraph-sdk');
    expect(client.unresolved).toEqual([]);
    expect(client.reaches).toEqual(['localhost']);
    expect(client.evidence.map((item) => item.detail).join('\n')).toMatch(/from src\/lib\/server\/config\.ts/);
  });

  it('reads the host of a URL whose port alone is computed (a LangGraph node calling its own server)', async () => {
    const root = await project({ 'src/nodes/title.ts': "import { Client } from '@langchain/langgraph-sdk';\nexport const self = new Client({ apiUrl: `http://localhost:${process.env.PORT}` });\n" });
    const client = row(await analyse(root, [sdk]), '@langchain/langgraph-sdk');
    expect(client.unresolved).toEqual([]);
    expect(client.reaches).toEqual(['localhost']);
    // credentials before the host are not a port: that URL's host is not known
    const withUser = await project({ 'src/nodes/title.ts': "import { Client } from '@langchain/langgraph-sdk';\nexport const self = new Client({ apiUrl: `https://agent:${process.env.TOKEN}@agents.example.net` });\n" });
    const computed = row(await analyse(withUser, [sdk]), '@langchain/langgraph-sdk');
    expect(computed.reaches).toEqual([]);
    expect(computed.unresolved).toHaveLength(1);
  });
});

