/** Hosts that can only be the project's own infrastructure: loopback, private ranges, cluster names. */
export function isSelfHostedHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::1' || h === 'host.docker.internal') return true;
  if (/^127\./.test(h) || /^10\./.test(h) || /^192\.168\./.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h)) return true;
  if (/^(fc|fd)[0-9a-f]{2}:/.test(h)) return true;
  if (!h.includes('.') && !h.includes(':')) return true; // a single-label name: a compose service, a k8s service
  return /\.(local|internal|lan|svc|cluster\.local|home\.arpa)$/.test(h);
}

/** The host of a URL-looking string, lower-cased, without credentials, port or path; null when it is not a URL. */
export function hostOfUrl(text: string): string | null {
  const match = /^\s*(?:https?|wss?):\/\/([^/?#\s]+)/i.exec(text);
  if (!match?.[1]) return null;
  const authority = match[1].slice(match[1].lastIndexOf('@') + 1);
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
  return /^[a-z0-9.\-[\]:_]+$/i.test(host) && host.length > 0 ? host.toLowerCase() : null;
}

/**
 * Providers' own API hosts that no catalogued SDK names (the OpenAI-compatible APIs reached with
 * the OpenAI SDK or fetch): calls there go straight to the model provider, not through a third party.
 */
const DIRECT_PROVIDER_HOSTS = [
  'api.openai.com', 'api.anthropic.com', 'api.deepseek.com', 'api.x.ai', 'api.together.xyz', 'api.together.ai', 'api.perplexity.ai',
  'api.mistral.ai', 'api.groq.com', 'api.fireworks.ai', 'api.cohere.com', 'api.cohere.ai', 'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com', 'api.cerebras.ai', 'api.deepinfra.com', 'api.replicate.com', 'api-inference.huggingface.co',
  'api.moonshot.ai', 'api.moonshot.cn', 'dashscope.aliyuncs.com', 'dashscope-intl.aliyuncs.com', 'api.ai21.com',
  'api.voyageai.com', 'api.novita.ai', 'api.sambanova.ai', 'api.hyperbolic.xyz', 'api.minimax.chat', 'open.bigmodel.cn', 'api.z.ai',
  // Morph serves its own code-merge models (e2b-dev/fragments reaches it with the AI SDK's OpenAI provider and MORPH_API_KEY)
  'api.morphllm.com',
  // MiniMax (international and mainland China), Gitee AI, PPIO and SiliconFlow serve models on their own infrastructure
  // (Mintplex-Labs/anything-llm reaches them with the OpenAI SDK; ChatGPTNextWeb/NextChat with fetch)
  'api.minimax.io', 'api.minimaxi.com', 'ai.gitee.com', 'api.ppinfra.com', 'api.siliconflow.cn', 'api.siliconflow.com',
  // Baidu Qianfan, ByteDance's Volcengine Ark, Tencent Hunyuan, iFlytek Spark, Stability AI
  'aip.baidubce.com', 'qianfan.baidubce.com', 'ark.cn-beijing.volces.com', 'hunyuan.tencentcloudapi.com', 'api.hunyuan.cloud.tencent.com',
  'spark-api-open.xf-yun.com', 'api.stability.ai',
  // OpenAI's ChatGPT backend: Codex with a ChatGPT login calls chatgpt.com/backend-api/codex (RooCodeInc/Roo-Code)
  'chatgpt.com',
  // GitHub Models serves its catalogue itself (on Azure), for a GitHub token (stackblitz-labs/bolt.diy's GitHub provider)
  'models.github.ai', 'models.inference.ai.azure.com',
];

/** A model provider's own API: one of the hosts above, Azure OpenAI resources, or Amazon Bedrock's regional endpoints. */
export function isDirectProviderHost(host: string): boolean {
  const h = host.toLowerCase();
  if (DIRECT_PROVIDER_HOSTS.some((known) => h === known)) return true;
  if (/\.openai\.azure\.com$|\.services\.ai\.azure\.com$|\.cognitiveservices\.azure\.com$/.test(h)) return true;
  return /^bedrock(-runtime|-agent-runtime)?(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/.test(h);
}
