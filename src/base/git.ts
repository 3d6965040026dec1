import { execFile, spawn } from 'node:child_process';

/** What git printed on stderr, first line only: enough to say why, short enough for one line. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args[0] ?? ''} failed: ${firstLine(stderr) || `exit code ${String(exitCode)}`}`);
    this.name = 'GitError';
  }
}

// git must never prompt, page, take a lock, or translate the messages we match on
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C', LANGUAGE: 'C' };

/** Runs git with arguments (never a shell) and returns its stdout; output past `maxBytes` is an error. */
export function git(cwd: string, args: string[], maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: maxBytes, env: { ...process.env, ...GIT_ENV }, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new GitError(args, 'git is not installed or not on PATH', null));
      if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new GitError(args, `output larger than ${maxBytes} bytes`, null));
      reject(new GitError(args, stderr.toString('utf8'), typeof error.code === 'number' ? error.code : null));
    });
  });
}

export async function gitText(cwd: string, args: string[], maxBytes = 64 * 1024): Promise<string> {
  return (await git(cwd, args, maxBytes)).toString('utf8').trim();
}

/**
 * Reads blobs through one `git cat-file --batch`. The caller knows each blob's size from the
 * tree listing, so `maxBytes` bounds the whole answer and a larger one stops the read.
 */
export function readBlobs(cwd: string, oids: string[], maxBytes: number): Promise<Map<string, Buffer>> {
  if (oids.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const chunks: Buffer[] = [];
    let received = 0;
    let stderr = '';
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      child.kill();
      reject(error);
    };
    child.on('error', (error) => fail(new GitError(['cat-file'], (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed or not on PATH' : error.message, null)));
    child.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) return fail(new GitError(['cat-file'], `output larger than ${maxBytes} bytes`, null));
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // a dying git closes its stdin; the exit code says why
    child.on('close', (code) => {
      if (failed) return;
      if (code !== 0) return fail(new GitError(['cat-file'], stderr, code));
      try {
        resolve(parseBatch(Buffer.concat(chunks)));
      } catch (error) {
        fail(error as Error);
      }
    });
    child.stdin.end(`${oids.join('\n')}\n`);
  });
}

/** `<oid> <type> <size>\n<content>\n`, or `<name> missing\n`, per object asked for. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new GitError(['cat-file'], 'truncated output', null);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header[1] === 'missing') continue;
    const [oid, , sizeText] = header;
    const size = Number(sizeText);
    if (!oid || !Number.isSafeInteger(size) || at + size > out.length) throw new GitError(['cat-file'], 'unexpected output', null);
    blobs.set(oid, out.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').replace(/^(fatal|error): /, '').trim();
}
