// One-by-one enqueue on graphile-worker from one sequential caller (or from several concurrent callers,
// like Jobwatch's --enqueue-callers: each awaits its own addJob calls), measured the way Jobwatch's
// `throughput` benchmark measures its own (benchmarks/README.md, "Comparing with graphile-worker"):
// a timed phase of N awaited addJob calls, then 20 rounds alternating 200 trivial durable commits on a
// connection of their own with 200 addJob calls, so the two rates are compared over the same minutes
// on a disk whose commit rate moves by 2x within minutes. Prints one JSON line with the same field
// names as Jobwatch's line.
//
//   node enqueue-one-by-one.js "postgres://postgres@127.0.0.1:55433/postgres" [jobs] [callers]
"use strict";
const crypto = require("node:crypto");
const { makeWorkerUtils } = require("graphile-worker");
const { Client } = require("pg");

const ROUNDS = 20, SLICE = 200;

async function main() {
  const connectionString = process.argv[2] ?? process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error('Pass a connection string, e.g. node enqueue-one-by-one.js "postgres://postgres@127.0.0.1:55433/postgres"');
  }
  const jobs = Number(process.argv[3] ?? 5000);
  const callers = Number(process.argv[4] ?? 1);
  if (!Number.isInteger(callers) || callers < 1) {
    throw new Error(`callers must be a whole number of at least 1, got "${process.argv[4]}"`);
  }
  const schema = "graphile_bench_" + crypto.randomBytes(6).toString("hex");
  // The pool is as large as the callers, so none of them waits for a connection (graphile's default is 10).
  const utils = await makeWorkerUtils({ connectionString, schema, maxPoolSize: Math.max(10, callers) });
  const probe = new Client({ connectionString });
  await probe.connect();
  try {
    await utils.migrate();
    await probe.query(`CREATE TABLE "${schema}".commit_probe (id bigserial PRIMARY KEY, v text)`);
    const commit = () => probe.query({ name: "commit_probe", text: `INSERT INTO "${schema}".commit_probe (v) VALUES ($1)`, values: ["x"] });
    const enqueue = (i) => utils.addJob("noop", { i });

    for (let i = 0; i < SLICE; i++) { await enqueue(i); await commit(); }

    const t0 = process.hrtime.bigint();
    let next = 0;
    const caller = async () => { while (next < jobs) await enqueue(next++); };
    await Promise.all(Array.from({ length: callers }, caller));
    const enqueueSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    let floorSeconds = 0, interleavedSeconds = 0;
    for (let r = 0; r < ROUNDS; r++) {
      floorSeconds += await time(commit);
      interleavedSeconds += await time(enqueue);
    }
    const floor = ROUNDS * SLICE / floorSeconds, interleaved = ROUNDS * SLICE / interleavedSeconds;
    console.log(JSON.stringify({
      scenario: "throughput", system: "graphile-worker", graphile_worker_version: require("graphile-worker/package.json").version,
      enqueue_jobs: jobs, enqueue_callers: callers, enqueue_per_sec: Math.round(jobs / enqueueSeconds), enqueue_seconds: +enqueueSeconds.toFixed(3),
      commit_floor_per_sec: Math.round(floor), enqueue_interleaved_per_sec: Math.round(interleaved),
      enqueue_vs_commit_floor: +(interleaved / floor).toFixed(2), pg_schema: schema, timestamp: new Date().toISOString(),
    }));
  } finally {
    await probe.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await probe.end();
    await utils.release();
  }
}

async function time(operation) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < SLICE; i++) await operation(i);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

main().catch((error) => { console.error(error.message ?? error); process.exitCode = 1; });
