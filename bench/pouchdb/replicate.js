// Replicate N documents (shaped like jitdesk events) from a local PouchDB to express-pouchdb, then
// pull them all into a fresh local database; prints one JSON line of docs/s.
const PouchDB = require("pouchdb");
const [url, dir, count] = [process.argv[2], process.argv[3], Number(process.argv[4])];

async function main() {
  const src = new PouchDB(dir + "/src");
  for (let start = 0; start < count; start += 5000) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + 5000); i++) {
      docs.push({ _id: "ev-" + String(i).padStart(9, "0"), plant_id: "BENCH", device_id: "dev-1", device_seq: i + 1,
                  hlc: 1795000000000 * 65536 + i, wall_time: "2026-11-22T05:00:00.000Z", kind: "master.part.upserted",
                  entity_id: "part-" + (i % 5000), actor: null, schema_version: 1,
                  payload: { number: "P-" + (i % 5000), name: "Part " + i, unit: "pcs" } });
    }
    await src.bulkDocs(docs);
  }
  let t0 = Date.now();
  await PouchDB.replicate(src, url, { batch_size: 500, batches_limit: 3 });
  const pushS = (Date.now() - t0) / 1000;
  const dst = new PouchDB(dir + "/dst");
  t0 = Date.now();
  await PouchDB.replicate(url, dst, { batch_size: 500, batches_limit: 3 });
  const pullS = (Date.now() - t0) / 1000;
  const info = await dst.info();
  console.log(JSON.stringify({ push_s: pushS, pull_s: pullS, pulled_docs: info.doc_count }));
}
main().catch((e) => { console.error(e); process.exit(1); });
