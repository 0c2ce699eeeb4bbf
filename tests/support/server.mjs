// Test harness for the psea API integration tests.
//
// Node 20's node:* modules, and Ajv from tests/node_modules (tests/package.json; `npm ci` in
// tests/, which scripts/test runs) through ./openapi.mjs.
//
//   startServer(opts)   start `psea serve` on a fresh database (SQLite or PostgreSQL)
//   ApiClient           a small cookie-aware HTTP client (session cookie + CSRF token, or Bearer token)
//   totp / nextTotp     RFC 6238 codes (HMAC-SHA1, 6 digits, 30 s)
//   rawRequest          raw bytes over TCP, for malformed-request tests
//   assertError         checks the one error shape of docs/api.md
//
// Every answer read through httpRequest (so every ApiClient call) is checked against
// docs/openapi.json (./openapi.mjs): an undocumented status, a media type or a JSON body that
// the operation's documented response does not describe fails the request with a message
// naming the operation, the status and the JSON path. `validate: false` in a request's options
// skips the check for that one request (a test of something the document cannot describe).
//
// Environment:
//   PSEA_BINARY           path of the psea binary (default <repo>/build/psea)
//   PSEA_TEST_ENGINE      sqlite (default) or postgres
//   PSEA_TEST_PG_URL      libpq URL of an admin database of a throwaway cluster (postgres engine)
//   PSEA_TEST_KEEP=1      keep each server's temp dir (its path is printed)
//   PSEA_TEST_SHOW_LOG=1  print each server's log when it stops
//   PSEA_TEST_OPENAPI=0   do not check answers against docs/openapi.json

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { checkResponse } from './openapi.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.PSEA_BINARY || path.join(REPO_ROOT, 'build', 'psea');
export const ENGINE = (process.env.PSEA_TEST_ENGINE || 'sqlite').toLowerCase();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A password that no strength check should refuse (random, 20+ characters, mixed classes). */
export function strongPassword() {
  return 'Psea-' + crypto.randomBytes(12).toString('base64url') + '-9x';
}

/** A short random suffix for unique usernames / names. */
export function uniq(prefix = 'u') {
  return prefix + crypto.randomBytes(4).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs a command to completion. Resolves {code, signal, stdout, stderr}; never rejects on exit code. */
export function run(cmd, args, { env, stdin, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading stdin
    if (stdin !== undefined && stdin !== null) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers

/** Replaces the database name in a libpq URL (postgresql://user@host:port/db?params). */
export function pgUrlWithDatabase(url, dbname) {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) throw new Error(`PSEA_TEST_PG_URL is not a postgresql:// URL: ${url}`);
  return `${m[1]}/${encodeURIComponent(dbname)}${m[3] || ''}`;
}

async function psql(adminUrl, sql) {
  const r = await run('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-c', sql], { timeoutMs: 30000 });
  if (r.code !== 0) throw new Error(`psql failed (${sql}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// Server

export class TestServer {
  /** Use startServer() unless you need to run commands before `serve`. */
  static async create(opts = {}) {
    const s = new TestServer();
    s.opts = opts;
    s.engine = (opts.engine || ENGINE).toLowerCase();
    s.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-it-'));
    s.dataDir = path.join(s.tmpDir, 'data');
    s.portFile = path.join(s.tmpDir, 'port');
    s.logFile = path.join(s.tmpDir, 'server.log');
    s.env = { PSEA_ARGON2_PROFILE: 'fast', ...(opts.env || {}) };
    s.proc = null;
    s.pgDatabase = null;
    if (s.engine === 'sqlite') {
      s.dbUrl = `sqlite:${path.join(s.tmpDir, 'psea.db')}`;
    } else if (s.engine === 'postgres' || s.engine === 'postgresql') {
      s.engine = 'postgres';
      const admin = process.env.PSEA_TEST_PG_URL;
      if (!admin) throw new Error('PSEA_TEST_ENGINE=postgres needs PSEA_TEST_PG_URL');
      s.pgAdminUrl = admin;
      s.pgDatabase = 'psea_t_' + crypto.randomBytes(6).toString('hex');
      await psql(admin, `CREATE DATABASE ${s.pgDatabase}`);
      s.dbUrl = pgUrlWithDatabase(admin, s.pgDatabase);
    } else {
      throw new Error(`unknown PSEA_TEST_ENGINE: ${s.engine}`);
    }
    if (opts.webFiles) {
      s.webDir = path.join(s.tmpDir, 'web');
      fs.mkdirSync(s.webDir, { recursive: true });
      for (const [name, content] of Object.entries(opts.webFiles)) {
        const file = path.join(s.webDir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
    return s;
  }

  /** `--db URL --data-dir DIR`, for cli(). */
  get dbArgs() {
    return ['--db', this.dbUrl, '--data-dir', this.dataDir];
  }

  /** Runs `psea ...args` with the test env. Resolves {code, stdout, stderr}. */
  cli(args, stdin) {
    return run(BINARY, args, { env: this.env, stdin });
  }

  /**
   * `psea migrate`, once: only migrate, serve, demo and generate create a database; the other
   * commands (user add, intake email...) refuse a missing one.
   */
  async migrate() {
    if (this.migrated) return;
    const r = await this.cli(['migrate', ...this.dbArgs]);
    if (r.code !== 0) throw new Error(`psea migrate exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    this.migrated = true;
  }

  /**
   * `psea user add`; the password goes to stdin. Works before `serve` and while it runs.
   * Resolves {username, password, role, displayName}; throws if the command fails.
   */
  async createUser({ username, role, password = strongPassword(), displayName } = {}) {
    assert.ok(username && role, 'createUser needs username and role');
    await this.migrate();
    const args = ['user', 'add', ...this.dbArgs, '--username', username, '--role', role,
      '--display-name', displayName || username, '--password-stdin', '--no-password-change'];
    const r = await this.cli(args, password + '\n');
    if (r.code !== 0) {
      throw new Error(`psea ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    return { username, password, role, displayName: displayName || username };
  }

  /**
   * Makes `username` an intake reader from the console (`psea intake readers add`), the way an
   * installation designates its first reader: creates the organisation's recovery key the first
   * time (`psea vault init-recovery`; the private half is kept in `this.recoveryKey`).
   */
  async designateReader(username, scope = 'intake') {
    if (!this.recoveryKey) {
      const init = await this.cli(['vault', 'init-recovery', ...this.dbArgs]);
      const key = /^([A-Za-z0-9+/]{43}=)\s*$/m.exec(init.stdout);
      if (init.code !== 0 || !key) {
        throw new Error(`psea vault init-recovery exited ${init.code}\n${init.stdout}\n${init.stderr}`);
      }
      this.recoveryKey = key[1];
    }
    const r = await this.cli(['intake', 'readers', 'add', ...this.dbArgs, '--username', username,
      ...(scope === 'intake' ? [] : ['--scope', scope])], this.recoveryKey + '\n');
    if (r.code !== 0) {
      throw new Error(`psea intake readers add ${username} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
    return r;
  }

  log() {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  async serve() {
    if (!fs.existsSync(BINARY)) throw new Error(`psea binary not found at ${BINARY} (set PSEA_BINARY)`);
    // Only `psea migrate` (and `demo`) create a database and its key; `serve` refuses a missing
    // one. Migrating an existing database again does nothing.
    if (!this.opts.noMigrate) {
      const migrated = await this.cli(['migrate', ...this.dbArgs]);
      if (migrated.code !== 0) throw new Error(`psea migrate failed: ${migrated.stderr}`);
    }
    const args = ['serve', ...this.dbArgs, '--listen', '127.0.0.1:0', '--port-file', this.portFile];
    if (this.webDir) args.push('--web', this.webDir);
    const out = fs.openSync(this.logFile, 'a');
    this.proc = spawn(BINARY, args, { env: { ...process.env, ...this.env }, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    let exited = null;
    this.exitPromise = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
      });
      this.proc.on('error', (err) => {
        exited = { error: err };
        resolve(exited);
      });
    });
    const deadline = Date.now() + 20000;
    const fail = async (why) => {
      const log = this.log();
      await this.stop();
      throw new Error(`psea serve did not come up: ${why}\ncommand: ${BINARY} ${args.join(' ')}\n--- server output ---\n${log}`);
    };
    // 1. the port file
    while (true) {
      if (exited) return fail(`process exited ${JSON.stringify(exited)}`);
      if (Date.now() > deadline) return fail('timeout waiting for the port file');
      let txt = '';
      try {
        txt = fs.readFileSync(this.portFile, 'utf8').trim();
      } catch {}
      if (/^\d+$/.test(txt) && Number(txt) > 0) {
        this.port = Number(txt);
        break;
      }
      await sleep(50);
    }
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    // 2. /healthz answers 200
    let last = '';
    while (true) {
      if (exited) return fail(`process exited ${JSON.stringify(exited)}`);
      if (Date.now() > deadline) return fail(`timeout waiting for GET /healthz = 200 (last: ${last})`);
      try {
        const r = await httpRequest(this.baseUrl + '/healthz', { method: 'GET', timeoutMs: 2000 });
        if (r.status === 200) break;
        last = `${r.status} ${r.text}`;
      } catch (e) {
        last = String(e.message || e);
      }
      await sleep(100);
    }
    return this;
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => {
        try {
          this.proc.kill('SIGKILL');
        } catch {}
      }, 3000);
      await this.exitPromise;
      clearTimeout(t);
    }
    if (process.env.PSEA_TEST_SHOW_LOG === '1') {
      process.stderr.write(`--- psea server log (${this.tmpDir}) ---\n${this.log()}\n`);
    }
    if (this.pgDatabase) {
      try {
        await psql(this.pgAdminUrl, `DROP DATABASE IF EXISTS ${this.pgDatabase} WITH (FORCE)`);
      } catch (e) {
        process.stderr.write(`warning: ${e.message}\n`);
      }
    }
    if (process.env.PSEA_TEST_KEEP === '1') {
      process.stderr.write(`kept ${this.tmpDir}\n`);
    } else {
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }

  /** A new ApiClient for this server. */
  client(opts) {
    return new ApiClient(this.baseUrl, opts);
  }

  /**
   * Every byte the database holds, to look for clear text: the SQLite file and its WAL, or a
   * data-only pg_dump.
   */
  async databaseBytes() {
    if (this.engine === 'sqlite') {
      const file = this.dbUrl.slice('sqlite:'.length);
      return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    }
    const dump = await run('pg_dump', ['--data-only', this.dbUrl], { timeoutMs: 60000 });
    if (dump.code !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
    return Buffer.from(dump.stdout);
  }

  /** Runs SQL against this server's database (sqlite3 or psql CLI). For test set-up only. */
  async sql(statement) {
    const r = this.engine === 'sqlite'
      ? await run('sqlite3', [this.dbUrl.slice('sqlite:'.length), statement])
      : await run('psql', [this.dbUrl, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-A', '-t', '-c', statement]);
    if (r.code !== 0) throw new Error(`sql failed: ${statement}: ${r.stderr}`);
    return r.stdout;
  }
}

/**
 * Starts a server on a fresh database.
 *   opts.env       extra environment (e.g. PSEA_SESSION_IDLE_SECONDS)
 *   opts.users     [{username, role, password?, displayName?}] created with the CLI before `serve`
 *   opts.webFiles  {"index.html": "..."}: served with --web from a temp dir
 * Returns the TestServer: {baseUrl, port, stop(), createUser(), cli(args, stdin), users: {name: {...}}}.
 */
/**
 * A server on a fresh database with `opts.users` created from the console. Every CDT chief
 * among them becomes an intake reader (see designateReader) unless `opts.readers` says whom.
 */
export async function startServer(opts = {}) {
  const s = await TestServer.create(opts);
  s.users = {};
  try {
    for (const u of opts.users || []) {
      const created = await s.createUser(u);
      s.users[u.username] = created;
    }
    // Intake readers are designated, never implied by a role: by default every CDT chief
    // created here is made one from the console (opts.readers lists others, [] none).
    const readers = opts.readers ?? (opts.users || []).filter((u) => u.role === 'cdt_chief').map((u) => u.username);
    for (const username of readers) await s.designateReader(username);
    // Likewise every VRA becomes a reader of the victims' part (opts.victimReaders: others).
    const victimReaders = opts.victimReaders ?? (opts.users || []).filter((u) => u.role === 'vra').map((u) => u.username);
    for (const username of victimReaders) await s.designateReader(username, 'victims');
  } catch (e) {
    await s.stop();
    throw e;
  }
  await s.serve();
  return s;
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * One HTTP/1.1 request with node:http (no keep-alive). Resolves {status, headers: Headers, text, json};
 * rejects when the answer is not what docs/openapi.json says (unless `validate` is false).
 */
export function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 15000, localAddress, validate = true } = {}) {
  const caller = new Error(); // where the test made the request, for a mismatch's stack
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method,
      headers,
      agent: false,
      localAddress,
      timeout: timeoutMs,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const text = buf.toString('utf8');
        let json;
        try {
          json = text.length ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        let mismatch = null;
        try {
          if (validate) mismatch = checkResponse({ method, url, status: res.statusCode, headers: h, body: buf });
        } catch (error) {
          reject(error);
          return;
        }
        if (mismatch) {
          const error = new assert.AssertionError({ message: `the answer does not match docs/openapi.json: ${mismatch}` });
          error.stack = `${error.message}\n${caller.stack.split('\n').slice(1).join('\n')}`;
          reject(error);
          return;
        }
        resolve({ status: res.statusCode, headers: h, text, json, body: buf });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (body !== undefined && body !== null) req.end(body);
    else req.end();
  });
}

/** Parses one Set-Cookie header value into {name, value, attrs: {lowercased name: value|true}}. */
export function parseSetCookie(line) {
  const parts = line.split(';').map((p) => p.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const cookie = { name: nv.slice(0, eq).trim(), value: nv.slice(eq + 1).trim(), attrs: {}, raw: line };
  for (const a of rest) {
    if (!a) continue;
    const i = a.indexOf('=');
    if (i < 0) cookie.attrs[a.toLowerCase()] = true;
    else cookie.attrs[a.slice(0, i).trim().toLowerCase()] = a.slice(i + 1).trim();
  }
  return cookie;
}

/** The psea_session Set-Cookie of a response, parsed, or null. */
export function sessionSetCookie(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
  for (const line of all) {
    const c = parseSetCookie(line);
    if (c.name === 'psea_session') return c;
  }
  return null;
}

/** True when a Set-Cookie clears the cookie (empty value, Max-Age<=0 or Expires in the past). */
export function cookieIsCleared(c) {
  if (!c) return false;
  if (c.value === '' || c.value === '""') return true;
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (c.attrs.expires && Date.parse(c.attrs.expires) < Date.now()) return true;
  return false;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-aware API client.
 *   login(username, password, totp?)  stores the psea_session cookie and the csrf_token
 *   get/post/patch/put/del(path, body, opts) → {status, headers, json, text}
 * opts:
 *   csrf: true (default: send the stored token on POST/PUT/PATCH/DELETE) | false | 'explicit value'
 *   headers: extra headers
 *   cookie: false to send no session cookie
 *   contentType: override (null: send no Content-Type); body given as string/Buffer is sent as is
 *   validate: false to skip the check of this answer against docs/openapi.json
 */
export class ApiClient {
  constructor(baseUrl, { bearer, localAddress } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.session = null; // psea_session cookie value
    this.csrf = null;
    this.bearer = bearer || null;
    this.localAddress = localAddress;
    this.user = null;
  }

  async request(method, p, body, opts = {}) {
    method = method.toUpperCase();
    const headers = {};
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
      else payload = JSON.stringify(body);
      const ct = opts.contentType === undefined ? 'application/json' : opts.contentType;
      if (ct !== null) headers['Content-Type'] = ct;
    }
    if (this.session && opts.cookie !== false) headers.Cookie = `psea_session=${this.session}`;
    if (this.bearer && opts.bearer !== false) headers.Authorization = `Bearer ${this.bearer}`;
    if (STATE_CHANGING.has(method)) {
      if (typeof opts.csrf === 'string') headers['X-CSRF-Token'] = opts.csrf;
      else if (opts.csrf !== false && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    }
    Object.assign(headers, opts.headers || {});
    const res = await httpRequest(this.baseUrl + p, {
      method, headers, body: payload, localAddress: opts.localAddress || this.localAddress, timeoutMs: opts.timeoutMs,
      validate: opts.validate,
    });
    const c = sessionSetCookie(res);
    if (c && opts.updateCookie !== false) {
      this.session = cookieIsCleared(c) ? null : c.value;
      if (!this.session) this.csrf = null;
    }
    res.setCookie = c;
    return res;
  }

  /** get(path, opts) or get(path, undefined, opts). */
  get(p, a, b) {
    return this.request('GET', p, undefined, b !== undefined ? b : a);
  }
  post(p, body, opts) {
    return this.request('POST', p, body, opts);
  }
  put(p, body, opts) {
    return this.request('PUT', p, body, opts);
  }
  patch(p, body, opts) {
    return this.request('PATCH', p, body, opts);
  }
  del(p, body, opts) {
    return this.request('DELETE', p, body, opts);
  }

  /** POST /api/v1/auth/login (sent without any old cookie). On 200 stores cookie, csrf_token and user. */
  async login(username, password, totp, opts = {}) {
    const body = { username, password };
    if (totp !== undefined && totp !== null) body.totp_code = totp;
    const res = await this.request('POST', '/api/v1/auth/login', body, { cookie: false, csrf: false, ...opts });
    if (res.status === 200 && res.json) {
      this.csrf = res.json.csrf_token;
      this.user = res.json.user;
    }
    return res;
  }

  async logout() {
    return this.post('/api/v1/auth/logout', {});
  }
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238 / RFC 4226)

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpStep(timeSeconds = Date.now() / 1000) {
  return Math.floor(timeSeconds / 30);
}

/** The 6-digit TOTP code of `secretBase32` at `timeSeconds` (default now). */
export function totp(secretBase32, timeSeconds = Date.now() / 1000) {
  return hotp(base32Decode(secretBase32), totpStep(timeSeconds));
}

/**
 * The step-up of a dangerous action for `user` (an object from loginEnrolled or createUser):
 * {current_password, totp_code}. A TOTP code works once, and sign-in or enrolment used the
 * current step, so each call takes the next step the server accepts (one ahead of now), waiting
 * for the clock when two step-ups come within the same 30 seconds.
 */
export async function stepUp(user) {
  if (!user.totpSecret) return { current_password: user.password };
  const now = totpStep();
  let step = Math.max(now + 1, (user.lastStep ?? now) + 1);
  while (step > totpStep() + 1) await sleep(500);
  user.lastStep = step;
  return { current_password: user.password, totp_code: hotp(base32Decode(user.totpSecret), step) };
}

export function hotp(key, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}

const usedSteps = new Map(); // secret -> last step handed out by nextTotp / markTotpUsed

/** Records that the code of `step` was used (e.g. by a confirm), so nextTotp will not hand it out again. */
export function markTotpUsed(secret, step = totpStep()) {
  const prev = usedSteps.get(secret);
  if (prev === undefined || step > prev) usedSteps.set(secret, step);
}

/**
 * A code that has not been used yet for `secret`: the current step's, or, when that step was already
 * used, the next step's (waits up to 30 s). Avoids the last 1.5 s of a step so the server sees the same step.
 */
export async function nextTotp(secret) {
  for (;;) {
    const now = Date.now() / 1000;
    const step = totpStep(now);
    const last = usedSteps.get(secret);
    const remaining = (step + 1) * 30 - now;
    if ((last !== undefined && step <= last) || remaining < 1.5) {
      await sleep(remaining * 1000 + 250);
      continue;
    }
    usedSteps.set(secret, step);
    return hotp(base32Decode(secret), step);
  }
}

/**
 * Enrols the logged-in client's own account in 2FA (enroll + confirm). Returns the secret.
 * The session stays valid and is no longer restricted.
 */
export async function enrolTotp(client) {
  const e = await client.post('/api/v1/auth/totp/enroll', {});
  assert.equal(e.status, 200, `enroll: ${e.status} ${e.text}`);
  const secret = e.json.secret;
  const code = await nextTotp(secret);
  const c = await client.post('/api/v1/auth/totp/confirm', { code });
  assert.equal(c.status, 200, `confirm: ${c.status} ${c.text}`);
  return secret;
}

/** Logs `user` in (fresh ApiClient) and, for roles that need it, enrols 2FA. Returns {client, secret}. */
export async function loginEnrolled(srv, user) {
  const client = srv.client();
  const r = await client.login(user.username, user.password);
  assert.equal(r.status, 200, `login ${user.username}: ${r.status} ${r.text}`);
  let secret = null;
  if (r.json.enrolment_required) secret = await enrolTotp(client);
  user.totpSecret = secret;
  return { client, secret };
}

// ---------------------------------------------------------------------------------------------
// Raw TCP

/**
 * Sends raw bytes to 127.0.0.1:port and reads one response.
 * Resolves {status, statusLine, headers: {lowercased: value}, body: Buffer, text, json, raw, closed, error}.
 * status is null when the server closed without answering.
 */
export function rawRequest(port, bytes, { timeoutMs = 10000, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const chunks = [];
    let done = false;
    let writeError = null;
    const finish = (extra = {}) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseRawResponse(Buffer.concat(chunks)), writeError, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    sock.on('connect', () => {
      sock.write(bytes, (err) => {
        if (err) writeError = err;
      });
    });
    sock.on('data', (d) => {
      chunks.push(d);
      const p = parseRawResponse(Buffer.concat(chunks));
      if (p.complete) finish();
    });
    sock.on('end', () => finish({ closed: true }));
    sock.on('close', () => finish({ closed: true }));
    sock.on('error', (err) => {
      if (!writeError) writeError = err;
      finish({ closed: true, error: err });
    });
  });
}

function parseRawResponse(buf) {
  const raw = buf.toString('latin1');
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: null, statusLine: raw.split('\r\n')[0] || '', headers: {}, body: Buffer.alloc(0), raw, complete: false };
  const lines = raw.slice(0, headEnd).split('\r\n');
  const statusLine = lines[0];
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine);
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
  }
  let body = buf.subarray(headEnd + 4);
  let complete = false;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    complete = body.length >= n;
    body = body.subarray(0, n);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const d = dechunk(body);
    complete = d.complete;
    body = d.body;
  }
  const status = m ? Number(m[1]) : null;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) complete = true;
  const text = body.toString('utf8');
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status, statusLine, headers, body, text, json, raw, complete };
}

function dechunk(buf) {
  const parts = [];
  let i = 0;
  for (;;) {
    const nl = buf.indexOf('\r\n', i);
    if (nl < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(buf.subarray(i, nl).toString('latin1'), 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (buf.length < nl + 2 + size + 2) return { body: Buffer.concat(parts), complete: false };
    parts.push(buf.subarray(nl + 2, nl + 2 + size));
    i = nl + 2 + size + 2;
  }
}

/** Builds raw HTTP/1.1 request bytes. headers: [[name, value], ...] or object. */
export function buildRequest(method, target, headers = {}, body) {
  const list = Array.isArray(headers) ? headers : Object.entries(headers);
  const b = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  let head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
  let hasLength = false;
  for (const [k, v] of list) {
    if (/^(content-length|transfer-encoding)$/i.test(k)) hasLength = true;
    head += `${k}: ${v}\r\n`;
  }
  if (b && !hasLength) head += `Content-Length: ${b.length}\r\n`;
  head += '\r\n';
  return b ? Buffer.concat([Buffer.from(head, 'latin1'), b]) : Buffer.from(head, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Assertions

/** The documented status → codes table of docs/api.md. */
export const ERROR_CODES = {
  400: ['bad_json', 'validation_failed', 'unknown_field'],
  401: ['unauthenticated', 'invalid_credentials', 'totp_required', 'totp_invalid'],
  403: ['forbidden', 'csrf_failed', 'enrolment_required', 'password_change_required'],
  404: ['not_found'],
  405: ['method_not_allowed'],
  409: ['conflict'],
  412: ['precondition_failed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: ['unprocessable'],
  429: ['rate_limited'],
  500: ['internal'],
  503: ['unavailable'],
};

function describeRes(res) {
  return `${res.status} ${String(res.text ?? '').slice(0, 500)}`;
}

/**
 * Asserts a failure response: given status, JSON body exactly {"error": {code, message, field?}},
 * code in the documented table for that status (and equal to `code` if given), `field` if given.
 */
export function assertError(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status} ${code || ''}, got ${describeRes(res)}`);
  const ct = res.headers.get ? res.headers.get('content-type') : res.headers['content-type'];
  assert.match(ct || '', /^application\/json/i, `error content-type: ${ct}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${res.text}`);
  assert.deepEqual(Object.keys(res.json), ['error'], `error body has other top-level keys: ${res.text}`);
  const e = res.json.error;
  assert.equal(typeof e.code, 'string', `error.code: ${res.text}`);
  assert.equal(typeof e.message, 'string', `error.message: ${res.text}`);
  assert.ok(e.message.length > 0, 'error.message is empty');
  for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `unexpected error key ${k}: ${res.text}`);
  if (ERROR_CODES[status]) assert.ok(ERROR_CODES[status].includes(e.code), `code ${e.code} is not documented for ${status}`);
  if (code) assert.equal(e.code, code, `expected code ${code}, got ${describeRes(res)}`);
  if (field !== undefined) assert.equal(e.field, field, `expected field ${field}, got ${describeRes(res)}`);
  return e;
}

/** Asserts a 2xx (or the given status) and returns res.json. */
export function assertStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${describeRes(res)}`);
  return res.json;
}

export const USER_KEYS = ['id', 'username', 'display_name', 'role', 'disabled', 'totp_enabled', 'totp_required',
  'created_at', 'last_login_at'];

/** Asserts a documented User object with no secret-looking fields. */
export function assertUser(u, expect = {}) {
  assert.ok(u && typeof u === 'object', 'user object missing');
  for (const k of USER_KEYS) assert.ok(k in u, `user lacks ${k}: ${JSON.stringify(u)}`);
  for (const k of Object.keys(u)) {
    assert.doesNotMatch(k, /pass|hash|secret|salt|seed|otp_key/i, `user object exposes ${k}`);
  }
  assert.equal(typeof u.id, 'number');
  assert.ok(Number.isInteger(u.id));
  assert.equal(typeof u.disabled, 'boolean');
  assert.equal(typeof u.totp_enabled, 'boolean');
  assert.equal(typeof u.totp_required, 'boolean');
  assert.match(u.created_at, ISO_UTC);
  for (const [k, v] of Object.entries(expect)) assert.equal(u[k], v, `user.${k}`);
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The "`METHOD /path`" rows of the Endpoints table of docs/api.md: [{method, path}]. */
export function documentedEndpoints() {
  const md = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'api.md'), 'utf8');
  const out = [];
  for (const line of md.split('\n')) {
    const m = /^\|\s*`(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^`\s]*)`\s*\|/.exec(line);
    if (m) out.push({ method: m[1], path: m[2] });
  }
  return out;
}
